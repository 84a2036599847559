import { expect, test } from '@playwright/test';
import { closeAll, expectHearing, expectRoster, fillJoinForm, links, newRoomId, openPerson, type Person } from '../support/room';

const ROUNDS = 10;

test('three people joining at the same instant connect every link, ten times in a row', async ({ browser }) => {
  test.setTimeout(240_000);
  const names = ['Ada', 'Bob', 'Cy'];
  const people: Person[] = await Promise.all(names.map((n) => openPerson(browser, n)));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round opens a new room's link in the same pages: the last round's room goes with its document.
      const room = newRoomId(`glare${round}`);
      await Promise.all(people.map((p) => fillJoinForm(p, room)));
      // Press Join in all three pages in the same tick.
      await Promise.all(people.map((p) => p.page.getByRole('button', { name: 'Join' }).click()));
      await expectRoster(people, names);

      for (const person of people) {
        await expect
          .poll(async () => (await links(person.page)).map((l) => l.connectionState).sort().join(','), {
            message: `round ${round}: ${person.name}'s links`,
          })
          .toBe('connected,connected');
        await expectHearing(person, names.filter((n) => n !== person.name));
      }
    }
    for (const person of people) {
      expect(person.errors.filter((e) => /InvalidStateError/.test(e)), person.name).toEqual([]);
    }
  } finally {
    await closeAll(people);
  }
});
