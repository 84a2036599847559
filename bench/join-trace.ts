/**
 * Where a sixth join's time goes, Parley and the raw-WebRTC baseline side by
 * side. Five people sit in a settled call; a sixth, who has been on the form
 * for a few seconds, presses Join; once all 30 paths carry audio, every page's
 * trace (bench/lib/trace.ts) is printed on one clock, in ms after the Join
 * click: socket frames, the microphone, each connection's descriptions and
 * states, synchronous calls into a connection that held the main thread
 * 10 ms or more, long tasks and the scripts that ran in them, and each link's
 * first audio packet. Each newcomer
 * leaves before the next. After all joins, a summary per target: how often,
 * and for how long in all, each kind of synchronous call and of script (by
 * what invoked it) held the pages' main threads, and their long tasks, from
 * each Join to its last path; and the cores in use, by kind of process
 * (lib/cpu.ts cpuSecondsByKind), while the five talk with nobody on the
 * form, while the newcomer waits on the form, and from each Join until the
 * benchmark saw its last path: on two cores, what is in use before a Join is
 * what the join cannot have. As a
 * control, before each Join the newcomer's page makes and closes five
 * connections the way a link does, and the time each took is printed, and
 * where the page has its microphone open already (Parley's form) five more
 * with addTrack of that microphone, as a newcomer's links do (this
 * also starts WebRTC in the baseline's page before its Join, as Parley's form
 * does in its own).
 *
 * BENCH_TRACE_JOINS joins per target (2); BENCH_MESH_TARGETS as in
 * mesh-formation.ts; BENCH_TRACE_PROFILE=<dir> also writes a CPU profile of
 * each newcomer's page (Join to the last of the 30 paths) there, to open in Chromium's
 * DevTools. Under heavy load a sampling profile inflates whatever runs when
 * the thread gets the CPU back; the trace's times are wall clock.
 */
import { writeFileSync } from 'node:fs';
import { newRoomId, type Person } from '@parley/e2e/support';
import type { Browser } from '@playwright/test';
import { cpuSecondsByKind, loadAverage } from './lib/cpu';
import { launch, leaveSettledCall, openBenchPerson, pressJoin, seatFive, SETTLE_MS, sixthJoined, wallTimes } from './lib/people';
import { chosenTargets, startTargets, type Target } from './lib/targets';
import { traceScript, type TraceEvent } from './lib/trace';

const JOINS = Number(process.env.BENCH_TRACE_JOINS ?? 2);
const PROFILE_DIR = process.env.BENCH_TRACE_PROFILE;
/** BENCH_TRACE_FRESH=1: the first newcomer, on the form all along, presses Join the moment the five hear each other (bench:mesh's "sixth joiner into five"). */
const FRESH = process.env.BENCH_TRACE_FRESH === '1';
const SIX = 6;
/** How far before Join the newcomer's long tasks are added up. */
const FORM_LOOKBACK_MS = 3_000;

/** One page's trace and first audio per link, on the wall clock (ms since the epoch). */
type Timeline = { firstAudio: number[]; events: TraceEvent[] };

/** Read once a join is done: the trace grows all run long, and copying it while pages work would be load. */
async function timeline(person: Person): Promise<Timeline> {
  const [{ firstAudio }, { origin, events }] = await Promise.all([
    wallTimes(person),
    person.page.evaluate(() => ({ origin: performance.timeOrigin, events: (window as unknown as { __parleyTrace: TraceEvent[] }).__parleyTrace })),
  ]);
  return { firstAudio, events: events.map((e) => ({ at: origin + e.at, what: e.what })) };
}

/** One page's steps in [from, to], in ms after `joinAt`; a run of one step is folded into "(xN)". */
function describe(name: string, t: Timeline, joinAt: number, from: number, to: number): string {
  const rows = [...t.events, ...t.firstAudio.map((at) => ({ at, what: 'first audio on a link' }))]
    .filter((r) => r.at >= from && r.at <= to)
    .sort((a, b) => a.at - b.at);
  // Runs of one step: its first time, and how many.
  const runs: Array<{ at: number; what: string; count: number }> = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last?.what === row.what) last.count++;
    else runs.push({ ...row, count: 1 });
  }
  const line = (r: (typeof runs)[number]) => `    ${String(Math.round(r.at - joinAt)).padStart(6)}  ${r.what}${r.count > 1 ? ` (x${r.count})` : ''}`;
  return `  ${name}\n${runs.map(line).join('\n')}`;
}

