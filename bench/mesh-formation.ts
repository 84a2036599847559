/**
 * Mesh formation: how long until six people have all 30 directed audio paths
 * carrying bytes (each page has 5 links with inbound audio).
 *  - together: all six press Join in the same moment (a burst: six pages doing
 *    getUserMedia, first render and 15 negotiations at once on this machine);
 *  - one by one: each presses Join once the previous one hears everyone, the
 *    way people usually drift into a room.
 * Each mode is repeated RUNS times; prints every run and the median.
 */
import { freePort, newRoomId, ServerProcess, type Person } from '@parley/e2e/support';
import type { Browser } from '@playwright/test';
import { joinToAudioMs, launch, openBenchPerson, pressJoin, readProbe } from './lib/people';
import { percentile } from './lib/stats';

const PEOPLE = Number(process.env.BENCH_MESH_PEOPLE ?? 6);
const RUNS = Number(process.env.BENCH_MESH_RUNS ?? 3);
const PATHS = PEOPLE * (PEOPLE - 1);
// getStats polling is load too: with 30 connections, poll every 50 ms, not 10.
const PROBE_INTERVAL_MS = 50;

async function openRoom(browser: Browser, baseUrl: string): Promise<Person[]> {
  const room = newRoomId('bench-mesh');
  const people: Person[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    people.push(await openBenchPerson(browser, baseUrl, `P${i + 1}`, room, PROBE_INTERVAL_MS));
  }
  return people;
}

/** Wall clock across pages: from the first Join click to the last path's first byte. */
async function allFlowingMs(people: Person[]): Promise<number> {
  const spans = await Promise.all(
    people.map(async (p) => {
      const [origin, probe] = await Promise.all([p.page.evaluate(() => performance.timeOrigin), readProbe(p)]);
      return {
        joinedAt: origin + (probe.joinAt as number),
        flowingAt: origin + Math.max(...probe.firstAudio.slice(0, PEOPLE - 1)),
      };
    }),
  );
  return Math.max(...spans.map((s) => s.flowingAt)) - Math.min(...spans.map((s) => s.joinedAt));
}

async function together(browser: Browser, baseUrl: string): Promise<number> {
  const people = await openRoom(browser, baseUrl);
  await Promise.all(people.map(pressJoin));
  await Promise.all(people.map((p) => joinToAudioMs(p, PEOPLE - 1, 60_000)));
  const ms = await allFlowingMs(people);
  await Promise.all(people.map((p) => p.context.close()));
  return ms;
}

async function oneByOne(browser: Browser, baseUrl: string): Promise<{ lastJoinerMs: number }> {
  const people = await openRoom(browser, baseUrl);
  let lastJoinerMs = 0;
  for (const [i, person] of people.entries()) {
    await pressJoin(person);
    if (i > 0) lastJoinerMs = await joinToAudioMs(person, i, 60_000);
  }
  await Promise.all(people.map((p) => joinToAudioMs(p, PEOPLE - 1, 60_000)));
  await Promise.all(people.map((p) => p.context.close()));
  return { lastJoinerMs };
}

export async function benchMeshFormation(): Promise<void> {
  const server = new ServerProcess(await freePort());
  await server.start();
  const browser = await launch();
  try {
    const burst: number[] = [];
    const drift: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const ms = await together(browser, server.baseUrl);
      burst.push(ms);
      console.log(`together, run ${run}: all ${PATHS} paths flowing ${Math.round(ms)} ms after the first Join`);
    }
    for (let run = 1; run <= RUNS; run++) {
      const { lastJoinerMs } = await oneByOne(browser, server.baseUrl);
      drift.push(lastJoinerMs);
      console.log(`one by one, run ${run}: person ${PEOPLE} hears all ${PEOPLE - 1} others ${Math.round(lastJoinerMs)} ms after Join`);
    }
    console.log(`mesh of ${PEOPLE}, together: all ${PATHS} paths flowing, median ${Math.round(percentile(burst, 50))} ms`);
    console.log(`mesh of ${PEOPLE}, one by one: the last joiner completes the ${PATHS}-path mesh in median ${Math.round(percentile(drift, 50))} ms`);
  } finally {
    await browser.close();
    await server.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchMeshFormation();
}
