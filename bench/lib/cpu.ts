import { readdirSync, readFileSync } from 'node:fs';

/** Which Chromium processes a reading counts: every one on this machine, or only those this Node process started. */
export type ChromiumScope = { ownOnly?: boolean };

/** CPU seconds used so far by Chromium processes (user + system, from /proc). */
export function chromiumCpuSeconds(scope: ChromiumScope = {}): number {
  const ticksPerSecond = 100;
  const parent = new Map<number, number>();
  const chromiumTicks = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const pid = Number(entry);
    try {
      const chromium = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium');
      // Telling our own apart needs every process's parent, Chromium or not.
      if (!chromium && !scope.ownOnly) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, Number(fields[1]));
      if (chromium) chromiumTicks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended between listing and reading.
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, used] of chromiumTicks) if (!scope.ownOnly || ours(pid)) ticks += used;
  return ticks / ticksPerSecond;
}

/**
 * CPU seconds used so far by this process and everything it started, by
 * kind: each Chromium process by its --type (renderer, gpu-process, utility
 * for the network and audio services, browser for the main one), and the
 * rest ("servers and this harness": Node, the signaling servers it started).
 */
export function cpuSecondsByKind(): Map<string, number> {
  const ticksPerSecond = 100;
  const processes = new Map<number, { parent: number; kind: string; ticks: number }>();
  for (const entry of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const pid = Number(entry);
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const type = /--type=([a-z-]+)/.exec(cmdline)?.[1];
      const kind = cmdline.includes('chromium') ? `chromium ${type ?? 'browser'}` : 'servers and this harness';
      processes.set(pid, { parent: Number(fields[1]), kind, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended between listing and reading.
    }
  }
  const ours = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = processes.get(p)?.parent) if (p === process.pid) return true;
    return false;
  };
  const seconds = new Map<string, number>();
  for (const [pid, { kind, ticks }] of processes) {
    if (ours(pid)) seconds.set(kind, (seconds.get(kind) ?? 0) + ticks / ticksPerSecond);
  }
  return seconds;
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