/** "getSynchronizationSources held the main thread 119 ms" -> ["getSynchronizationSources", 119]; long tasks too. */
function heldBy(what: string): [string, number] | undefined {
  const call = /(\S+) held the main thread (\d+) ms$/.exec(what);
  if (call) return [call[1] as string, Number(call[2])];
  const task = /^long task (\d+) ms$/.exec(what);
  if (task) return ['(long tasks)', Number(task[1])];
  // Scripts by what invoked them, without the function (minified names would split one kind in many).
  const script = /^script (\S+).* ran (\d+) ms$/.exec(what);
  return script ? [`script: ${script[1]}`, Number(script[2])] : undefined;
}

/** Count and total ms per kind of blocking, over every page's steps in each join's window. */
type Held = Map<string, { count: number; ms: number }>;

function addHeld(held: Held, pages: Timeline[], from: number, to: number): void {
  for (const page of pages) {
    for (const event of page.events) {
      if (event.at < from || event.at > to) continue;
      const found = heldBy(event.what);
      if (!found) continue;
      const [kind, ms] = found;
      const sum = held.get(kind) ?? { count: 0, ms: 0 };
      held.set(kind, { count: sum.count + 1, ms: sum.ms + ms });
    }
  }
}

/**
 * The control: how long the newcomer's page, on the form a moment before Join, takes to make a
 * connection the way a link does (the same blocking calls), five times. Both targets' pages
 * show the same here; what differs is what the same calls cost during the join.
 */
async function callsOnTheForm(person: Person): Promise<{ empty: number[]; withMic?: number[] }> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return person.page.evaluate(() => {
    // The page's own microphone where it has one open already (Parley's form does; the baseline asks at Join).
    const mic = (window as unknown as { __parleyTraceMic?: MediaStreamTrack }).__parleyTraceMic;
    const live = mic?.readyState === 'live' ? mic : undefined;
    const times: { empty: number[]; withMic: number[] } = { empty: [], withMic: [] };
    for (const kind of live ? (['empty', 'withMic'] as const) : (['empty'] as const)) {
      for (let i = 0; i < 5; i++) {
        const startedAt = performance.now();
        const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
        if (kind === 'withMic' && live) pc.addTrack(live);
        else pc.addTransceiver('audio');
        pc.createDataChannel('control', { negotiated: true, id: 0 });
        times[kind].push(Math.round(performance.now() - startedAt));
        pc.close();
      }
    }
    return live ? times : { empty: times.empty };
  });
}

