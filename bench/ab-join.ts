/**
 * Two builds of the web app, A and B, compared on the same joins: five people
 * sit in a settled call (build A, from one Parley server), and sixth joiners
 * come one after another, each on the form for SETTLE_MS (lib/people.ts),
 * then Join, all 30 paths, Leave, as bench:mesh's settled call (one
 * joinSettledCall and leaveSettledCall). The newcomers alternate between
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
import { newRoomId } from '@parley/e2e/support';
import type { Browser } from '@playwright/test';
import { mergeBuilds, SECOND_INDEX } from './lib/build-route';
import { loadAverage } from './lib/cpu';
import { joinSettledCall, launch, leaveSettledCall, openBenchPerson, openPeople, seatFive } from './lib/people';
import { percentile } from './lib/stats';
import { startParley } from './lib/targets';

const DIR_B = process.env.BENCH_AB_B;
const DIR_A = process.env.BENCH_AB_A ?? fileURLToPath(new URL('../apps/web/dist', import.meta.url));
const JOINS = Number(process.env.BENCH_AB_JOINS ?? 16);
const FIVE = ['P1', 'P2', 'P3', 'P4', 'P5'];

type Build = 'A' | 'B';
type Join = { build: Build; ms: number };

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
  const joins: Join[] = [];
  try {
    const server = await startParley('parley', merged);
    try {
      const browser = await launch();
      try {
        await joinInTurn(browser, server.baseUrl, joins);
      } finally {
        await browser.close();
      }
    } finally {
      await server.dispose();
    }
  } finally {
    rmSync(merged, { recursive: true, force: true });
  }
  printSummary(joins);
  console.log(`load after: ${loadAverage()}`);
}

/** Five in a settled call, then the newcomers of abbaOrder, each joining and leaving before the next; each join goes into `joins`. */
async function joinInTurn(browser: Browser, baseUrl: string, joins: Join[]): Promise<void> {
  const room = newRoomId('bench-ab');
  const five = await openPeople(browser, baseUrl, room, FIVE);
  await seatFive(five);
  for (const [k, build] of abbaOrder(JOINS).entries()) {
    // Both builds reach their newcomer the same way: its page load asks the server for that build's index.
    const indexFile = build === 'A' ? 'index.html' : SECOND_INDEX;
    const sixth = await openBenchPerson(browser, baseUrl, `S${k + 1}`, room, { indexFile });
    const ms = await joinSettledCall(sixth, five);
    joins.push({ build, ms });
    console.log(`  join ${k + 1}, build ${build}: all 30 paths ${Math.round(ms)} ms after Join (load ${loadAverage()})`);
    await leaveSettledCall(sixth, five);
  }
  await Promise.all(five.map((p) => p.context.close()));
}

function printSummary(joins: Join[]): void {
  const median = (values: number[]) => percentile(values, 50);
  const of = (build: Build) => joins.filter((j) => j.build === build).map((j) => j.ms);
  const [a, b] = [median(of('A')), median(of('B'))];
  console.log(`settled call, sixth joiner, all 30 paths, median of ${of('A').length}: A ${Math.round(a)} ms, B ${Math.round(b)} ms, B/A ${(b / a).toFixed(2)}x`);
  // Neighbouring joins met nearly the same machine: compare them pair by pair too.
  const pairs: number[] = [];
  for (let k = 0; k + 1 < joins.length; k += 2) {
    const [first, second] = [joins[k] as Join, joins[k + 1] as Join];
    pairs.push(first.build === 'B' ? first.ms / second.ms : second.ms / first.ms);
  }
  const bFaster = pairs.filter((ratio) => ratio < 1).length;
  console.log(`  pair by pair (each A next to its B): median B/A ${median(pairs).toFixed(2)}x; B faster in ${bFaster} of ${pairs.length} pairs`);
}

await main();
