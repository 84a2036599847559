import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

/** The page instrumentation every test and benchmark page loads before the app. */
export const INSTRUMENT_SCRIPT = fileURLToPath(new URL('./instrument.js', import.meta.url));

export type LinkSample = {
  /** Which RTCPeerConnection this is; a rebuilt link to the same person has a new one. */
  linkId: number;
  userId: string | null;
  name: string | null;
  connectionState: string;
  iceConnectionState: string;
  bytesReceived: number;
  totalAudioEnergy: number;
  /**
   * Energy of what this page plays for that person: after the per-person
   * gain stage where Web Audio plays it (whose muted helper element leaves
   * totalAudioEnergy at 0), else the stats' totalAudioEnergy.
   */
  heardEnergy: number;
  audioLevel: number;
  /** 'host', 'srflx' or 'relay': how the selected ICE path leaves this page. */
  localCandidateType: string | null;
};

export type Person = {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen in the page. */
  errors: string[];
  /** The page's last console lines, timestamped: printed when a test fails (see fixtures.ts). */
  consoleTail: string[];
};

const CONSOLE_TAIL_LINES = 30;

export function newRoomId(prefix = 'room'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A new browser context (its own cookies, storage and microphone): one person. */
export async function openPerson(
  browser: Browser,
  name: string,
  options: { initScript?: string; baseURL?: string } = {},
): Promise<Person> {
  const context = await browser.newContext({ permissions: ['microphone'], ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }) });
  await context.addInitScript({ path: INSTRUMENT_SCRIPT });
  if (options.initScript) await context.addInitScript({ content: options.initScript });
  const page = await context.newPage();
  const errors: string[] = [];
  const consoleTail: string[] = [];
  const remember = (line: string) => {
    consoleTail.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (consoleTail.length > CONSOLE_TAIL_LINES) consoleTail.shift();
  };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    remember(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    errors.push(`${error.name}: ${error.message}`);
    remember(`uncaught ${error.name}: ${error.message}`);
  });
  const logDir = process.env.PARLEY_E2E_CONSOLE_DIR;
  if (logDir) {
    // Every console line of every page, timestamped, for reading a failure afterwards.
    page.on('console', (message) => appendFileSync(join(logDir, `${name}.log`), `${new Date().toISOString()} ${message.text()}\n`));
  }
  return { name, context, page, errors, consoleTail };
}

export function roster(page: Page): Locator {
  return page.getByRole('list', { name: 'Participants' });
}

export function rosterItem(page: Page, name: string): Locator {
  return roster(page).getByRole('listitem').filter({ hasText: name });
}

/**
 * Open the room's link, type a name, press Join, and wait to see yourself listed
 * (`timeoutMs`: the expect default of 10 s unless a test fills a room on a busy machine).
 */
export async function joinRoom(person: Person, roomId: string, timeoutMs?: number): Promise<void> {
  await fillJoinForm(person, roomId);
  await person.page.getByRole('button', { name: 'Join' }).click();
  await expect(rosterItem(person.page, person.name)).toBeVisible(timeoutMs === undefined ? {} : { timeout: timeoutMs });
}

export async function fillJoinForm(person: Person, roomId: string): Promise<void> {
  await person.page.goto(`/r/${roomId}`);
  await person.page.getByLabel('Display name').fill(person.name);
}

/** Everyone in `people` lists exactly `names` (in any order), each once. */
export async function expectRoster(people: Person[], names: string[], timeoutMs = 10_000): Promise<void> {
  const expected = [...names].sort();
  for (const person of people) {
    await expect
      .poll(async () => {
        const items = await roster(person.page).getByRole('listitem').allInnerTexts();
        return names.map((n) => items.filter((text) => text.includes(n)).length).join(',') +
          `|${items.length}`;
      }, { message: `${person.name}'s roster`, timeout: timeoutMs })
      .toBe(`${expected.map(() => 1).join(',')}|${expected.length}`);
  }
}

export async function links(page: Page): Promise<LinkSample[]> {
  return page.evaluate(() => (window as unknown as TestWindow).__parleyTest.links());
}

type TestWindow = {
  __parleyTest: {
    links(): Promise<LinkSample[]>;
    peerConnectionsCreated(): number;
    negotiationCounts(): NegotiationCounts;
    dropSockets(): void;
    lastWelcome(): { userId: string; resumeToken: string } | null;
    welcomes(): number;
    audioPlayback(): { liveTracks: number; paused: boolean; muted: boolean }[];
    gainStages(): GainStage[];
    voices(): Promise<Voice[]>;
  };
};

