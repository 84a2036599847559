/**
 * Two builds of the web app, A and B, compared on the same joins: five people
 * sit in a settled call (build A, from one Parley server), and sixth joiners
 * come one after another, each on the form for SETTLE_MS, then Join, all 30
 * paths, Leave, as bench:mesh's settled call. The newcomers alternate between
 * the builds in the order A B B A, A B B A, …, so both meet the same room,
 * the same server and, pair by pair, the same load: bench:mesh's A/B puts
 * each build in a run of its own, and whichever runs second meets a busier
 * machine, which on two shared cores outweighed the differences being judged.
 *
 * One server serves both builds (lib/build-route.ts), and only the
 * newcomer's page alternates: a change on the joining side is judged here;
 * one the members make needs bench:mesh's candidate target.
 *
 * BENCH_AB_B: build B's directory (required; e.g. `npx vite build --outDir
 * /tmp/web-b` in apps/web on the variant). BENCH_AB_A: build A's (default
 * apps/web/dist, what `pnpm build` made). BENCH_AB_JOINS: joins in all
 * (default 16; a multiple of 4 keeps the order balanced).
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectRoster, newRoomId, type Person } from '@parley/e2e/support';
import { mergeBuilds, SECOND_INDEX } from './lib/build-route';
import { loadAverage } from './lib/cpu';
import { launch, openBenchPerson, pressJoin, seatFive, sixthJoinDone } from './lib/people';
import { percentile, waitFor } from './lib/stats';
import { startParley } from './lib/targets';

const DIR_B = process.env.BENCH_AB_B;
const DIR_A = process.env.BENCH_AB_A ?? fileURLToPath(new URL('../apps/web/dist', import.meta.url));
const JOINS = Number(process.env.BENCH_AB_JOINS ?? 16);
const SETTLE_MS = 5_000;
const PROBE_INTERVAL_MS = 50;
const FIVE = ['P1', 'P2', 'P3', 'P4', 'P5'];
const LEAVE_TIMEOUT_MS = 120_000;

type Build = 'A' | 'B';

/** A B B A, A B B A, …: each build goes first in half of the pairs. */
function abbaOrder(joins: number): Build[] {
  return Array.from({ length: joins }, (_, k) => (k % 4 === 0 || k % 4 === 3 ? 'A' : 'B'));
}

async function main(): Promise<void> {
  if (!DIR_B) throw new Error('set BENCH_AB_B to the directory of build B (see the comment at the top of bench/ab-join.ts)');
  console.log(`load before: ${loadAverage()}`);
  console.log(`A: ${DIR_A}\nB: ${DIR_B}`);
  // One server serves both builds (lib/build-route.ts): the room is one room.
  const merged = mergeBuilds(DIR_A, DIR_B);
  const server = await startParley('parley', merged);
  const browser = await launch();
  const times: Record<Build, number[]> = { A: [], B: [] };
  const order = abbaOrder(JOINS);
  try {
    const room = newRoomId('bench-ab');
    const five: Person[] = [];
    for (const name of FIVE) five.push(await openBenchPerson(browser, server.baseUrl, name, room, { probeIntervalMs: PROBE_INTERVAL_MS }));
    await seatFive(five);
    for (const [k, build] of order.entries()) {
      // Both builds reach their newcomer the same way: its page load asks the server for that build's index.
      const indexFile = build === 'A' ? 'index.html' : SECOND_INDEX;
      const sixth = await openBenchPerson(browser, server.baseUrl, `S${k + 1}`, room, { probeIntervalMs: PROBE_INTERVAL_MS, indexFile });
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      await pressJoin(sixth);
      const done = await waitFor(() => sixthJoinDone(sixth, five), 60_000, `S${k + 1}'s 30 paths`);
      const ms = done.lastPath - done.joinAt;
      times[build].push(ms);
      console.log(`  join ${k + 1}, build ${build}: all 30 paths ${Math.round(ms)} ms after Join (load ${loadAverage()})`);
      // Not what is measured, and on a busy machine a Leave can take tens of seconds (README, bench:ab).
      await sixth.page.getByRole('button', { name: 'Leave', exact: true }).click({ timeout: LEAVE_TIMEOUT_MS });
      await expectRoster(five, FIVE, 60_000);
      await sixth.context.close();
    }
    await Promise.all(five.map((p) => p.context.close()));
  } finally {
    await browser.close();
    await server.dispose();
    rmSync(merged, { recursive: true, force: true });
  }
  printSummary(times, order);
  console.log(`load after: ${loadAverage()}`);
}

function printSummary(times: Record<Build, number[]>, order: Build[]): void {
  const median = (values: number[]) => percentile(values, 50);
  const a = median(times.A);
  const b = median(times.B);
  console.log(`settled call, sixth joiner, all 30 paths, median of ${times.A.length}: A ${Math.round(a)} ms, B ${Math.round(b)} ms, B/A ${(b / a).toFixed(2)}x`);
  // Neighbouring joins met nearly the same machine: compare them pair by pair too.
  const pairs: number[] = [];
  const seen: Record<Build, number> = { A: 0, B: 0 };
  const byJoin = order.map((build) => times[build][seen[build]++] as number);
  for (let k = 0; k + 1 < order.length; k += 2) {
    const [first, second] = [byJoin[k] as number, byJoin[k + 1] as number];
    pairs.push(order[k] === 'B' ? first / second : second / first);
  }
  const bFaster = pairs.filter((ratio) => ratio < 1).length;
  console.log(`  pair by pair (each A next to its B): median B/A ${median(pairs).toFixed(2)}x; B faster in ${bFaster} of ${pairs.length} pairs`);
}

await main();
