import { BotProcess } from '../support/bot-process';
import { expect, test } from '../support/fixtures';
import { expectNoRecovery, fillJoinForm, joinRoom, links, negotiationCounts, newRoomId, openPerson, type Person } from '../support/room';

// Rooms of six on a two-core machine: the mesh forms, and forming it costs no ICE
// restart and no rebuilt connection. How fast is the benchmarks' business (bench/
// mesh-formation.ts prints it beside a raw-WebRTC baseline, in the same run); here each
// formation time is recorded as an annotation, and a mesh that never completes fails.
// The room of ten is two pages and eight headless participants (`pnpm bot`): ten
// Chromium pages would not fit on two cores.

const SIX = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay'];

/** For each person, the others they have received audio from on a live link, sorted. */
async function heardBy(people: Person[]): Promise<Array<{ who: string; from: string[] }>> {
  return Promise.all(
    people.map(async (p) => {
      const live = (await links(p.page)).filter((l) => l.name !== null && l.connectionState !== 'closed' && l.bytesReceived > 0);
      return { who: p.name, from: [...new Set(live.map((l) => l.name as string))].sort() };
    }),
  );
}

/**
 * Waits until every directed path among `people` has carried audio; records how long that took.
 * Two minutes: a mesh that never completes fails, a slow one is the benchmarks' business. In
 * CI a round of six at once took 58 s, while the browser's network process, shared by all six
 * pages, delivered nothing for 13-23 s (every page's keepalive said so at the same moment).
 * Looked at once a second: each look reads the stats of every connection of every page, on
 * the same two cores as the negotiations it waits for.
 */
async function allPathsFlowing(people: Person[], since: number, what: string, timeoutMs = 120_000): Promise<void> {
  const expected = people.map((p) => ({ who: p.name, from: people.filter((o) => o !== p).map((o) => o.name).sort() }));
  await expect.poll(() => heardBy(people), { timeout: timeoutMs, intervals: [1000], message: what }).toEqual(expected);
  test.info().annotations.push({ type: 'formed', description: `${what}: within ${Date.now() - since} ms` });
}

test('five people talking, a sixth joins: all 30 paths carry audio, and no link was restarted or rebuilt', async ({ browser, people }) => {
  test.setTimeout(300_000);
  const room = newRoomId('sixth');
  for (const name of SIX) people.push(await openPerson(browser, name));
  const five = people.slice(0, 5);
  // Four pages already talking on two cores: in CI a fifth once took over 10 s to show its
  // room. Forming the five is the set-up; the sixth is what this test is about.
  for (const person of five) await joinRoom(person, room, 30_000);
  await allPathsFlowing(five, Date.now(), 'five people hear each other');

  const fay = people[5] as Person;
  await fillJoinForm(fay, room);
  // What the join costs is counted from its Join. The set-up may have had a real stall: in CI
  // the five's packets stopped for over a second on three pages at once while the sixth page
  // loaded (its ask for a new path took 2.2 s to cross the server), and the path was renewed,
  // as a path that worked and broke is. Recorded, not part of this test's claim.
  const beforeJoin = await Promise.all(people.map((p) => negotiationCounts(p.page)));
  const setUpRecovery = beforeJoin.reduce((sum, c) => sum + c.iceRestarts + c.rebuilds, 0);
  if (setUpRecovery > 0) test.info().annotations.push({ type: 'set-up recovery', description: `${setUpRecovery} ICE restarts and rebuilds before the sixth Join` });
  const pressedAt = Date.now();
  await fay.page.getByRole('button', { name: 'Join' }).click();
  await allPathsFlowing(people, pressedAt, 'all 30 paths after the sixth Join');
  await expectNoRecovery(people, beforeJoin);
});

test('six people press Join at the same instant, three times in a row: all 30 paths every time, no InvalidStateError', async ({ browser, people }) => {
  // Three rounds, each allowed two minutes to form (the poll below). Each round opens the new
  // room's link in the same six pages: a new document, so the counts below are that round's.
  test.setTimeout(480_000);
  for (const name of SIX) people.push(await openPerson(browser, name));
  for (let round = 1; round <= 3; round++) {
    const room = newRoomId(`six${round}`);
    await Promise.all(people.map((p) => fillJoinForm(p, room)));
    const pressedAt = Date.now();
    await Promise.all(people.map((p) => p.page.getByRole('button', { name: 'Join' }).click()));
    await allPathsFlowing(people, pressedAt, `round ${round}: all 30 paths after six Joins at once`);
    // What the burst cost is recorded, not asserted: on this two-core machine about one round in
    // four still restarts ICE on a link or two (never a rebuild); see the closing note of issue 7.
    const counts = await Promise.all(people.map((p) => negotiationCounts(p.page)));
    test.info().annotations.push({
      type: 'cost',
      description: `round ${round}: ICE restarts ${counts.reduce((n, c) => n + c.iceRestarts, 0)}, rebuilds ${counts.reduce((n, c) => n + c.rebuilds, 0)}`,
    });
  }
  for (const person of people) {
    expect(person.errors.filter((e) => /InvalidStateError/.test(e)), person.name).toEqual([]);
  }
});

test('a room of ten (two pages, eight headless participants): both pages hear all nine others', async ({ browser, people, server }) => {
  test.setTimeout(240_000);
  const room = newRoomId('ten');
  // The bots send audio to the pages only: each sending path costs an encoder, and the
  // pages are the ones listening here.
  const bots = await BotProcess.start({ url: server.baseUrl, room, name: 'Bot', count: 8, args: ['--quiet-between-bots'] });
  try {
    for (const name of ['Ada', 'Bob']) people.push(await openPerson(browser, name));
    await Promise.all(people.map((p) => fillJoinForm(p, room)));
    // Both press Join; the room shows once in, which with eight bots on two cores can take
    // longer than the usual ten seconds: hearing everyone is what this test waits for.
    const pressedAt = Date.now();
    await Promise.all(people.map((p) => p.page.getByRole('button', { name: 'Join' }).click()));
    const everyone = [...bots.names, 'Ada', 'Bob'];
    const expected = people.map((p) => ({ who: p.name, from: everyone.filter((n) => n !== p.name).sort() }));
    // Generous: on two cores the eight bots' 72 connections and the two pages share the CPU
    // (formation took 25-55 s in ten runs here; bench/mesh-formation.ts compares it with raw WebRTC).
    await expect.poll(() => heardBy(people), { timeout: 120_000, intervals: [500], message: 'both pages hear all nine' }).toEqual(expected);
    test.info().annotations.push({ type: 'formed', description: `room of ten: within ${Date.now() - pressedAt} ms` });
    await bots.waitHearing(['Ada', 'Bob'], 30_000);
  } catch (error) {
    const events = bots.events().filter((e) => e.event !== 'peerJoined' && e.event !== 'joined');
    test.info().annotations.push({ type: 'bot events', description: JSON.stringify(events).slice(0, 20_000) });
    test.info().annotations.push({ type: 'bot reports', description: JSON.stringify(bots.latest()).slice(0, 20_000) });
    throw error;
  } finally {
    await bots.dispose();
  }
});
