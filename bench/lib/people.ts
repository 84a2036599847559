import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions, expectRoster, INSTRUMENT_SCRIPT, negotiationCounts, rosterItem, type NegotiationCounts, type Person } from '@parley/e2e/support';
import { servePage } from './build-route';
import { probeScript, type BenchProbe } from './probe';
import { WaitTimedOut } from './stats';

/** Headless Chromium as the e2e tests launch it, with `extraArgs` after theirs. */
export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions(extraArgs), headless: true });
}

const browserPerPerson = () => process.env.BENCH_BROWSER_PER_PERSON === '1';

/** Where a benchmark opens its people's pages: all of it a benchmark asks of a browser. */
export type Browsers = Pick<Browser, 'newContext' | 'close'>;

/**
 * One shared browser, as the e2e tests run (every page's sockets and UDP then
 * pass through that browser's one network service), or with
 * BENCH_BROWSER_PER_PERSON=1 a browser of each person's own, as real people
 * have: each context gets a fresh Chromium, closed with it.
 */
export async function launchBrowsers(extraArgs: string[] = []): Promise<Browsers> {
  if (!browserPerPerson()) return launch(extraArgs);
  const browsers: Browser[] = [];
  return {
    async newContext(options) {
      const browser = await launch(extraArgs);
      browsers.push(browser);
      const context = await browser.newContext(options);
      // Its person gone, its browser goes too (closing a closed browser does nothing).
      context.on('close', () => void browser.close());
      return context;
    },
    async close() {
      await Promise.all(browsers.map((browser) => browser.close()));
    },
  };
}

/** "one browser for all pages" or "a browser per person", as launchBrowsers chooses. */
export const browsersText = (): string => (browserPerPerson() ? 'a browser per person' : 'one browser for all pages');

/** The offers, ICE restarts and rebuilt connections Parley pages made, summed over `people`. */
export async function negotiationTotals(people: Person[]): Promise<NegotiationCounts> {
  const all = await Promise.all(people.map((p) => negotiationCounts(p.page)));
  return all.reduce((sum, c) => ({
    peerConnections: sum.peerConnections + c.peerConnections,
    offers: sum.offers + c.offers,
    iceRestarts: sum.iceRestarts + c.iceRestarts,
    rebuilds: sum.rebuilds + c.rebuilds,
  }));
}

/** " (offers 15, ICE restarts 0, rebuilds 0)", or nothing without counts (the baseline keeps none). */
export const negotiationText = (c: NegotiationCounts | undefined): string =>
  c ? ` (offers ${c.offers}, ICE restarts ${c.iceRestarts}, rebuilds ${c.rebuilds})` : '';

export async function openBenchPerson(
  browser: Browsers,
  baseUrl: string,
  name: string,
  roomId: string,
  options: { initScript?: string; indexFile?: string } = {},
): Promise<Person> {
  const context = await browser.newContext({ permissions: ['microphone'], baseURL: baseUrl });
  // One of two builds the server has (see mergeBuilds), for this page alone.
  if (options.indexFile) await servePage(context, options.indexFile);
  // The tests' audio analysers stay out: a benchmark measures the page, not the probes.
  await context.addInitScript({ content: 'window.__parleyLeanInstrument = true;' });
  await context.addInitScript({ path: INSTRUMENT_SCRIPT });
  await context.addInitScript({ content: probeScript() });
  // A benchmark's own probe, after the instrumentation (as openPerson's initScript in the e2e tests).
  if (options.initScript) await context.addInitScript({ content: options.initScript });
  const logDir = process.env.PARLEY_E2E_CONSOLE_DIR;
  // Asked for the pages' consoles: the engine's step-by-step log too (it costs CPU, so only then).
  if (logDir) await context.addInitScript({ content: "window.localStorage.setItem('parley.logLevel', 'debug');" });
  const page = await context.newPage();
  if (logDir) {
    // As in the e2e tests: every console line of every page, for reading a slow run afterwards.
    page.on('console', (message) => appendFileSync(join(logDir, `${name}.log`), `${new Date().toISOString()} ${message.text()}\n`));
  }
  await page.goto(`/r/${roomId}`);
  await page.getByLabel('Display name').fill(name);
  return { name, context, page, errors: [], consoleTail: [] };
}

export async function pressJoin(person: Person): Promise<void> {
  await person.page.getByRole('button', { name: 'Join' }).click();
}

export async function waitListed(person: Person): Promise<void> {
  await rosterItem(person.page, person.name).waitFor();
}

export async function readProbe(person: Person): Promise<BenchProbe> {
  return person.page.evaluate(() => (window as unknown as { __parleyBench: BenchProbe }).__parleyBench);
}

/**
 * Resolves once `person`'s page has had `count` links' first audio after `afterWall` (ms since the
 * epoch; its own Join click when null), awaited in the page (probe.ts): the benchmark does not poll
 * the pages it measures. Throws WaitTimedOut after `timeoutMs`.
 */
