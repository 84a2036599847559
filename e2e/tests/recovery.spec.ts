import { expect, test } from '../support/fixtures';
import { expectChat, sendChat } from '../support/chat';
import { RawClient } from '../support/raw-client';
import {
  dropSockets,
  expectHearing,
  expectRoster,
  expectSilenceFrom,
  joinRoom,
  lastWelcome,
  links,
  newRoomId,
  openPerson,
  peerConnectionsCreated,
  rosterItem,
  watchRoster,
  welcomes,
  type Person,
} from '../support/room';

const others = (people: Person[], me: Person) => people.filter((p) => p !== me).map((p) => p.name);

async function room(browser: import('@playwright/test').Browser, people: Person[], names: string[]): Promise<Person[]> {
  const roomId = newRoomId('survive');
  for (const name of names) people.push(await openPerson(browser, name));
  for (const person of people) await joinRoom(person, roomId);
  await expectRoster(people, names);
  await expectEveryoneHearsEveryone(people);
  return people;
}

/** How many RTCPeerConnections each page has made: unchanged means no link was rebuilt. */
function connectionsMade(people: Person[]): Promise<number[]> {
  return Promise.all(people.map((p) => peerConnectionsCreated(p.page)));
}

async function expectEveryoneHearsEveryone(people: Person[], timeoutMs?: number): Promise<void> {
  for (const person of people) await expectHearing(person, others(people, person), timeoutMs);
}

/** `speaker` mutes: the others see it on the roster and hear silence from them. */
async function expectMuteReachesOthers(speaker: Person, listeners: Person[]): Promise<void> {
  await speaker.page.getByRole('button', { name: 'Mute', exact: true }).click();
  for (const listener of listeners) await expect(rosterItem(listener.page, speaker.name).getByLabel(/muted/i)).toBeVisible();
  for (const listener of listeners) await expectSilenceFrom(listener, speaker.name);
}

test('a killed and restarted signaling server: audio never stops, rosters heal, no link is rebuilt', async ({ browser, server, people }) => {
  test.setTimeout(90_000);
  const names = ['Ada', 'Bob', 'Cy'];
  await room(browser, people, names);
  const [ada, bob, cy] = people as [Person, Person, Person];
  const createdBefore = await connectionsMade(people);

  await server.kill('SIGKILL');
  const killedAt = Date.now();
  await expect(ada.page.getByText('Reconnecting…')).toBeVisible();
  // During the outage, all six directed paths keep carrying sound.
  await expectEveryoneHearsEveryone(people, 4_000);

  // The outage itself is the scenario: the server stays down for five seconds.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + 5_000 - Date.now())));
  await server.start();

  // Within 3 s of the restart, every roster lists each person exactly once.
  await expectRoster(people, names, 3_000);
  for (const person of people) await expect(person.page.getByRole('status')).toContainText('Connected', { timeout: 3_000 });

  // A mute made after the restart reaches everyone, by signaling and by sound.
  await expectMuteReachesOthers(ada, [bob, cy]);

  // The same RTCPeerConnections carried the call throughout.
  expect(await connectionsMade(people)).toEqual(createdBefore);
});

test('a reloaded page comes back as the same person, with audio both ways within two seconds', async ({ browser, people }) => {
  const names = ['Ada', 'Bob'];
  await room(browser, people, names);
  const [ada, bob] = people as [Person, Person];
  const watch = await watchRoster(bob.page, 'Ada');

  const reloadedAt = Date.now();
  await ada.page.reload();
  await expect(rosterItem(ada.page, 'Ada')).toBeVisible(); // rejoined by itself, no form
  // Both directions against the same deadline: each is its own path.
  const deadline = Math.max(1, reloadedAt + 2_000 - Date.now());
  await Promise.all([expectHearing(ada, ['Bob'], deadline), expectHearing(bob, ['Ada'], deadline)]);

  const seen = await watch.stop();
  expect(seen, 'Bob saw Ada exactly once throughout').toMatchObject({ min: 1, max: 1 });
  await expectRoster(people, names);
});

test.describe('a server that hangs', () => {
  // The keepalive interval the server announces; the client pings at it and waits at most three of them for an answer.
  const HEARTBEAT_MS = 2_000;
  test.use({ serverEnv: { PARLEY_HEARTBEAT_MS: String(HEARTBEAT_MS) } });

  test('frozen for 20 s: audio flows throughout, every page says reconnecting, all come back once, a message typed meanwhile arrives once', async ({ browser, server, people }) => {
    test.setTimeout(120_000);
    const names = ['Ada', 'Bob', 'Cy'];
    await room(browser, people, names);
    const [ada, bob, cy] = people as [Person, Person, Person];
    const createdBefore = await connectionsMade(people);

    server.freeze();
    const frozenAt = Date.now();
    // The socket stays open and says nothing: only the client's keepalive can tell.
    await Promise.all(
      people.map(async (p) => {
        await expect(p.page.getByText('Reconnecting…')).toBeVisible({ timeout: 4 * HEARTBEAT_MS + 1_000 });
        test.info().annotations.push({ type: 'noticed', description: `${p.name}: reconnecting ${Date.now() - frozenAt} ms after SIGSTOP` });
      }),
    );
    await expectEveryoneHearsEveryone(people, 4_000);
    await sendChat(ada.page, 'typed while the server hung');

    // The freeze itself is the scenario: twenty seconds.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, frozenAt + 20_000 - Date.now())));
    await expectEveryoneHearsEveryone(people, 4_000);
    server.thaw();

    for (const person of people) await expect(person.page.getByRole('status')).toContainText('Connected', { timeout: 15_000 });
    await expectRoster(people, names);
    for (const person of people) await expectChat(person.page, ['typed while the server hung'], 15_000);
    expect(await connectionsMade(people)).toEqual(createdBefore);
    await expectMuteReachesOthers(ada, [bob, cy]);
  });
});

