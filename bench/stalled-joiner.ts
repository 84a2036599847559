/**
 * A sixth joiner whose page stands still: five people talk, a sixth presses
 * Join, and as soon as it hears its first member its renderer process is
 * stopped (SIGSTOP) for BENCH_STALL_MS (20 s), then continued. That is a page
 * starved of CPU at its worst, halfway through its join (some of its links up,
 * the others still negotiating: the same moment for both targets), the case
 * where recovery must tell slow from broken: the members hear nothing from
 * the newcomer meanwhile, and whatever they send waits for it. Printed per run: how long after the page resumed all 30
 * directed paths carry audio (seen by polling every page), and for Parley the offers, ICE restarts and
 * rebuilt connections the six pages made; then each target's median and the
 * ratio. The raw page restarts nothing: its mesh forms once the newcomer
 * catches up, or never. BENCH_STALL_RUNS (3) runs per target, alternating;
 * BENCH_STALL_AFTER_JOIN_MS stops the newcomer that long after its Join
 * instead (about 1000: once it has answered its members' offers, before
 * their paths connect);
 * BENCH_MESH_TARGETS picks the targets (with BENCH_CANDIDATE_WEB_DIR, a
 * candidate build too).
 *
 * The browser runs without a spare renderer, so the newcomer's page is the
 * one renderer process that appears when it opens.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as pause } from 'node:timers/promises';
import type { Browser } from '@playwright/test';
import { newRoomId, withNewRenderer, WITHOUT_SPARE_RENDERER, type Person } from '@parley/e2e/support';
import { loadAverage } from './lib/cpu';
import { launch, negotiationText, negotiationTotals, openBenchPerson, openPeople, pressJoin, readProbe, seatFive, untilHeard } from './lib/people';
import { percentile } from './lib/stats';
import { chosenTargets, compare, isParley, startTargets, type Target } from './lib/targets';

const RUNS = Number(process.env.BENCH_STALL_RUNS ?? 3);
const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 20_000);
/** Stop the newcomer this long after its Join instead (about 1000: answered, its paths not connected yet). */
const STOP_AFTER_JOIN_MS = process.env.BENCH_STALL_AFTER_JOIN_MS === undefined ? undefined : Number(process.env.BENCH_STALL_AFTER_JOIN_MS);
/** If the newcomer hears nobody this long after Join, it is stopped anyway. */
const FIRST_AUDIO_WAIT_MS = 10_000;
/** How long after the page resumes a run may take before it counts as failed. */
const DEADLINE_MS = 90_000;
const MEMBERS = ['P1', 'P2', 'P3', 'P4', 'P5'];

type Run = { ms: number | undefined; text: string };

/** Whether every page has first audio on five links within `timeoutMs`. */
async function allPathsFlowing(people: Person[], timeoutMs: number): Promise<boolean> {
  const flowing = people.map((p) => untilHeard(p, MEMBERS.length, timeoutMs, Number.NEGATIVE_INFINITY));
  return Promise.all(flowing).then(
    () => true,
    () => false,
  );
}

async function stalledJoin(browser: Browser, target: Target): Promise<Run> {
  const room = newRoomId('bench-stall');
  const people = await openPeople(browser, target.baseUrl, room, MEMBERS);
  try {
    const { opened: sixth, rendererPid } = await withNewRenderer(async () => {
      const person = await openBenchPerson(browser, target.baseUrl, 'P6', room);
      people.push(person);
      return person;
    });
    await seatFive(people.slice(0, MEMBERS.length));
    await pressJoin(sixth);
    if (STOP_AFTER_JOIN_MS === undefined) {
      await untilHeard(sixth, 1, FIRST_AUDIO_WAIT_MS).catch(() => undefined);
    } else {
      await pause(STOP_AFTER_JOIN_MS);
    }
    execFileSync('kill', ['-STOP', String(rendererPid)]);
    const heardFirst = (await Promise.all(people.slice(0, MEMBERS.length).map(readProbe))).filter((probe) => probe.firstAudio.length === MEMBERS.length).length;
    await pause(STALL_MS);
    execFileSync('kill', ['-CONT', String(rendererPid)]);
    const resumedAt = Date.now();
    const done = await allPathsFlowing(people, DEADLINE_MS);
    let ms: number | undefined;
    let text: string;
    if (done) {
      // When the benchmark saw it, not the stats' first-packet estimate: packets held in the stopped
      // page's socket arrive in one burst, and that estimate puts the burst's first before the stop.
      ms = Date.now() - resumedAt;
      text = `all 30 paths ${Math.round(ms)} ms after the page resumed (members hearing it when it stopped: ${heardFirst})`;
    } else {
      const heard = await Promise.all(people.map(async (p) => `${p.name} ${(await readProbe(p)).firstAudio.length}`));
      text = `not all 30 paths within ${DEADLINE_MS / 1000} s of the page resuming (links with audio per page: ${heard.join(', ')})`;
    }
    if (isParley(target)) text += negotiationText(await negotiationTotals(people));
    return { ms, text };
  } finally {
    await Promise.all(people.map((p) => p.context.close()));
  }
}

const targets = await startTargets();
const browser = await launch([WITHOUT_SPARE_RENDERER]);
const results = new Map<string, Run[]>();
try {
  const when = STOP_AFTER_JOIN_MS === undefined ? 'once it hears its first member' : `${STOP_AFTER_JOIN_MS} ms after its Join`;
  console.log(`stalled sixth joiner: stopped for ${STALL_MS} ms ${when}; load before: ${loadAverage()}`);
  for (let run = 1; run <= RUNS; run++) {
    for (const target of chosenTargets(targets)) {
      const result = await stalledJoin(browser, target);
      results.set(target.name, [...(results.get(target.name) ?? []), result]);
      console.log(`  run ${run}, ${target.name}: ${result.text} (load ${loadAverage()})`);
    }
  }
} finally {
  await browser.close();
  for (const target of targets) await target.dispose();
}
const median = (name: string): number | undefined => {
  const runs = results.get(name) ?? [];
  // A run that never formed counts as the deadline: the median stays honest about it.
  return runs.length === 0 ? undefined : percentile(runs.map((r) => r.ms ?? DEADLINE_MS), 50);
};
for (const name of results.keys()) {
  const failed = (results.get(name) ?? []).filter((r) => r.ms === undefined).length;
  console.log(`${name}: median ${Math.round(median(name) ?? NaN)} ms after the page resumed${failed ? `, ${failed} of ${RUNS} runs not formed within ${DEADLINE_MS / 1000} s` : ''}`);
}
const parley = median('parley');
const baseline = median('baseline');
if (parley !== undefined && baseline !== undefined) console.log(compare('stalled sixth joiner, median', parley, baseline));
console.log(`load after: ${loadAverage()}`);