async function startProfile(person: Person) {
  if (!PROFILE_DIR) return undefined;
  const cdp = await person.context.newCDPSession(person.page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async save(file: string) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${PROFILE_DIR}/${file}`, JSON.stringify(profile));
    },
  };
}

/** Cores in use (or CPU seconds), by kind of process (see cpuSecondsByKind). */
type Cpu = Map<string, number>;

/** CPU by kind over one or more windows (each from start() to the stop it returns), as cores in use over them all. */
function cpuWindows() {
  const seconds: Cpu = new Map();
  let windowMs = 0;
  return {
    start(): () => void {
      const at = performance.now();
      const before = cpuSecondsByKind();
      return () => {
        for (const [kind, used] of cpuSecondsByKind()) seconds.set(kind, (seconds.get(kind) ?? 0) + used - (before.get(kind) ?? 0));
        windowMs += performance.now() - at;
      };
    },
    // No window (a fresh join skips the settled ones): nothing to show.
    cores: (): Cpu => new Map(windowMs > 0 ? [...seconds].map(([kind, used]) => [kind, used / (windowMs / 1000)] as const) : []),
  };
}

async function traceJoins(browser: Browser, target: Target): Promise<{ joinsMs: number[]; held: Held; cpu: { fiveAlone: Cpu; steady: Cpu; join: Cpu } }> {
  const room = newRoomId('bench-trace');
  const open = (name: string) => openBenchPerson(browser, target.baseUrl, name, room, { initScript: traceScript });
  const five: Person[] = [];
  const joinsMs: number[] = [];
  const held: Held = new Map();
  // CPU while the five sit in their call alone, then with the newcomer on the form, and from each Join until the benchmark saw its last path.
  const [fiveAlone, steady, join] = [cpuWindows(), cpuWindows(), cpuWindows()];
  const settle = async (window: ReturnType<typeof cpuWindows>) => {
    const stop = window.start();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    stop();
  };
  try {
    for (let i = 1; i < SIX; i++) five.push(await open(`P${i}`));
    // The fresh newcomer waits on the form while the five sit down.
    const freshNewcomer = FRESH ? await open('S1') : undefined;
    await seatFive(five);
    if (!freshNewcomer) await settle(fiveAlone);
    for (let k = 1; k <= JOINS; k++) {
      const fresh = k === 1 ? freshNewcomer : undefined;
      const sixth = fresh ?? (await open(`S${k}`));
      if (!fresh) {
        await settle(steady);
        const onTheForm = await callsOnTheForm(sixth);
        console.log(`${target.name}: S${k} on the form, making a connection (constructor, addTransceiver, createDataChannel) took ${onTheForm.empty.join(', ')} ms`);
        if (onTheForm.withMic) console.log(`  the same with addTrack of the page's open microphone instead of addTransceiver: ${onTheForm.withMic.join(', ')} ms`);
      }
      const profile = await startProfile(sixth);
      const joined = join.start();
      await pressJoin(sixth);
      const { joinAt, lastPath } = await sixthJoined(sixth, five, 60_000);
      joined();
      await profile?.save(`${target.name}-S${k}.cpuprofile`);
      const own = await timeline(sixth);
      const members = await Promise.all(five.map(timeline));
      joinsMs.push(lastPath - joinAt);
      addHeld(held, [own, ...members], joinAt, lastPath);
      console.log(`${target.name}: S${k}, all 30 paths ${Math.round(lastPath - joinAt)} ms after Join (load ${loadAverage()})`);
      // Whether the newcomer's page was still busy (loading, rendering ahead) when Join was pressed.
      const before = new Map<string, { count: number; ms: number }>();
      addHeld(before, [own], joinAt - FORM_LOOKBACK_MS, joinAt);
      const busy = before.get('(long tasks)');
      console.log(`  S${k} in the ${FORM_LOOKBACK_MS} ms before Join: long tasks ${busy ? `${busy.count}, ${busy.ms} ms in all` : 'none'}`);
      const until = lastPath + 200;
      console.log(describe(`S${k} (the newcomer)`, own, joinAt, joinAt - 50, until));
      for (const [i, m] of members.entries()) console.log(describe(`P${i + 1}`, m, joinAt, joinAt - 50, until));
      // As the other settled-call benchmarks leave: every member's roster back to the five before the
      // next newcomer. With the page closed at once after Leave, a newcomer under load 18-22 was
      // still in the room when the next one joined (which made a sixth link, to a closed page) and
      // the members' links to it failed only in the middle of that join.
      await leaveSettledCall(sixth, five);
    }
    return { joinsMs, held, cpu: { fiveAlone: fiveAlone.cores(), steady: steady.cores(), join: join.cores() } };
  } finally {
    await Promise.all(five.map((p) => p.context.close()));
  }
}

/** Cores in use by kind, the largest first, and all together. */
function describeCores(label: string, used: Cpu): string {
  const total = [...used.values()].reduce((sum, c) => sum + c, 0);
  const kinds = [...used].sort((a, b) => b[1] - a[1]).filter(([, c]) => c >= 0.005);
  return `  ${label}: ${total.toFixed(2)} cores in all; ${kinds.map(([kind, c]) => `${kind} ${c.toFixed(2)}`).join(', ')}`;
}

const targets = await startTargets();
const browser = await launch();
try {
  console.log(`load before: ${loadAverage()}`);
  const summaries: string[] = [];
  for (const target of chosenTargets(targets)) {
    const { joinsMs, held, cpu } = await traceJoins(browser, target);
    const kinds = [...held.entries()].sort((a, b) => b[1].ms - a[1].ms);
    // The six pages' time from each Join to its last path: what the held time is a share of.
    const pageMs = SIX * joinsMs.reduce((sum, ms) => sum + ms, 0);
    summaries.push(
      `${target.name}: joins ${joinsMs.map(Math.round).join(', ')} ms; from Join to the last path, the six pages' main threads were held by\n` +
        '    (these overlap: calls and scripts run inside long tasks)\n' +
        kinds.map(([kind, { count, ms }]) => `    ${kind}: ${count} times, ${ms} ms in all (${((100 * ms) / pageMs).toFixed(1)} % of the pages' time)`).join('\n') +
        `\n${describeCores('CPU in use while five talk, nobody on the form', cpu.fiveAlone)}` +
        `\n${describeCores('CPU in use while five talk and the sixth is on the form', cpu.steady)}` +
        `\n${describeCores('CPU in use from each Join until the benchmark saw its last path', cpu.join)}`,
    );
  }
  console.log(summaries.join('\n'));
  console.log(`load after: ${loadAverage()}`);
} finally {
  await browser.close();
  for (const target of targets) await target.dispose();
}
