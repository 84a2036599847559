import { expect, test } from '../support/fixtures';
import { chatLines, chatTexts, expectChat, sendChat } from '../support/chat';
import { RawClient } from '../support/raw-client';
import { expectRoster, joinRoom, newRoomId, openPerson, rosterItem, type Person } from '../support/room';

async function pair(browser: import('@playwright/test').Browser, people: Person[], names = ['Ada', 'Bob']): Promise<Person[]> {
  const roomId = newRoomId('chat');
  for (const name of names) people.push(await openPerson(browser, name));
  for (const person of people) await joinRoom(person, roomId);
  await expectRoster(people, names);
  return people;
}

function roomOf(person: Person): string {
  const match = /\/r\/([^/?#]+)/.exec(person.page.url());
  if (!match?.[1]) throw new Error(`not in a room: ${person.page.url()}`);
  return match[1];
}

test('a message reaches the other tab within a second, with its author', async ({ browser, people }) => {
  const [ada, bob] = (await pair(browser, people)) as [Person, Person];
  await sendChat(ada.page, 'hello from Ada');
  await expectChat(bob.page, ['hello from Ada'], 1_000);
  expect((await chatLines(bob.page))[0]).toMatchObject({ author: 'Ada', text: 'hello from Ada' });
  await expectChat(ada.page, ['hello from Ada']);
});

test('a burst of 50 messages from two senders at once: every tab shows the same order', async ({ browser, people }) => {
  test.setTimeout(90_000);
  const [ada, bob, cy] = (await pair(browser, people, ['Ada', 'Bob', 'Cy'])) as [Person, Person, Person];
  const burst = async (person: Person, prefix: string) => {
    for (let i = 1; i <= 25; i++) await sendChat(person.page, `${prefix} ${i}`);
  };
  // Faster than the per-user rate limit: the outbox waits and retries, in order.
  await Promise.all([burst(ada, 'ada'), burst(bob, 'bob')]);

  await expect.poll(async () => (await chatLines(cy.page)).length, { timeout: 30_000 }).toBe(50);
  const order = await chatTexts(cy.page);
  for (const person of [ada, bob]) await expectChat(person.page, order, 30_000);
  expect(order.filter((t) => t.startsWith('ada'))).toEqual(Array.from({ length: 25 }, (_, i) => `ada ${i + 1}`));
  expect(order.filter((t) => t.startsWith('bob'))).toEqual(Array.from({ length: 25 }, (_, i) => `bob ${i + 1}`));
});

test('history survives a reload and a server restart', async ({ browser, server, people }) => {
  const [ada, bob] = (await pair(browser, people)) as [Person, Person];
  for (const text of ['one', 'two', 'three']) await sendChat(ada.page, text);
  await expectChat(bob.page, ['one', 'two', 'three']);

  await bob.page.reload();
  await expect(rosterItem(bob.page, 'Bob')).toBeVisible();
  await expectChat(bob.page, ['one', 'two', 'three']);

  await server.kill('SIGTERM');
  await server.start();
  const late = await openPerson(browser, 'Cy');
  people.push(late);
  await joinRoom(late, roomOf(ada));
  await expectChat(late.page, ['one', 'two', 'three']);
});

test('messages typed while the server is down are delivered once each, in order, when it is back', async ({ browser, server, people }) => {
  test.setTimeout(60_000);
  const [ada, bob] = (await pair(browser, people)) as [Person, Person];
  await sendChat(ada.page, 'before');
  await expectChat(bob.page, ['before']);

  await server.kill('SIGKILL');
  await expect(ada.page.getByText('Reconnecting…')).toBeVisible();
  for (const text of ['first', 'second', 'third']) await sendChat(ada.page, text);
  await expectChat(ada.page, ['before', '(sending) first', '(sending) second', '(sending) third']);

  await server.start();
  await expectChat(bob.page, ['before', 'first', 'second', 'third'], 15_000);
  await expectChat(ada.page, ['before', 'first', 'second', 'third'], 15_000);
});

test('a message still unacknowledged when the page reloads is delivered exactly once', async ({ browser, people }) => {
  const [ada, bob] = (await pair(browser, people)) as [Person, Person];
  // The server stores the message, but its acknowledgement never reaches Ada's page.
  await ada.page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((frame) => {
      if (typeof frame === 'string' && frame.includes('"type":"chat.ack"')) return;
      ws.send(frame);
    });
  });
  await ada.page.reload(); // the route applies to sockets opened from now on
  await expect(rosterItem(ada.page, 'Ada')).toBeVisible();

  await sendChat(ada.page, 'exactly once');
  await expectChat(bob.page, ['exactly once']);
  await expectChat(ada.page, ['(sending) exactly once']);

  await ada.page.unrouteAll();
  await ada.page.reload();
  await expect(rosterItem(ada.page, 'Ada')).toBeVisible();
  await expectChat(ada.page, ['exactly once']);
  await expectChat(bob.page, ['exactly once']);
  await bob.page.reload();
  await expectChat(bob.page, ['exactly once']);
});

