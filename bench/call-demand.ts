import { setTimeout as sleep } from 'node:timers/promises';
import { newRoomId } from '@parley/e2e/support';
import type { Browser } from '@playwright/test';
import { loadAverage, threadCpuMs } from './lib/cpu';
import { launch, openPeople, seatFive } from './lib/people';
import { percentile } from './lib/stats';
import { chosenTargets, startTargets, type Target } from './lib/targets';

/**
 * What a call asks of the machine while nobody joins or leaves, where the
 * machine can still give it: BENCH_CALL_PEOPLE (3) talk, and once they have
 * heard each other for BENCH_CALL_SETTLE_MS (5000) the CPU of every thread
 * of the Chromium processes and the servers this benchmark started is read
 * over BENCH_CALL_WINDOW_MS (10000). Printed per call as a share of one core
 * per page, with the BENCH_CALL_THREADS (10) thread kinds that used the most; then each target's
 * median over BENCH_CALL_ROUNDS (3) calls and the ratio. Each round takes
 * the targets in another order (the machine's load drifts).
 *
 * bench:mesh's "CPU per page" is read in a call of six on two cores, which
 * saturates them: every page gets about the same share whatever it would
 * ask for, so equal figures there do not say the calls cost the same. Here
 * the cores are not saturated (about 0.7 of a core in all for three pages),
 * so what is read is what the call wants.
 */

const PEOPLE = Number(process.env.BENCH_CALL_PEOPLE ?? 3);
const ROUNDS = Number(process.env.BENCH_CALL_ROUNDS ?? 3);
const SETTLE_MS = Number(process.env.BENCH_CALL_SETTLE_MS ?? 5_000);
const WINDOW_MS = Number(process.env.BENCH_CALL_WINDOW_MS ?? 10_000);
/** Thread kinds shown per call: the rest are in the total only. */
const SHOWN = Number(process.env.BENCH_CALL_THREADS ?? 10);

/** One call: its CPU per page (a share of one core) and the ms each kind of thread used over the window. */
async function oneCall(browser: Browser, target: Target): Promise<{ perPage: number; byKind: Map<string, number> }> {
  const names = Array.from({ length: PEOPLE }, (_, i) => `P${i + 1}`);
  const people = await openPeople(browser, target.baseUrl, newRoomId('bench-call'), names);
  try {
    await seatFive(people);
    await sleep(SETTLE_MS);
    const from = threadCpuMs();
    await sleep(WINDOW_MS);
    const to = threadCpuMs();
    const byKind = new Map([...to].map(([kind, ms]) => [kind, ms - (from.get(kind) ?? 0)] as const));
    const total = [...byKind.values()].reduce((a, b) => a + b, 0);
    return { perPage: total / WINDOW_MS / PEOPLE, byKind };
  } finally {
    for (const person of people) await person.context.close();
  }
}

const targets = chosenTargets(await startTargets());
const browser = await launch();
const perPage = new Map<string, number[]>();
try {
  console.log(`call demand: ${PEOPLE} talking, CPU over ${WINDOW_MS} ms once they have heard each other for ${SETTLE_MS} ms (load ${loadAverage()})`);
  for (let round = 1; round <= ROUNDS; round++) {
    const shift = (round - 1) % targets.length;
    for (const target of [...targets.slice(shift), ...targets.slice(0, shift)]) {
      const call = await oneCall(browser, target);
      perPage.set(target.name, [...(perPage.get(target.name) ?? []), call.perPage]);
      const shown = [...call.byKind].sort((a, b) => b[1] - a[1]).slice(0, SHOWN);
      console.log(`${target.name} call ${round}: ${(call.perPage * 100).toFixed(1)} % of a core per page (load ${loadAverage()})`);
      console.log(`  ${shown.map(([kind, ms]) => `${kind} ${ms}`).join(', ')}`);
    }
  }
  const median = (name: string) => percentile(perPage.get(name) ?? [], 50) * 100;
  for (const [name, shares] of perPage) {
    console.log(`${name}: median ${median(name).toFixed(1)} % of a core per page (${shares.map((s) => (s * 100).toFixed(1)).join(', ')})`);
  }
  const names = targets.map((t) => t.name);
  for (const [a, b] of [['parley', 'baseline'], ['candidate', 'baseline'], ['candidate', 'parley']] as const) {
    if (!names.includes(a) || !names.includes(b)) continue;
    console.log(`CPU a call asks for, per page: ${a} ${median(a).toFixed(1)} %, ${b} ${median(b).toFixed(1)} %, ratio ${(median(a) / median(b)).toFixed(2)}x`);
  }
  console.log(`load after: ${loadAverage()}`);
} finally {
  await browser.close();
  await Promise.all(targets.map((t) => t.dispose()));
}