export async function welcomes(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as TestWindow).__parleyTest.welcomes());
}

export async function lastWelcome(page: Page): Promise<{ userId: string; resumeToken: string }> {
  const welcome = await page.evaluate(() => (window as unknown as TestWindow).__parleyTest.lastWelcome());
  if (!welcome) throw new Error('no session.welcome seen yet');
  return welcome;
}

/**
 * Samples, inside the page every 20 ms, how many roster entries mention
 * `name`, until stopped: catches a flicker that polling from the test would miss.
 */
export async function watchRoster(page: Page, name: string): Promise<{ stop(): Promise<{ min: number; max: number; samples: number }> }> {
  const key = `__watch_${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ({ key, name }) => {
      const state = { min: Number.POSITIVE_INFINITY, max: 0, samples: 0, timer: 0 };
      const sample = () => {
        const list = document.querySelector('[aria-label="Participants"]');
        const items = list ? Array.from(list.querySelectorAll('li')) : [];
        const count = items.filter((li) => (li.textContent ?? '').includes(name)).length;
        state.min = Math.min(state.min, count);
        state.max = Math.max(state.max, count);
        state.samples++;
      };
      sample();
      state.timer = window.setInterval(sample, 20);
      (window as unknown as Record<string, unknown>)[key] = state;
    },
    { key, name },
  );
  return {
    async stop() {
      return page.evaluate((key) => {
        const state = (window as unknown as Record<string, { min: number; max: number; samples: number; timer: number }>)[key];
        if (!state) throw new Error('roster watch lost (page reloaded?)');
        window.clearInterval(state.timer);
        return { min: state.min, max: state.max, samples: state.samples };
      }, key);
    },
  };
}

/** What negotiating has cost this page so far (see instrument.js). */
export type NegotiationCounts = { peerConnections: number; offers: number; iceRestarts: number; rebuilds: number };

export async function negotiationCounts(page: Page): Promise<NegotiationCounts> {
  return page.evaluate(() => (window as unknown as TestWindow).__parleyTest.negotiationCounts());
}

/**
 * No page restarted ICE or rebuilt a connection: every link was negotiated once. Given
 * `since` (each person's counts, in the same order, taken earlier), none did after then.
 */
export async function expectNoRecovery(people: Person[], since?: NegotiationCounts[]): Promise<void> {
  const counts = await Promise.all(people.map(async (p) => ({ who: p.name, ...(await negotiationCounts(p.page)) })));
  expect(
    counts.map(({ who, iceRestarts, rebuilds }, i) => ({
      who,
      iceRestarts: iceRestarts - (since?.[i]?.iceRestarts ?? 0),
      rebuilds: rebuilds - (since?.[i]?.rebuilds ?? 0),
    })),
  ).toEqual(people.map((p) => ({ who: p.name, iceRestarts: 0, rebuilds: 0 })));
}

export async function peerConnectionsCreated(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as TestWindow).__parleyTest.peerConnectionsCreated());
}

export async function dropSockets(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as TestWindow).__parleyTest.dropSockets());
}

/** The newest live link to `name`: during a rebuild the old one may linger for a moment. */
function byName(samples: LinkSample[], name: string): LinkSample | undefined {
  return samples.filter((s) => s.name === name).pop();
}

/**
 * Waits until `listener` receives audio from every one of `speakers`: inbound
 * RTP bytes grow and the audio the page plays for them carries energy (the
 * fake microphone plays a tone five times a second, see fake-microphone.ts),
 * i.e. sound a person would hear. A speaker the listener turned down to 0 %
 * or muted for themselves is not heard, nor anyone while they are deafened.
 */
export async function expectHearing(listener: Person, speakers: string[], timeoutMs = 15_000): Promise<void> {
  const baseline = await links(listener.page);
  await expect
    .poll(
      async () => {
        const now = await links(listener.page);
        return speakers.filter((name) => {
          const after = byName(now, name);
          if (!after) return true;
          // A link rebuilt since the baseline counts from zero.
          const before = baseline.find((s) => s.linkId === after.linkId);
          return !(
            after.bytesReceived > (before?.bytesReceived ?? 0) &&
            after.heardEnergy > (before?.heardEnergy ?? 0)
          );
        });
      },
      { timeout: timeoutMs, intervals: [200], message: `${listener.name} should hear ${speakers.join(', ')}` },
    )
    .toEqual([]);
}

/**
 * How many remote streams the page plays out loud: a gain stage with a live
 * track, a gain above zero and a running AudioContext, or (a browser without
 * Web Audio) an unpaused, unmuted element with a live audio track.
 */
export async function audioPlayingCount(page: Page): Promise<number> {
  const { players, stages } = await page.evaluate(() => {
    const test = (window as unknown as TestWindow).__parleyTest;
    return { players: test.audioPlayback(), stages: test.gainStages() };
  });
  const elements = players.filter((p) => p.liveTracks > 0 && !p.paused && !p.muted).length;
  return elements + stages.filter((s) => s.liveTracks > 0 && s.gain > 0 && s.running).length;
}

/** A remote voice routed through a gain stage (a voice turned up past 100 %), as instrument.js measures it. */
type GainStage = {
  userId: string | null;
  name: string | null;
  gain: number;
  liveTracks: number;
  running: boolean;
};

/** A remote voice as this page plays it (instrument.js, voices()). */
export type Voice = {
  userId: string | null;
  name: string | null;
  /** 'element' (at most 100 %) or 'gain' (a Web Audio gain stage, above 100 %). */
  through: 'element' | 'gain';
  /** Whether `level` covers enough time (half a second) for 0 to mean silence. */
  measured: boolean;
  /** Over about the last second: the level this page plays of the voice. */
  level: number;
  /** Over the same second: the sender's level, as it arrived. */
  inputPeak: number;
};

export async function voices(page: Page): Promise<Voice[]> {
  return page.evaluate(() => (window as unknown as TestWindow).__parleyTest.voices());
}

/** How `listener` plays `speaker` (the newest link, should one be rebuilt); undefined while there is none. */
export async function voiceOf(listener: Person, speaker: string): Promise<Voice | undefined> {
  return (await voices(listener.page)).filter((v) => v.name === speaker).at(-1);
}

/**
 * Waits until the audio `listener` receives from `speaker` has been silent for
 * a whole `windowMs` while packets keep arriving: the link is alive and muted.
 */
export async function expectSilenceFrom(listener: Person, speaker: string, windowMs = 2_500): Promise<void> {
  const samples: Array<{ at: number; sample: LinkSample }> = [];
  await expect
    .poll(
      async () => {
        const sample = byName(await links(listener.page), speaker);
        if (!sample) return 'no link';
        const at = Date.now();
        samples.push({ at, sample });
        const earlier = samples.filter((s) => s.sample.linkId === sample.linkId && at - s.at >= windowMs).pop();
        if (!earlier) return 'waiting';
        const energy = sample.heardEnergy - earlier.sample.heardEnergy;
        const bytes = sample.bytesReceived - earlier.sample.bytesReceived;
        return energy < 1e-6 && bytes > 0 ? 'silent' : `energy ${energy}, bytes ${bytes}`;
      },
      { timeout: 15_000, intervals: [250], message: `${listener.name} should hear silence from ${speaker}` },
    )
    .toBe('silent');
}

/** How Chromium reports a Content-Security-Policy violation in the console ("Refused to load the script ..."). */
const CSP_VIOLATION = /Content Security Policy|Refused to/;

/** No page of `people` reported a CSP violation: the server's policy lets the app do everything it does. */
export function expectNoCspViolations(people: Person[]): void {
  const violations = people.flatMap((p) => p.errors.filter((line) => CSP_VIOLATION.test(line)).map((line) => `${p.name}: ${line}`));
  expect(violations, 'CSP violations reported in a console').toEqual([]);
}

/**
 * What each person's page showed when a test failed: its address, what a screen reader
 * would read, and its last console lines. CI keeps only the log, so this is written there.
 */
export async function describePeople(people: Person[]): Promise<string> {
  const within = async <T>(promise: Promise<T>, fallback: T): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(fallback), 5_000);
    });
    try {
      return await Promise.race([promise.catch(() => fallback), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const parts = await Promise.all(
    people.map(async (p) => {
      const screen = await within(p.page.locator('body').ariaSnapshot(), '(page did not answer)');
      return [
        `--- ${p.name} at ${p.page.url()}`,
        screen.length > 2_500 ? `${screen.slice(0, 2_500)}\n…` : screen,
        ...(p.consoleTail.length > 0 ? ['console:', ...p.consoleTail] : []),
      ].join('\n');
    }),
  );
  return parts.join('\n');
}

export async function closeAll(people: Person[]): Promise<void> {
  await Promise.all(people.map((p) => p.context.close().catch(() => undefined)));
}
