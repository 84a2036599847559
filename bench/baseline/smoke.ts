/**
 * Checks the baseline end to end with the benchmarks' own helpers, small
 * enough for a busy two-core machine:
 *   tsx baseline/smoke.ts        3 pages join together; time to all 6 paths flowing
 *   tsx baseline/smoke.ts bots   2 bots in the room, then 2 pages join; everyone hears everyone
 * Then the last page presses Leave and drops off everyone's roster.
 * BASELINE_SCREENSHOT=<file.png> also saves the first page before Join
 * (<file>-lobby.png) and once the mesh is up.
 */
import { links, newRoomId, roster, rosterItem, type Person } from '@parley/e2e/support';
import { joinToAudioMs, launch, openBenchPerson, pressJoin, readProbe } from '../lib/people';
import { waitFor } from '../lib/stats';
import { startBaselineBots } from './bot';
import { startBaselineServer } from './server';

const withBots = process.argv[2] === 'bots';
const pageNames = withBots ? ['Ada', 'Bob'] : ['Ada', 'Bob', 'Cy'];
const botNames = withBots ? ['Bot 1', 'Bot 2'] : [];
const everyone = [...pageNames, ...botNames];
const others = everyone.length - 1;

/** Epoch milliseconds of a page's Join click and of its last link's first audio byte. */
async function span(person: Person): Promise<{ joinedAt: number; flowingAt: number }> {
  const [origin, probe] = await Promise.all([person.page.evaluate(() => performance.timeOrigin), readProbe(person)]);
  return { joinedAt: origin + (probe.joinAt as number), flowingAt: origin + Math.max(...probe.firstAudio.slice(0, others)) };
}

const server = await startBaselineServer(0);
const browser = await launch();
const room = newRoomId('baseline');
const roomBots = withBots ? await startBaselineBots({ url: server.baseUrl, room, names: botNames }) : null;
try {
  const people = await Promise.all(pageNames.map((name) => openBenchPerson(browser, server.baseUrl, name, room)));
  const screenshot = process.env.BASELINE_SCREENSHOT;
  if (screenshot) await people[0]?.page.screenshot({ path: screenshot.replace(/\.png$/, '-lobby.png') });
  await Promise.all(people.map(pressJoin));
  // Polled from here, alongside the pages, so the time is not the pages' wait.
  const botsHearEveryone = waitFor(async () => {
    const heard = roomBots?.hearing() ?? {};
    return botNames.every((bot) => everyone.every((n) => n === bot || heard[bot]?.includes(n))) ? Date.now() : undefined;
  }, 20_000, 'the bots hear everyone');
  botsHearEveryone.catch(() => undefined); // awaited below; a page failing first must not make it unhandled
  const joinMs = await Promise.all(people.map((p) => joinToAudioMs(p, others, 20_000)));
  const spans = await Promise.all(people.map(span));
  const firstJoin = Math.min(...spans.map((s) => s.joinedAt));
  const pagesFlowingMs = Math.max(...spans.map((s) => s.flowingAt)) - firstJoin;
  people.forEach((p, i) => console.log(`${p.name} hears all ${others} others ${Math.round(joinMs[i] as number)} ms after its Join`));

  if (roomBots) {
    const botsDoneAt = await botsHearEveryone;
    console.log(`bots hear everyone ${Math.round(botsDoneAt - firstJoin)} ms after the first Join (polled): ${JSON.stringify(roomBots.hearing())}`);
  }
  const paths = everyone.length * others;
  console.log(`${withBots ? 'page' : 'all'} paths flowing ${Math.round(pagesFlowingMs)} ms after the first Join (${people.length} pages${withBots ? ` + ${botNames.length} bots, ${paths} paths in all` : `, ${paths} paths`})`);

  // What a person would notice: everyone listed once, and sound (energy, not only bytes) on every link.
  await new Promise((r) => setTimeout(r, 1_200));
  for (const person of people) {
    for (const name of everyone) await rosterItem(person.page, name).waitFor({ timeout: 5_000 });
    const listed = await roster(person.page).getByRole('listitem').count();
    if (listed !== everyone.length) throw new Error(`${person.name} lists ${listed} people, not ${everyone.length}`);
    const samples = await links(person.page);
    const audible = samples.filter((l) => l.bytesReceived > 0 && l.heardEnergy > 0).length;
    const playing = await person.page.evaluate(() =>
      Array.from(document.querySelectorAll('audio')).filter((a) => a.srcObject && !a.paused).length,
    );
    console.log(`${person.name}: roster ok, ${audible}/${others} links with audio energy, ${playing} <audio> elements playing`);
  }
  if (screenshot) await people[0]?.page.screenshot({ path: screenshot });

  const leaver = people[people.length - 1] as Person;
  await leaver.page.getByRole('button', { name: 'Leave' }).click();
  for (const person of people.slice(0, -1)) await rosterItem(person.page, leaver.name).waitFor({ state: 'detached', timeout: 5_000 });
  if (roomBots) {
    await waitFor(async () => (Object.values(roomBots.hearing()).some((names) => names.includes(leaver.name)) ? undefined : true), 5_000, 'the bots drop the leaver');
  }
  console.log(`${leaver.name} left: gone from every roster${roomBots ? ' and from what the bots hear' : ''}`);
} finally {
  await roomBots?.close();
  await browser.close();
  await server.close();
}
