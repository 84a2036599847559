/**
 * Recovery figures:
 *  1. signaling outage: three people talking, the server is SIGKILLed and
 *     restarted 5 s later. Prints the longest audio gap on each of the 6
 *     paths during the outage (expected: none beyond packet jitter), and the
 *     time from the server being back to every roster listing each person
 *     exactly once with the page showing Connected.
 *  2. TURN outage: two people relay-only through coturn; coturn is killed and
 *     restarted 3 s later. Prints the time from coturn listening again to
 *     audio flowing again both ways.
 * Each scenario runs RUNS times.
 */
import { freePort, INSTRUMENT_SCRIPT, links, newRoomId, roster, ServerProcess, TurnProcess, type Person } from '@parley/e2e/support';
import type { Browser } from '@playwright/test';
import { startGapMonitor, stopGapMonitor } from './lib/gap-monitor';
import { launch } from './lib/people';
import { percentile, waitFor } from './lib/stats';
import { ONE_ADDRESS_ENV } from './lib/targets';

const RUNS = Number(process.env.BENCH_RECOVERY_RUNS ?? 3);

async function join3(browser: Browser, baseUrl: string, names: string[]): Promise<Person[]> {
  const roomId = newRoomId('bench-recovery');
  const people: Person[] = [];
  for (const name of names) {
    const context = await browser.newContext({ permissions: ['microphone'], baseURL: baseUrl });
    await context.addInitScript({ path: INSTRUMENT_SCRIPT });
    const page = await context.newPage();
    await page.goto(`/r/${roomId}`);
    await page.getByLabel('Display name').fill(name);
    await page.getByRole('button', { name: 'Join' }).click();
    people.push({ name, context, page, errors: [], consoleTail: [] });
  }
  // Everyone hears everyone.
  await waitFor(async () => {
    for (const p of people) {
      const flowing = (await links(p.page)).filter((l) => l.bytesReceived > 0 && l.name !== null);
      if (flowing.length < names.length - 1) return undefined;
    }
    return true;
  }, 30_000, 'a flowing mesh');
  return people;
}

async function rostersHealed(people: Person[], names: string[]): Promise<boolean> {
  for (const p of people) {
    const items = await roster(p.page).getByRole('listitem').allInnerTexts();
    if (items.length !== names.length) return false;
    if (!names.every((n) => items.filter((t) => t.includes(n)).length === 1)) return false;
    if (!(await p.page.getByRole('status').first().innerText()).includes('Connected')) return false;
  }
  return true;
}

async function longestGap(people: Person[]): Promise<number> {
  const gaps = await Promise.all(people.map((p) => stopGapMonitor(p.page)));
  return Math.max(...gaps.flatMap((g) => Object.values(g)));
}

async function signalingOutage(browser: Browser): Promise<{ baselineGapMs: number; maxGapMs: number; healMs: number }> {
  const server = new ServerProcess(await freePort(), { ...ONE_ADDRESS_ENV, PARLEY_SECRET: 'bench-secret-0123456789' });
  await server.start();
  const names = ['Ada', 'Bob', 'Cy'];
  const people = await join3(browser, server.baseUrl, names);
  try {
    // The same measurement on an undisturbed call, for comparison.
    for (const p of people) await startGapMonitor(p.page);
    await new Promise((r) => setTimeout(r, 5_000));
    const baselineGapMs = await longestGap(people);
    for (const p of people) await startGapMonitor(p.page);
    await server.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 5_000));
    await server.start();
    const backAt = Date.now();
    await waitFor(async () => ((await rostersHealed(people, names)) ? true : undefined), 30_000, 'rosters to heal');
    const healMs = Date.now() - backAt;
    const maxGapMs = await longestGap(people);
    return { baselineGapMs, maxGapMs, healMs };
  } finally {
    await Promise.all(people.map((p) => p.context.close()));
    await server.dispose();
  }
}

async function turnOutage(browser: Browser): Promise<number> {
  const turn = new TurnProcess(await freePort(), 'bench-turn-secret', { min: 49300, max: 49400 });
  await turn.start();
  const server = new ServerProcess(await freePort(), {
    ...ONE_ADDRESS_ENV,
    PARLEY_ICE_SERVERS: turn.url,
    PARLEY_TURN_SECRET: turn.secret,
    PARLEY_ICE_TRANSPORT_POLICY: 'relay',
  });
  await server.start();
  const people = await join3(browser, server.baseUrl, ['Ada', 'Bob']);
  try {
    await turn.kill('SIGKILL');
    // Wait until the relay's absence is felt: inbound audio stops on both sides.
    const bytes = async () => Promise.all(people.map(async (p) => (await links(p.page))[0]?.bytesReceived ?? 0));
    let previous = await bytes();
    await waitFor(async () => {
      await new Promise((r) => setTimeout(r, 300));
      const now = await bytes();
      const stalled = now.every((b, i) => b === previous[i]);
      previous = now;
      return stalled ? true : undefined;
    }, 30_000, 'audio to stop without TURN');
    await new Promise((r) => setTimeout(r, 3_000));
    await turn.start();
    const backAt = Date.now();
    const stalledAt = await bytes();
    await waitFor(async () => {
      const now = await bytes();
      return now.every((b, i) => b > (stalledAt[i] ?? 0)) ? true : undefined;
    }, 60_000, 'audio through the restarted TURN server');
    return Date.now() - backAt;
  } finally {
    await Promise.all(people.map((p) => p.context.close()));
    await server.dispose();
    await turn.kill('SIGTERM');
  }
}

export async function benchRecovery(): Promise<void> {
  const browser = await launch();
  try {
    const gaps: number[] = [];
    const baselines: number[] = [];
    const heals: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const { baselineGapMs, maxGapMs, healMs } = await signalingOutage(browser);
      gaps.push(maxGapMs);
      baselines.push(baselineGapMs);
      heals.push(healMs);
      console.log(
        `signaling outage, run ${run}: longest audio gap on 6 paths ${Math.round(maxGapMs)} ms ` +
          `(undisturbed call: ${Math.round(baselineGapMs)} ms); rosters restored ${healMs} ms after the server was back`,
      );
    }
    const turnBack: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const ms = await turnOutage(browser);
      turnBack.push(ms);
      console.log(`TURN outage, run ${run}: audio flowing both ways ${ms} ms after coturn was back`);
    }
    console.log(
      `signaling outage (5 s): longest audio gap median ${Math.round(percentile(gaps, 50))} ms, worst ${Math.round(Math.max(...gaps))} ms; ` +
        `undisturbed call median ${Math.round(percentile(baselines, 50))} ms`,
    );
    console.log(`server back -> all rosters restored: median ${percentile(heals, 50)} ms, worst ${Math.max(...heals)} ms`);
    console.log(`TURN back -> audio flowing: median ${percentile(turnBack, 50)} ms, worst ${Math.max(...turnBack)} ms`);
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchRecovery();
}
