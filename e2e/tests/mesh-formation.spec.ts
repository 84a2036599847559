import { expect, test } from '../support/fixtures';
import {
  fillJoinForm,
  joinRoom,
  links,
  negotiationCounts,
  newRoomId,
  openPerson,
  type Person,
} from '../support/room';

// Rooms of six on this two-core machine: the mesh must form, and a sixth
// person joining five must cost no ICE restart and no rebuilt connection.
// The room of ten (two pages, eight bots) is measured by bench/mesh-formation.ts.

type Heard = { who: string; from: string[]; lastFirstAudioAt: number };

/** Who each person has received audio from, and when the latest of those paths started (seen in the page). */
async function hearing(people: Person[]): Promise<Heard[]> {
  return Promise.all(
    people.map(async (p) => {
      const flowing = (await links(p.page)).filter((l) => l.name !== null && l.firstAudioAt !== null);
      return {
        who: p.name,
        from: [...new Set(flowing.map((l) => l.name as string))].sort(),
        lastFirstAudioAt: Math.max(0, ...flowing.map((l) => l.firstAudioAt as number)),
      };
    }),
  );
}

/**
 * Waits until every directed path has carried audio and returns how long
 * after `since` (wall clock, ms) the last of them started, as seen in the
 * pages themselves. How fast is the benchmarks' business (bench/
 * mesh-formation.ts prints it beside the raw-WebRTC baseline); here a mesh
 * that never completes fails.
 */
async function allPathsFlowing(people: Person[], since: number, what: string): Promise<number> {
  const expected = people.map((p) => ({ who: p.name, from: people.filter((o) => o !== p).map((o) => o.name).sort() }));
  let heard: Heard[] = [];
  await expect
    .poll(async () => {
      heard = await hearing(people);
      return heard.map(({ who, from }) => ({ who, from }));
    }, { timeout: 45_000, intervals: [500], message: what })
    .toEqual(expected);
  const ms = Math.max(...heard.map((h) => h.lastFirstAudioAt)) - since;
  test.info().annotations.push({ type: 'formed', description: `${what}: ${ms} ms` });
  return ms;
}

async function expectNoRestarts(people: Person[]): Promise<void> {
  for (const person of people) {
    const counts = await negotiationCounts(person.page);
    expect({ who: person.name, iceRestarts: counts.iceRestarts, rebuilds: counts.rebuilds }).toEqual({
      who: person.name,
      iceRestarts: 0,
      rebuilds: 0,
    });
  }
}

test('five people talking, a sixth joins: all 30 paths carry audio, and no link was restarted or rebuilt', async ({ browser, people }) => {
  test.setTimeout(150_000);
  const room = newRoomId('sixth');
  for (const name of ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay']) people.push(await openPerson(browser, name));
  const five = people.slice(0, 5);
  for (const person of five) await joinRoom(person, room);
  await allPathsFlowing(five, Date.now(), 'five people hear each other');

  const fay = people[5] as Person;
  await fillJoinForm(fay, room);
  const pressedAt = Date.now();
  await fay.page.getByRole('button', { name: 'Join' }).click();
  await allPathsFlowing(people, pressedAt, 'all 30 paths after the sixth Join');
  await expectNoRestarts(people);
});

test('six people press Join at the same instant, three times in a row: all 30 paths every time, no InvalidStateError', async ({ browser, people }) => {
  test.setTimeout(240_000);
  for (const name of ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay']) people.push(await openPerson(browser, name));
  for (let round = 1; round <= 3; round++) {
    const room = newRoomId(`six${round}`);
    await Promise.all(people.map((p) => fillJoinForm(p, room)));
    const pressedAt = Date.now();
    await Promise.all(people.map((p) => p.page.getByRole('button', { name: 'Join' }).click()));
    await allPathsFlowing(people, pressedAt, `round ${round}: all 30 paths after six Joins at once`);
    // What the burst cost is recorded, not asserted: on a loaded CI machine a burst still makes
    // the odd restart (see the closing note of issue 7); the sixth-joiner test asserts none.
    const counts = await Promise.all(people.map((p) => negotiationCounts(p.page)));
    test.info().annotations.push({
      type: 'cost',
      description: `round ${round}: ICE restarts ${counts.reduce((n, c) => n + c.iceRestarts, 0)}, rebuilds ${counts.reduce((n, c) => n + c.rebuilds, 0)}`,
    });
    for (const person of people) await person.page.getByRole('button', { name: 'Leave' }).click();
  }
  for (const person of people) {
    expect(person.errors.filter((e) => /InvalidStateError/.test(e)), person.name).toEqual([]);
  }
});
