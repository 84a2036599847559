/**
 * What a join asks of the machine, where the machine can still give it:
 * the CPU each kind of thread uses, Parley against the baseline in the same
 * run, in a room small enough that two cores are not saturated.
 *
 * In a six-person call every page takes about the same fair share of a
 * saturated machine, so CPU read there says how the cores were shared, not
 * how much each page wanted (both targets read 28-30 % a page). Here,
 * BENCH_DEMAND_PEOPLE (2) talk while a newcomer waits on the form; then
 * the CPU of every thread of the Chromium processes and the Parley server
 * this benchmark started (lib/cpu.ts threadCpuMs) is
 * read over BENCH_DEMAND_WINDOW_MS (3000) of that steady call, and over the
 * same length from the newcomer's Join. The second less the first is the
 * join's demand, printed by thread name (renderers split into the
 * newcomer's, N, and the members', M), BENCH_DEMAND_JOINS (3) times per
 * target; then each target's median. Under load, every CPU second a join
 * asks for is shared with all the others, so this is what a join costs on a
 * busy machine before any waiting.
 */
import { newRoomId, ownRendererPids, type Person } from '@parley/e2e/support';
import { loadAverage, threadCpuMs } from './lib/cpu';
import { launch, openBenchPerson, pressJoin, seatFive, sixthJoined } from './lib/people';
import { percentile } from './lib/stats';
import { chosenTargets, startTargets, type Target } from './lib/targets';
import type { Browser } from '@playwright/test';

const PEOPLE = Number(process.env.BENCH_DEMAND_PEOPLE ?? 2);
const JOINS = Number(process.env.BENCH_DEMAND_JOINS ?? 3);
const WINDOW_MS = Number(process.env.BENCH_DEMAND_WINDOW_MS ?? 3_000);
/** Kinds of thread shown per join: the rest are summed into the total only. */
const SHOWN = 12;
/** One /proc tick: a thread that moved less than that in either window moved by rounding. */
const TICK_MS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const minus = (a: Map<string, number>, b: Map<string, number>) => new Map([...a].map(([k, v]) => [k, v - (b.get(k) ?? 0)] as const));
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** One join: its time to all paths, and its CPU demand (ms by thread kind) over the window. */
async function oneJoin(browser: Browser, target: Target): Promise<{ joinMs: number; demand: Map<string, number> }> {
  const room = newRoomId('bench-demand');
  const people: Person[] = [];
  try {
    for (let i = 1; i <= PEOPLE; i++) people.push(await openBenchPerson(browser, target.baseUrl, `P${i}`, room));
    await seatFive(people);
    const members = ownRendererPids();
    const newcomer = await openBenchPerson(browser, target.baseUrl, 'S', room);
    const others = [...people];
    people.push(newcomer);
    await sleep(3_000);
    const steadyFrom = threadCpuMs(members);
    await sleep(WINDOW_MS);
    const steady = minus(threadCpuMs(members), steadyFrom);
    const joinFrom = threadCpuMs(members);
    await pressJoin(newcomer);
    await sleep(WINDOW_MS);
    const joined = minus(threadCpuMs(members), joinFrom);
    const { joinAt, lastPath } = await sixthJoined(newcomer, others, 30_000);
    return { joinMs: lastPath - joinAt, demand: minus(joined, steady) };
  } finally {
    for (const person of people) await person.context.close();
  }
}

const targets = chosenTargets(await startTargets());
const browser = await launch();
const totals = new Map<string, { joinMs: number[]; cpuMs: number[] }>();
try {
  console.log(`join demand: ${PEOPLE} talking, a newcomer joins; CPU over ${WINDOW_MS} ms from Join less the same before it (load ${loadAverage()})`);
  for (let k = 1; k <= JOINS; k++) {
    for (const target of targets) {
      const { joinMs, demand } = await oneJoin(browser, target);
      const record = totals.get(target.name) ?? { joinMs: [], cpuMs: [] };
      record.joinMs.push(joinMs);
      record.cpuMs.push(sum(demand));
      totals.set(target.name, record);
      const shown = [...demand].filter(([, ms]) => Math.abs(ms) >= TICK_MS).sort((a, b) => b[1] - a[1]).slice(0, SHOWN);
      console.log(`${target.name} join ${k}: all paths ${Math.round(joinMs)} ms; ${Math.round(sum(demand))} ms of CPU (load ${loadAverage()})`);
      console.log(`  ${shown.map(([name, ms]) => `${name} ${ms}`).join(', ')}`);
    }
  }
  for (const [name, { joinMs, cpuMs }] of totals) {
    console.log(`${name}: median join ${Math.round(percentile(joinMs, 50))} ms, median CPU a join asked for ${Math.round(percentile(cpuMs, 50))} ms (${cpuMs.map(Math.round).join(', ')})`);
  }
  const parley = totals.get('parley');
  const baseline = totals.get('baseline');
  if (parley && baseline) console.log(`ratio: join ${(percentile(parley.joinMs, 50) / percentile(baseline.joinMs, 50)).toFixed(2)}x, CPU a join asked for ${(percentile(parley.cpuMs, 50) / percentile(baseline.cpuMs, 50)).toFixed(2)}x`);
} finally {
  await browser.close();
  await Promise.all(targets.map((t) => t.dispose()));
}