test('a socket closed under a participant: back within a second, nobody saw them leave', async ({ browser, people }) => {
  const names = ['Ada', 'Bob', 'Cy'];
  await room(browser, people, names);
  const [ada, bob, cy] = people as [Person, Person, Person];
  const watches = [await watchRoster(bob.page, 'Ada'), await watchRoster(cy.page, 'Ada')];
  const userId = (await lastWelcome(ada.page)).userId;
  const sessionsBefore = await welcomes(ada.page);

  await dropSockets(ada.page);
  await expect.poll(() => welcomes(ada.page), { timeout: 1_000, intervals: [50] }).toBe(sessionsBefore + 1);
  await expect(ada.page.getByRole('status')).toContainText('Connected', { timeout: 1_000 });
  expect((await lastWelcome(ada.page)).userId).toBe(userId);

  for (const watch of watches) expect(await watch.stop()).toMatchObject({ min: 1, max: 1 });
  await ada.page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect(rosterItem(bob.page, 'Ada').getByLabel(/muted/i)).toBeVisible();
});

test('the same resume token on a second socket replaces the first; one entry in every roster', async ({ browser, server, people }) => {
  const names = ['Ada', 'Bob'];
  await room(browser, people, names);
  const [ada, bob] = people as [Person, Person];
  const { userId, resumeToken } = await lastWelcome(ada.page);
  const watch = await watchRoster(bob.page, 'Ada');

  const twin = await RawClient.connect(server.port, 'Ada', resumeToken);
  try {
    expect(twin.welcome).toMatchObject({ userId, resumed: true });
    await expect(ada.page.getByRole('status')).toContainText(/open in another tab/i);
    await expectRoster([bob], names);
    expect(await watch.stop()).toMatchObject({ min: 1, max: 1 });
  } finally {
    twin.close();
  }
});

test.describe('a participant who vanishes without a word', () => {
  test.use({ serverEnv: { PARLEY_GRACE_MS: '3000' } });

  test('shows as reconnecting, then leaves every roster after the grace period, and its links close', async ({ browser, people }) => {
    const names = ['Ada', 'Bob', 'Cy'];
    await room(browser, people, names);
    const [ada, bob, cy] = people as [Person, Person, Person];

    await ada.context.close();
    for (const listener of [bob, cy]) {
      await expect(rosterItem(listener.page, 'Ada').getByLabel(/reconnecting/i)).toBeVisible({ timeout: 2_000 });
    }
    for (const listener of [bob, cy]) {
      await expect(rosterItem(listener.page, 'Ada')).toHaveCount(0, { timeout: 3_000 + 2_000 });
      await expect.poll(async () => (await links(listener.page)).filter((l) => l.name === 'Ada').length).toBe(0);
    }
    await expectRoster([bob, cy], ['Bob', 'Cy']);
  });
});

test.describe('the grace period the server announces', () => {
  test.use({ serverEnv: { PARLEY_GRACE_MS: '5000' } });

  test('after a server restart, someone who never came back leaves every roster after about 5 s, not 20 s', async ({ browser, server, people }) => {
    test.setTimeout(90_000);
    const names = ['Ada', 'Bob', 'Cy'];
    await room(browser, people, names);
    const [ada, bob, cy] = people as [Person, Person, Person];

    await server.kill('SIGKILL');
    await cy.context.close(); // gone while the server is down: the restarted server never hears of Cy again
    await server.start();
    const stayers = [ada, bob];
    for (const person of stayers) await expect(person.page.getByRole('status')).toContainText('Connected', { timeout: 10_000 });
    const backAt = Date.now();
    // The new roster lacks Cy: kept as reconnecting for the grace the welcome announced, then gone.
    for (const listener of stayers) await expect(rosterItem(listener.page, 'Cy')).toHaveCount(0, { timeout: 5_000 + 3_000 });
    test.info().annotations.push({ type: 'left', description: `Cy left both rosters ${Date.now() - backAt} ms after they reconnected` });
    await expectRoster(stayers, ['Ada', 'Bob']);
    await expectEveryoneHearsEveryone(stayers);
  });
});
