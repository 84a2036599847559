/**
 * Whether a call gets heavier as people come and go: five people sit in a
 * call, and BENCH_CHURN_CYCLES (4) sixth people, one after another, each
 * wait on the form, join, are heard on all 30 paths and leave. Before the
 * first and after each departure (once the members list only themselves and
 * SETTLE_MS have passed), the CPU the call uses is read over WINDOW_MS: all
 * Chromium processes over the five pages, as bench:mesh reads its steady call.
 * Parley and the baseline in one run, each in a browser and a server of its
 * own. A member that kept something of everyone who left (a connection, an
 * audio path, a timer, a listener) would cost more after every cycle; the
 * baseline, which keeps nothing, shows what the machine's drift alone does.
 * Join times are printed too, for the record: they are not what this measures.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { newRoomId } from '@parley/e2e/support';
import type { Browser } from '@playwright/test';
import { cpuPerPage, loadAverage } from './lib/cpu';
import { joinSettledCall, launch, leaveSettledCall, openBenchPerson, openPeople, seatFive, SETTLE_MS } from './lib/people';
import { chosenTargets, startTargets, type Target } from './lib/targets';

const CYCLES = Number(process.env.BENCH_CHURN_CYCLES ?? 4);
const WINDOW_MS = 10_000;
const MEMBERS = ['P1', 'P2', 'P3', 'P4', 'P5'];

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** CPU per member, as shares of a core: before any newcomer, and after each one left. */
type Readings = { before: number; after: number[] };

async function churn(browser: Browser, target: Target): Promise<Readings> {
  const room = newRoomId('bench-churn');
  const five = await openPeople(browser, target.baseUrl, room, MEMBERS);
  try {
    await seatFive(five);
    await pause(SETTLE_MS);
    const readings: Readings = { before: await cpuPerPage(five.length, WINDOW_MS), after: [] };
    console.log(`  ${target.name}: five in a call, ${percent(readings.before)} of a core per page (load ${loadAverage()})`);
    for (let k = 1; k <= CYCLES; k++) {
      const newcomer = await openBenchPerson(browser, target.baseUrl, `S${k}`, room);
      const joinMs = await joinSettledCall(newcomer, five);
      await leaveSettledCall(newcomer, five);
      await pause(SETTLE_MS);
      const share = await cpuPerPage(five.length, WINDOW_MS);
      readings.after.push(share);
      console.log(`  ${target.name}: after S${k} came (30 paths in ${Math.round(joinMs)} ms) and left, ${percent(share)} per page (load ${loadAverage()})`);
    }
    return readings;
  } finally {
    await Promise.all(five.map((p) => p.context.close()));
  }
}

async function main(): Promise<void> {
  console.log(`load before: ${loadAverage()}`);
  // Every target started is disposed, the ones BENCH_MESH_TARGETS leaves out too: a server left running keeps this process alive.
  const targets = await startTargets();
  const results = new Map<string, Readings>();
  try {
    for (const target of chosenTargets(targets)) {
      // A browser per target: pages closed by the other target's run cost nothing here.
      const browser = await launch();
      try {
        results.set(target.name, await churn(browser, target));
      } finally {
        await browser.close();
      }
    }
  } finally {
    await Promise.all(targets.map((t) => t.dispose()));
  }
  for (const [name, { before, after }] of results) {
    const last = after.at(-1) ?? before;
    console.log(`${name}: CPU per member ${percent(before)} before anyone came, ${percent(last)} after ${after.length} came and left (${(last / before).toFixed(2)}x)`);
  }
  console.log(`load after: ${loadAverage()}`);
}

await main();
