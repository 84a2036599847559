import { expect, test } from '@playwright/test';
import {
  audioPlayingCount,
  closeAll,
  expectHearing,
  expectNoCspViolations,
  expectRoster,
  expectSilenceFrom,
  fillJoinForm,
  joinRoom,
  newRoomId,
  openPerson,
  rosterItem,
  welcomes,
  type Person,
} from '../support/room';

let people: Person[] = [];
test.afterEach(async () => {
  const seen = people;
  people = [];
  await closeAll(seen);
  expectNoCspViolations(seen);
});

test('two people in a room list each other and hear each other', async ({ browser }) => {
  const room = newRoomId('duo');
  const ada = await openPerson(browser, 'Ada');
  const bob = await openPerson(browser, 'Bob');
  people = [ada, bob];

  await joinRoom(ada, room);
  await expect(ada.page).toHaveURL(new RegExp(`/r/${room}$`));
  // The page runs under the server's Content-Security-Policy (afterEach: it reported no violation).
  const policy = await ada.page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
  expect(policy).toContain("script-src 'self'");
  await expect(rosterItem(ada.page, 'Ada')).toContainText('(you)');
  await joinRoom(bob, room);

  await expectRoster(people, ['Ada', 'Bob']);
  await expectHearing(ada, ['Bob']);
  await expectHearing(bob, ['Ada']);
  // And each page plays the other's stream out loud.
  for (const person of people) await expect.poll(() => audioPlayingCount(person.page), { message: `${person.name} plays one remote stream` }).toBe(1);
  await expect(ada.page.getByRole('status')).toContainText('Connected');
});

test('the form says hello while the name is typed; the name at Join is the one the room shows', async ({ browser }) => {
  const room = newRoomId('hello');
  const ada = await openPerson(browser, 'Ada');
  const bob = await openPerson(browser, 'Bob');
  people = [ada, bob];
  await joinRoom(ada, room);

  await bob.page.goto(`/r/${room}`);
  await bob.page.getByLabel('Display name').fill('Bo');
  // The server has welcomed the half-typed name: the form's socket said hello.
  await expect.poll(() => welcomes(bob.page)).toBe(1);
  await bob.page.getByLabel('Display name').fill('Bob');
  await bob.page.getByRole('button', { name: 'Join' }).click();

  await expectRoster(people, ['Ada', 'Bob']);
  await expectHearing(ada, ['Bob']);
  // Join asked to join on that socket: no second handshake.
  expect(await welcomes(bob.page)).toBe(1);
});

test('four people: all twelve directed audio paths flow', async ({ browser }) => {
  const room = newRoomId('quad');
  const names = ['Ada', 'Bob', 'Cy', 'Dee'];
  people = await Promise.all(names.map((n) => openPerson(browser, n)));
  for (const person of people) await joinRoom(person, room);

  await expectRoster(people, names);
  for (const listener of people) {
    await expectHearing(listener, names.filter((n) => n !== listener.name));
  }
});

test('mute silences you for the others and shows a muted icon; unmute brings audio back', async ({ browser }) => {
  const room = newRoomId('mute');
  const ada = await openPerson(browser, 'Ada');
  const bob = await openPerson(browser, 'Bob');
  people = [ada, bob];
  await joinRoom(ada, room);
  await joinRoom(bob, room);
  await expectHearing(bob, ['Ada']);

  const mute = ada.page.getByRole('button', { name: 'Mute', exact: true });
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');

  await expect(rosterItem(bob.page, 'Ada').getByLabel(/muted/i)).toBeVisible();
  await expectSilenceFrom(bob, 'Ada');
  await expectHearing(ada, ['Bob']); // Bob is still heard: muting is one-way

  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await expect(rosterItem(bob.page, 'Ada').getByLabel(/muted/i)).toHaveCount(0);
  await expectHearing(bob, ['Ada']);
});

test('Leave removes you from the others\u2019 lists within two seconds', async ({ browser }) => {
  // A closed tab is different: it shows as reconnecting at once and leaves after the
  // grace period (recovery.spec.ts), so that a reload is not a leave.
  const room = newRoomId('bye');
  const names = ['Ada', 'Bob', 'Cy'];
  people = await Promise.all(names.map((n) => openPerson(browser, n)));
  const [ada, bob, cy] = people as [Person, Person, Person];
  for (const person of people) await joinRoom(person, room);
  await expectRoster(people, names);

  await ada.page.getByRole('button', { name: 'Leave' }).click();
  await expect(ada.page.getByLabel('Display name')).toBeVisible();
  await expect(rosterItem(bob.page, 'Ada')).toHaveCount(0, { timeout: 2_000 });
  await expect(rosterItem(cy.page, 'Ada')).toHaveCount(0, { timeout: 2_000 });
  await expectRoster([bob, cy], ['Bob', 'Cy']);
});

test('a denied microphone is explained in plain words and can be retried', async ({ browser }) => {
  // The site is blocked: the permission reads "denied" (so nothing opens the microphone
  // ahead of Join) and the request is refused the way Chromium refuses it. The retry is
  // allowed, as after the user changes the site setting.
  const ada = await openPerson(browser, 'Ada', {
    initScript: `(() => {
      const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      const realQuery = navigator.permissions.query.bind(navigator.permissions);
      let blocked = true;
      navigator.permissions.query = (descriptor) =>
        blocked && descriptor.name === 'microphone' ? Promise.resolve({ state: 'denied', onchange: null }) : realQuery(descriptor);
      navigator.mediaDevices.getUserMedia = (constraints) => {
        if (!blocked) return real(constraints);
        blocked = false;
        return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      };
    })();`,
  });
  people = [ada];
  await fillJoinForm(ada, newRoomId('mic'));
  await ada.page.getByRole('button', { name: 'Join' }).click();

  const alert = ada.page.getByRole('alert');
  await expect(alert).toContainText(/microphone/i);
  await expect(alert).toContainText(/denied/i);
  await ada.page.getByRole('button', { name: 'Try again' }).click();
  await expect(rosterItem(ada.page, 'Ada')).toBeVisible();
  await expect(ada.page.getByRole('alert')).toHaveCount(0);
});

test('an absent microphone is explained too', async ({ browser }) => {
  const ada = await openPerson(browser, 'Ada', {
    initScript: `navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));`,
  });
  people = [ada];
  await fillJoinForm(ada, newRoomId('nomic'));
  await ada.page.getByRole('button', { name: 'Join' }).click();
  await expect(ada.page.getByRole('alert')).toContainText(/no microphone/i);
  await expect(ada.page.getByRole('button', { name: 'Try again' })).toBeVisible();
});