test('markup in messages and display names is shown as literal text', async ({ browser, people }) => {
  const evilName = '<img src=x onerror=alert(1)>';
  const names = [evilName, '<script>x</script>'];
  // Listen before anyone joins: a name injected as HTML would fire as soon as it renders.
  const dialogs: string[] = [];
  for (const name of names) {
    const person = await openPerson(browser, name);
    person.page.on('dialog', (d) => void d.dismiss().then(() => dialogs.push(d.message())));
    people.push(person);
  }
  const [ada, bob] = people as [Person, Person];
  const roomId = newRoomId('markup');
  for (const person of people) await joinRoom(person, roomId);
  await expectRoster(people, names);

  await sendChat(ada.page, '<img src=x onerror=alert(2)>');
  await sendChat(ada.page, '<script>alert(3)</script>');
  await sendChat(ada.page, 'see https://example.com/a?b=1 now');
  const expected = ['<img src=x onerror=alert(2)>', '<script>alert(3)</script>', 'see https://example.com/a?b=1 now'];
  await expectChat(bob.page, expected);
  expect((await chatLines(bob.page))[0]?.author).toBe(evilName);
  await expect(rosterItem(bob.page, evilName)).toBeVisible();

  for (const person of [ada, bob]) {
    expect(await person.page.locator('img[src="x"], [role="log"] script').count()).toBe(0);
  }
  const link = bob.page.getByRole('log', { name: 'Messages' }).getByRole('link', { name: 'https://example.com/a?b=1' });
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  expect(dialogs).toEqual([]);
});

test('a typing indicator shows while someone types and clears when they send', async ({ browser, people }) => {
  const [ada, bob] = (await pair(browser, people)) as [Person, Person];
  await ada.page.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('typing something', { delay: 20 });
  await expect(bob.page.getByText('Ada is typing…')).toBeVisible();
  await ada.page.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await expectChat(bob.page, ['typing something']);
  await expect(bob.page.getByText('Ada is typing…')).toHaveCount(0);
});

test('a raw socket outside the room cannot read or post; bad chat frames change nothing', async ({ browser, server, people }) => {
  const [ada, bob] = (await pair(browser, people)) as [Person, Person];
  await sendChat(ada.page, 'members only');
  await expectChat(bob.page, ['members only']);
  const roomId = roomOf(ada);

  const mallory = await RawClient.connect(server.port);
  mallory.send({ type: 'chat.history', roomId });
  expect(await mallory.next((m) => m.type === 'error' || m.type === 'chat.history')).toMatchObject({ type: 'error', code: 'not_in_room' });
  mallory.send({ type: 'chat.send', roomId, clientId: 'mallory-0001', text: 'let me in' });
  expect(await mallory.next((m) => m.type === 'error' || m.type === 'chat.ack')).toMatchObject({ type: 'error', code: 'not_in_room', ref: 'mallory-0001' });
  // Being a member elsewhere does not help.
  mallory.send({ type: 'room.join', roomId: `${roomId}-other` });
  await mallory.next((m) => m.type === 'room.joined');
  mallory.send({ type: 'chat.send', roomId, clientId: 'mallory-0002', text: 'still not' });
  expect(await mallory.next((m) => m.type === 'error' || m.type === 'chat.ack')).toMatchObject({ code: 'not_in_room' });

  // Malformed and oversized chat frames from a member's session.
  mallory.send({ type: 'room.join', roomId });
  await mallory.next((m) => m.type === 'room.joined');
  const bad: Array<[unknown, string]> = [
    ['{"type":"chat.send"', 'bad_json'],
    [{ type: 'chat.send', roomId, clientId: 'short', text: 'x' }, 'invalid_message'],
    [{ type: 'chat.send', roomId, clientId: 'mallory-0003', text: '   ' }, 'invalid_message'],
    [{ type: 'chat.send', roomId, clientId: 'mallory-0004', text: 'x'.repeat(4001) }, 'invalid_message'],
    [{ type: 'chat.send', clientId: 'mallory-0005', text: 'no room' }, 'invalid_message'],
  ];
  for (const [frame, code] of bad) {
    mallory.send(frame);
    expect(await mallory.next((m) => m.type === 'error' || m.type === 'chat.ack')).toMatchObject({ type: 'error', code });
  }
  mallory.send(JSON.stringify({ type: 'chat.send', roomId, clientId: 'mallory-0006', text: 'x'.repeat(70_000) }));
  expect(await mallory.closed()).toBe(1009);

  // Nothing was stored or shown, and the room keeps working.
  await bob.page.reload();
  await expectChat(bob.page, ['members only']);
  await sendChat(bob.page, 'still here');
  await expectChat(ada.page, ['members only', 'still here']);
});

test.describe('a long history', () => {
  // The archivist posts 60 messages at once: lift the per-user, per-address and per-room budgets for it.
  test.use({
    serverEnv: {
      PARLEY_CHAT_RATE_PER_S: '1000',
      PARLEY_CHAT_BURST: '1000',
      PARLEY_CHAT_ADDRESS_RATE_PER_S: '1000',
      PARLEY_CHAT_ADDRESS_BURST: '1000',
      PARLEY_CHAT_ROOM_RATE_PER_S: '1000',
      PARLEY_CHAT_ROOM_BURST: '1000',
    },
  });

  test('joining shows the last 50 messages; scrolling up loads the older ones', async ({ browser, server, people }) => {
    const roomId = newRoomId('history');
    const bot = await RawClient.connect(server.port, 'Archivist');
    bot.send({ type: 'room.join', roomId });
    await bot.next((m) => m.type === 'room.joined');
    for (let i = 1; i <= 60; i++) {
      bot.send({ type: 'chat.send', roomId, clientId: `archive-${String(i).padStart(4, '0')}`, text: `note ${i}` });
      await bot.next((m) => m.type === 'chat.ack');
    }

    const ada = await openPerson(browser, 'Ada');
    people.push(ada);
    await joinRoom(ada, roomId);
    const latest = Array.from({ length: 50 }, (_, i) => `note ${i + 11}`);
    await expectChat(ada.page, latest);

    await ada.page.getByRole('log', { name: 'Messages' }).evaluate((log) => log.scrollTo({ top: 0 }));
    await expectChat(ada.page, Array.from({ length: 60 }, (_, i) => `note ${i + 1}`));
    bot.close();
  });
});
