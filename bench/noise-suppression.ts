/**
 * What enhanced noise suppression (RNNoise in an AudioWorklet) costs: CPU
 * per page during a steady two-person call, with it off and on, in the same
 * run. Ada and Bob join a room and hear each other; then, ROUNDS times,
 * both turn it off and both turn it on (in Settings, as a user does), and
 * after SETTLE_MS the CPU of this run's own Chromium (every process of the
 * browser this benchmark launched, read from /proc; the machine's other
 * browsers are not counted) is read over WINDOW_MS. Off and on take turns
 * so that both see the same machine. Printed: share of one core per page,
 * each window and the mean, and the ratio on / off.
 */
import { links, newRoomId, type Person } from '@parley/e2e/support';
import { cpuPerPage, loadAverage } from './lib/cpu';
import { launch, openBenchPerson, pressJoin, waitListed } from './lib/people';
import { waitFor } from './lib/stats';
import { startParley } from './lib/targets';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 8_000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 2_000);
const PAGES = 2;

async function setEnhanced(person: Person, on: boolean): Promise<void> {
  const { page } = person;
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings', exact: true });
  await dialog.getByRole('checkbox', { name: 'Enhanced noise suppression' }).setChecked(on);
  await dialog.getByRole('button', { name: 'Close' }).click();
}

/** Both hear each other: inbound bytes grow on every link of both pages. */
async function waitHearing(people: Person[]): Promise<void> {
  for (const person of people) {
    const before = (await links(person.page)).reduce((sum, l) => sum + l.bytesReceived, 0);
    await waitFor(
      async () => ((await links(person.page)).reduce((sum, l) => sum + l.bytesReceived, 0) > before ? true : undefined),
      20_000,
      `${person.name} hears the other`,
    );
  }
}

/** After SETTLE_MS, the share of one core per page this run's own Chromium uses over WINDOW_MS. */
async function settledCpuPerPage(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return cpuPerPage(PAGES, WINDOW_MS, { ownOnly: true });
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

export async function benchNoiseSuppression(): Promise<void> {
  const parley = await startParley();
  const browser = await launch();
  try {
    console.log(`load before: ${loadAverage()}; ${ROUNDS} rounds, ${WINDOW_MS} ms windows after ${SETTLE_MS} ms to settle`);
    const room = newRoomId('bench-rnnoise');
    // Polling stats once a second: the probe's own cost stays out of the figures.
    const people = [
      await openBenchPerson(browser, parley.baseUrl, 'Ada', room),
      await openBenchPerson(browser, parley.baseUrl, 'Bob', room),
    ];
    for (const person of people) {
      await pressJoin(person);
      await waitListed(person);
    }
    await waitHearing(people);
    const off: number[] = [];
    const on: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const person of people) await setEnhanced(person, false);
      await waitHearing(people);
      off.push(await settledCpuPerPage());
      for (const person of people) await setEnhanced(person, true);
      await waitHearing(people);
      on.push(await settledCpuPerPage());
      console.log(`round ${round + 1}: off ${percent(off.at(-1) ?? 0)}, on ${percent(on.at(-1) ?? 0)} of one core per page`);
    }
    const loaded = await people[0]?.page.evaluate(() => performance.getEntriesByType('resource').some((r) => /rnnoise.*\.wasm/.test(r.name)));
    if (!loaded) throw new Error('RNNoise never loaded: the "on" figures measured nothing');
    console.log(`CPU per page, enhanced noise suppression off: ${percent(mean(off))} of one core`);
    console.log(`CPU per page, enhanced noise suppression on:  ${percent(mean(on))} of one core`);
    console.log(`on / off: ${(mean(on) / mean(off)).toFixed(2)}`);
    console.log(`load after: ${loadAverage()}`);
  } finally {
    await browser.close();
    await parley.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchNoiseSuppression();
}
