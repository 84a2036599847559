import { readdirSync, readFileSync } from 'node:fs';

/** Which Chromium processes a reading counts: every one on this machine, or only those this Node process started. */
export type ChromiumScope = { ownOnly?: boolean };

const TICKS_PER_SECOND = 100;

/** One process as /proc tells it: its parent, its command line and the CPU ticks (user + system) it has used. */
type ProcessEntry = { parent: number; cmdline: string; ticks: number };

/** A /proc stat line: the command name (it may hold spaces and parentheses), then the fields after it. */
function parseStat(stat: string): { name: string; fields: string[] } {
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

/** User + system CPU ticks, from a stat line's fields after the name. */
const cpuTicks = (fields: string[]) => Number(fields[11]) + Number(fields[12]);

/** Every process on the machine now, by pid. */
function processTable(): Map<number, ProcessEntry> {
  const processes = new Map<number, ProcessEntry>();
  for (const entry of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const pid = Number(entry);
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const { fields } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      processes.set(pid, { parent: Number(fields[1]), cmdline, ticks: cpuTicks(fields) });
    } catch {
      // The process ended between listing and reading.
    }
  }
  return processes;
}

/** Whether `pid` is this Node process or was started by it, at any depth. */
function ours(processes: Map<number, ProcessEntry>, pid: number): boolean {
  for (let p: number | undefined = pid; p !== undefined && p > 1; p = processes.get(p)?.parent) if (p === process.pid) return true;
  return false;
}

const isChromium = (entry: ProcessEntry) => entry.cmdline.includes('chromium');
/** A Chromium process's --type (renderer, gpu-process, utility), or browser for the main one. */
const chromiumType = (entry: ProcessEntry) => /--type=([a-z-]+)/.exec(entry.cmdline)?.[1] ?? 'browser';
/** A utility process's service ("AudioService" from --utility-sub-type=audio.mojom.AudioService), '' for other kinds. */
const utilityService = (entry: ProcessEntry) => /--utility-sub-type=([\w.]+)/.exec(entry.cmdline)?.[1]?.split('.').pop() ?? '';
const isParleyServer = (entry: ProcessEntry) => entry.cmdline.includes('apps/server/dist');

/** CPU seconds used so far by Chromium processes (user + system, from /proc). */
export function chromiumCpuSeconds(scope: ChromiumScope = {}): number {
  const processes = processTable();
  let ticks = 0;
  for (const [pid, entry] of processes) if (isChromium(entry) && (!scope.ownOnly || ours(processes, pid))) ticks += entry.ticks;
  return ticks / TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by this process and everything it started, by
 * kind: each Chromium process by its --type (renderer, gpu-process, utility
 * for the network and audio services, browser for the main one), and the
 * rest ("servers and this harness": Node, the signaling servers it started).
 */
export function cpuSecondsByKind(): Map<string, number> {
  const processes = processTable();
  const seconds = new Map<string, number>();
  for (const [pid, entry] of processes) {
    if (!ours(processes, pid)) continue;
    const kind = isChromium(entry) ? `chromium ${chromiumType(entry)}` : 'servers and this harness';
    seconds.set(kind, (seconds.get(kind) ?? 0) + entry.ticks / TICKS_PER_SECOND);
  }
  return seconds;
}

/**
 * CPU milliseconds used so far by every thread of the Chromium processes and
 * Parley servers this process started, by "<process kind> <thread name>"
 * (thread names without their trailing number: one pool, one name). Given
 * `members`, a renderer among them is prefixed "M ", any other "N ".
 */
export function threadCpuMs(members?: ReadonlySet<number>): Map<string, number> {
  return readThreads(members).cpuMs;
}

/**
 * threadCpuMs's readings, and in the same pass over /proc how the kernel
 * schedules each kind of thread: "realtime" (SCHED_RR or SCHED_FIFO: Chromium
 * asks for it for its audio threads, and gets it when it runs as root),
 * "nice N" where N is not 0, "" for ordinary threads; a kind whose threads
 * differ lists each ("nice 5, ordinary": one renderer's main thread is not
 * another's). On two cores a realtime or nice -8 thread is served before an
 * ordinary one (a Node signaling server is ordinary), which a load average
 * does not show.
 */
export function threadReadings(members?: ReadonlySet<number>): { cpuMs: Map<string, number>; scheduling: Map<string, string> } {
  const { cpuMs, scheduling } = readThreads(members);
  const described = new Map<string, string>();
  for (const [key, seen] of scheduling) {
    described.set(key, seen.size === 1 && seen.has('') ? '' : [...seen].map((how) => how || 'ordinary').sort().join(', '));
  }
  return { cpuMs, scheduling: described };
}

const SCHED_OTHER = 0;
const SCHED_FIFO = 1;
const SCHED_RR = 2;

function schedulingOf(fields: string[]): string {
  // Fields 19 (nice) and 41 (policy) of /proc/<pid>/task/<tid>/stat; `fields` starts at field 3.
  const policy = Number(fields[38]);
  if (policy === SCHED_RR || policy === SCHED_FIFO) return 'realtime';
  const nice = Number(fields[16]);
  return policy === SCHED_OTHER && nice !== 0 ? `nice ${nice}` : '';
}

function readThreads(members?: ReadonlySet<number>): { cpuMs: Map<string, number>; scheduling: Map<string, Set<string>> } {
  const processes = processTable();
  const out = new Map<string, number>();
  const scheduling = new Map<string, Set<string>>();
  for (const [pid, entry] of processes) {
    if (!(isChromium(entry) || isParleyServer(entry)) || !ours(processes, pid)) continue;
    const kind = isChromium(entry) ? chromiumType(entry) : 'server';
    const type = kind === 'utility' ? `utility(${utilityService(entry)})` : kind;
    const role = type === 'renderer' && members ? (members.has(pid) ? 'M ' : 'N ') : '';
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // the process ended
    }
    for (const tid of tids) {
      try {
        const { name, fields } = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
        const key = `${role}${type} ${name.replace(/\d+$/, '')}`;
        out.set(key, (out.get(key) ?? 0) + (cpuTicks(fields) * 1000) / TICKS_PER_SECOND);
        scheduling.set(key, (scheduling.get(key) ?? new Set<string>()).add(schedulingOf(fields)));
      } catch {
        // The thread ended between listing and reading.
      }
    }
  }
  return { cpuMs: out, scheduling };
}

/**
 * Every thread of process `pid` now, by "<name>#<tid>": its CPU milliseconds so far (counted in
 * the kernel's ticks) and its state ("R" while running or waiting for a core, "S" asleep, ...).
 */
export function processThreads(pid: number): Map<string, { cpuMs: number; state: string }> {
  const threads = new Map<string, { cpuMs: number; state: string }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { name, fields } = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      threads.set(`${name}#${tid}`, { cpuMs: (cpuTicks(fields) * 1000) / TICKS_PER_SECOND, state: fields[0] as string });
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return threads;
}

/** Share of one core Chromium used over `windowMs`, per page. */
export async function cpuPerPage(pages: number, windowMs = 10_000, scope: ChromiumScope = {}): Promise<number> {
  const before = chromiumCpuSeconds(scope);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  return (chromiumCpuSeconds(scope) - before) / (windowMs / 1000) / pages;
}

/** The machine's load average over the last minute, for the record. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
