import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions, INSTRUMENT_SCRIPT, rosterItem, type Person } from '@parley/e2e/support';
import { probeScript, type BenchProbe } from './probe';
import { waitFor } from './stats';

export async function launch(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions(), headless: true });
}

export async function openBenchPerson(
  browser: Browser,
  baseUrl: string,
  name: string,
  roomId: string,
  options: { probeIntervalMs?: number; initScript?: string } = {},
): Promise<Person> {
  const context = await browser.newContext({ permissions: ['microphone'], baseURL: baseUrl });
  // The tests' audio analysers stay out: a benchmark measures the page, not the probes.
  await context.addInitScript({ content: 'window.__parleyLeanInstrument = true;' });
  await context.addInitScript({ path: INSTRUMENT_SCRIPT });
  await context.addInitScript({ content: probeScript(options.probeIntervalMs ?? 10) });
  // A benchmark's own probe, after the instrumentation (as openPerson's initScript in the e2e tests).
  if (options.initScript) await context.addInitScript({ content: options.initScript });
  const page = await context.newPage();
  const logDir = process.env.PARLEY_E2E_CONSOLE_DIR;
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

/** Milliseconds from pressing Join to the first audio byte on `expectedLinks` links. */
export async function joinToAudioMs(person: Person, expectedLinks: number, timeoutMs = 20_000): Promise<number> {
  return waitFor(
    async () => {
      const probe = await readProbe(person);
      if (probe.joinAt === null || probe.firstAudio.length < expectedLinks) return undefined;
      return Math.max(...probe.firstAudio.slice(0, expectedLinks)) - probe.joinAt;
    },
    timeoutMs,
    `${person.name}'s first audio`,
  );
}