export async function untilHeard(person: Person, count: number, timeoutMs: number, afterWall: number | null = null): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitTimedOut(`timed out waiting for ${person.name}'s first audio on ${count} links`)), timeoutMs);
  });
  const heard = person.page.evaluate(
    ([after, n]) => (window as unknown as { __parleyBenchWhenHeard: (after: number | null, n: number) => Promise<true> }).__parleyBenchWhenHeard(after, n),
    [afterWall, count] as const,
  );
  // Whichever loses the race: a page closed while waiting is the timeout's (or the caller's) story.
  heard.catch(() => undefined);
  try {
    await Promise.race([heard, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Milliseconds from pressing Join to the first audio byte on `expectedLinks` links. */
export async function joinToAudioMs(person: Person, expectedLinks: number, timeoutMs = 20_000): Promise<number> {
  await untilHeard(person, expectedLinks, timeoutMs);
  const probe = await readProbe(person);
  const joinAt = probe.joinAt as number;
  return Math.max(...probe.firstAudio.filter((t) => t > joinAt).slice(0, expectedLinks)) - joinAt;
}

/** Wall clock (ms since the epoch) of the Join click and of each link's first audio byte, in order of arrival, from the page's own clock. */
export async function wallTimes(person: Person): Promise<{ joinAt: number | null; firstAudio: number[] }> {
  const [origin, probe] = await Promise.all([person.page.evaluate(() => performance.timeOrigin), readProbe(person)]);
  return { joinAt: probe.joinAt === null ? null : origin + probe.joinAt, firstAudio: probe.firstAudio.map((t) => origin + t) };
}

/**
 * Five people talking: they join one after another, every one of the 20 paths among them carries
 * audio, and each of them sees the room with all five in it, so what is measured next is the sixth
 * join's alone. (Audio alone is not enough: Parley shows the room once the links are up, and the
 * fifth page's showing it, its biggest piece of work, then fell on the sixth join.)
 */
export async function seatFive(five: Person[]): Promise<void> {
  for (const [i, person] of five.entries()) {
    await pressJoin(person);
    if (i > 0) await joinToAudioMs(person, i, 60_000);
  }
  await Promise.all(five.map((p) => joinToAudioMs(p, five.length - 1, 60_000)));
  await expectRoster(five, five.map((p) => p.name), 60_000);
}

/**
 * A sixth's join into a call of five, once all 30 paths carry audio: its Join click and the
 * arrival of the last path (its own five, and each member's newest, the first audio it got after
 * that click), wall clock. Throws WaitTimedOut if that takes over `timeoutMs`.
 */
export async function sixthJoined(sixth: Person, five: Person[], timeoutMs: number): Promise<{ joinAt: number; lastPath: number }> {
  const deadline = Date.now() + timeoutMs;
  await untilHeard(sixth, five.length, timeoutMs);
  const own = await wallTimes(sixth);
  const joinAt = own.joinAt as number;
  await Promise.all(five.map((m) => untilHeard(m, 1, Math.max(0, deadline - Date.now()), joinAt)));
  const heard = (await Promise.all(five.map(wallTimes))).map((m) => m.firstAudio.filter((t) => t > joinAt));
  const ownPaths = own.firstAudio.filter((t) => t > joinAt);
  return { joinAt, lastPath: Math.max(...ownPaths, ...heard.map((times) => Math.min(...times))) };
}

/** How long a settled call goes undisturbed, with its newcomer on the form (as someone typing a name), before each join. */
export const SETTLE_MS = 5_000;

/**
 * A newcomer on the form of a settled call of `members` for SETTLE_MS presses Join: the ms from
 * the click until all 30 paths carry audio (its own five, and each member's path to it).
 */
export async function joinSettledCall(newcomer: Person, members: Person[]): Promise<number> {
  await pause(SETTLE_MS);
  await pressJoin(newcomer);
  const done = await sixthJoined(newcomer, members, 60_000);
  return done.lastPath - done.joinAt;
}

/** People on the join form of `roomId`, one page each, opened one after another. */
export async function openPeople(browser: Browsers, baseUrl: string, roomId: string, names: string[]): Promise<Person[]> {
  const people: Person[] = [];
  for (const name of names) people.push(await openBenchPerson(browser, baseUrl, name, roomId));
  return people;
}

/**
 * How long a Leave click may take. Not what any benchmark measures, and on this machine under
 * load 15-30 it took 2.4-10.8 s, once more than Playwright's default 30 s (see the README).
 */
const LEAVE_TIMEOUT_MS = 120_000;

/** Presses Leave. */
export async function pressLeave(person: Person): Promise<void> {
  await person.page.getByRole('button', { name: 'Leave', exact: true }).click({ timeout: LEAVE_TIMEOUT_MS });
}

/** A newcomer leaves a settled call: Leave, every member's roster back to the members alone, its page closed. */
export async function leaveSettledCall(newcomer: Person, members: Person[]): Promise<void> {
  await pressLeave(newcomer);
  await expectRoster(members, members.map((p) => p.name), 60_000);
  await newcomer.context.close();
}
