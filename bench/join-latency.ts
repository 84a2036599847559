/**
 * Join to first inbound audio byte: Ada sits in a room; a second person opens
 * the room link, types a name and presses Join, 20 times (a fresh browser
 * context each time). Prints p50/p95 for both directions, measured with the
 * page's own clock from the Join click to the first inbound-rtp audio byte.
 */
import { freePort, newRoomId, rosterItem, ServerProcess } from '@parley/e2e/support';
import { launch, openBenchPerson, pressJoin, readProbe, waitListed } from './lib/people';
import { summary, waitFor } from './lib/stats';

const JOINS = Number(process.env.BENCH_JOINS ?? 20);

export async function benchJoinLatency(): Promise<void> {
  const server = new ServerProcess(await freePort());
  await server.start();
  const browser = await launch();
  try {
    const room = newRoomId('bench-join');
    const ada = await openBenchPerson(browser, server.baseUrl, 'Ada', room);
    await pressJoin(ada);
    await waitListed(ada);

    const joinerHears: number[] = [];
    const adaHears: number[] = [];
    for (let i = 0; i < JOINS; i++) {
      const bob = await openBenchPerson(browser, server.baseUrl, `Bob ${i + 1}`, room);
      const adaBefore = (await readProbe(ada)).firstAudio.length;
      const bobOrigin = await bob.page.evaluate(() => performance.timeOrigin);
      await pressJoin(bob);
      const bobProbe = await waitFor(async () => {
        const p = await readProbe(bob);
        return p.joinAt !== null && p.firstAudio.length >= 1 ? p : undefined;
      }, 20_000, 'joiner audio');
      const joinAtAbs = bobOrigin + (bobProbe.joinAt as number);
      joinerHears.push((bobProbe.firstAudio[0] as number) - (bobProbe.joinAt as number));
      const adaFirst = await waitFor(async () => {
        const p = await readProbe(ada);
        return p.firstAudio.length > adaBefore ? (p.firstAudio[adaBefore] as number) : undefined;
      }, 20_000, 'Ada hears the joiner');
      const adaOrigin = await ada.page.evaluate(() => performance.timeOrigin);
      adaHears.push(adaOrigin + adaFirst - joinAtAbs);
      // Leave properly: a closed tab stays listed as reconnecting for the grace
      // period, and twenty of those would fill the room.
      await bob.page.getByRole('button', { name: 'Leave' }).click();
      await rosterItem(ada.page, bob.name).waitFor({ state: 'detached' });
      await bob.context.close();
    }
    console.log(summary('join -> joiner hears first audio byte', joinerHears));
    console.log(summary('join -> room hears joiner first audio byte', adaHears));
  } finally {
    await browser.close();
    await server.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchJoinLatency();
}
