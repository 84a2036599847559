import { createHmac } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { expectHearing, expectRoster, expectSilenceFrom, fillJoinForm, joinRoom, newRoomId, openPerson, roster, rosterItem } from '../support/room';

// Rooms strangers cannot enter, as people meet them in the browser: the owner's
// settings, a password, invite links, the lock, removal, mute for everyone,
// ownership that outlives a closed tab, and the lobby's open rooms.

/** The server's secret in these tests (fixtures.ts), to forge what a week-old invite looks like. */
const E2E_SECRET = 'e2e-secret-0123456789abcdef';

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Room settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Room settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function setPassword(page: Page, password: string): Promise<void> {
  const dialog = await openSettings(page);
  await dialog.getByLabel('Room password').fill(password);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

async function inviteLink(page: Page): Promise<string> {
  const dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Copy invite link' }).click();
  const field = dialog.getByLabel('Invite link');
  await expect(field).toHaveValue(/#invite=/);
  const link = await field.inputValue();
  await page.keyboard.press('Escape');
  return link;
}

/** An invite for `roomId` signed as the server signs them, that expired `agoS` seconds ago. */
function expiredInvite(roomId: string, agoS: number): string {
  const key = createHmac('sha256', E2E_SECRET).update('parley invite v1').digest();
  const payload = Buffer.from(JSON.stringify({ v: 1, room: roomId, exp: Math.floor(Date.now() / 1000) - agoS })).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

test('the owner sets a password: a stranger is refused and never listed; the password or an invite lets people in', async ({ browser, people, server }) => {
  const room = newRoomId('den');
  const ada = await openPerson(browser, 'Ada');
  const eve = await openPerson(browser, 'Eve');
  const bob = await openPerson(browser, 'Bob');
  const cy = await openPerson(browser, 'Cy');
  const dan = await openPerson(browser, 'Dan');
  people.push(ada, eve, bob, cy, dan);

  await joinRoom(ada, room);
  await expect(rosterItem(ada.page, 'Ada')).toContainText('owner');
  await setPassword(ada.page, 'open sesame');
  await ada.page.getByRole('textbox', { name: 'Message' }).fill('the door code is 4711');
  await ada.page.getByRole('textbox', { name: 'Message' }).press('Enter');

  // A stranger: asked for the password, refused a wrong one, never in anyone's roster.
  await fillJoinForm(eve, room);
  await eve.page.getByRole('button', { name: 'Join' }).click();
  const password = eve.page.getByLabel('Room password');
  await expect(password).toBeVisible();
  await password.fill('guess');
  await eve.page.getByRole('button', { name: 'Join' }).click();
  await expect(eve.page.getByRole('alert').filter({ hasText: /password/i })).toBeVisible();
  await expect(eve.page.getByText('the door code is 4711')).toHaveCount(0);
  await expect(eve.page.getByRole('list', { name: 'Participants' })).toHaveCount(0);

  // The right password.
  await password.fill('open sesame');
  await eve.page.getByRole('button', { name: 'Join' }).click();
  await expect(rosterItem(eve.page, 'Eve')).toBeVisible();
  await expectRoster([ada, eve], ['Ada', 'Eve']);

  // An invite link admits without the password.
  const link = await inviteLink(ada.page);
  expect(new URL(link).pathname).toBe(`/r/${room}`);
  await bob.page.goto(link);
  await bob.page.getByLabel('Display name').fill('Bob');
  await bob.page.getByRole('button', { name: 'Join' }).click();
  await expect(rosterItem(bob.page, 'Bob')).toBeVisible();
  expect(bob.page.url()).not.toContain('invite=');
  await expectRoster([ada, eve, bob], ['Ada', 'Eve', 'Bob']);

  // A tampered invite and an expired one do not.
  const token = decodeURIComponent(new URL(link).hash.replace(/^#invite=/, ''));
  const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
  for (const [person, bad] of [[cy, tampered], [dan, expiredInvite(room, 60)]] as const) {
    await person.page.goto(`${server.baseUrl}/r/${room}#invite=${encodeURIComponent(bad)}`);
    await person.page.getByLabel('Display name').fill(person.name);
    await person.page.getByRole('button', { name: 'Join' }).click();
    await expect(person.page.getByRole('alert').filter({ hasText: /invite/i })).toBeVisible();
    await expect(person.page.getByLabel('Room password')).toBeVisible();
  }
  await expectRoster([ada], ['Ada', 'Eve', 'Bob']);
});

test('a locked room keeps a newcomer out, while a member who reloads gets back in', async ({ browser, people }) => {
  const room = newRoomId('locked');
  const [ada, bob, eve] = [await openPerson(browser, 'Ada'), await openPerson(browser, 'Bob'), await openPerson(browser, 'Eve')];
  people.push(ada, bob, eve);
  await joinRoom(ada, room);
  await joinRoom(bob, room);
  const dialog = await openSettings(ada.page);
  await dialog.getByRole('checkbox', { name: 'Lock room' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await ada.page.keyboard.press('Escape');

  await fillJoinForm(eve, room);
  await eve.page.getByRole('button', { name: 'Join' }).click();
  await expect(eve.page.getByRole('alert').filter({ hasText: /locked/i })).toBeVisible();

  await bob.page.reload();
  await expect(rosterItem(bob.page, 'Bob')).toBeVisible({ timeout: 15_000 });
  await expectRoster([ada, bob], ['Ada', 'Bob']);
});

test('removing someone takes them out of every roster within a second, and they cannot resume', async ({ browser, people }) => {
  const room = newRoomId('crew');
  const [ada, bob, cy] = [await openPerson(browser, 'Ada'), await openPerson(browser, 'Bob'), await openPerson(browser, 'Cy')];
  people.push(ada, bob, cy);
  for (const person of [ada, bob, cy]) await joinRoom(person, room);
  await expectRoster([ada, bob, cy], ['Ada', 'Bob', 'Cy']);

  await ada.page.getByRole('button', { name: 'Remove Bob' }).click();
  for (const person of [ada, cy]) await expect(rosterItem(person.page, 'Bob')).toHaveCount(0, { timeout: 1_000 });
  await expect(bob.page.getByRole('alert').filter({ hasText: /removed/i })).toBeVisible();
  await expect(roster(bob.page)).toHaveCount(0);

  // A reload brings the page back with the session it had, which may not resume the room.
  await bob.page.reload();
  const settled = bob.page.getByRole('alert').filter({ hasText: /removed/i }).or(bob.page.getByRole('button', { name: 'Join' }));
  await expect(settled.first()).toBeVisible();
  await expectRoster([ada, cy], ['Ada', 'Cy']);
  await expect(roster(bob.page)).toHaveCount(0);
});

test('mute for everyone silences the person at every other page and shows it; the owner lifts it', async ({ browser, people }) => {
  const room = newRoomId('talk');
  const [ada, bob, cy] = [await openPerson(browser, 'Ada'), await openPerson(browser, 'Bob'), await openPerson(browser, 'Cy')];
  people.push(ada, bob, cy);
  for (const person of [ada, bob, cy]) await joinRoom(person, room);
  await expectHearing(cy, ['Bob']);
  await expectHearing(ada, ['Bob']);

  await ada.page.getByRole('button', { name: 'Mute Bob for everyone' }).click();
  await expect(bob.page.getByText(/muted you for everyone/i)).toBeVisible();
  await expect(rosterItem(cy.page, 'Bob')).toContainText(/muted by owner/i);
  await expectSilenceFrom(cy, 'Bob');
  await expectSilenceFrom(ada, 'Bob');
  await expect(cy.page.getByRole('button', { name: 'Unmute Bob for everyone' })).toHaveCount(0);

  await ada.page.getByRole('button', { name: 'Unmute Bob for everyone' }).click();
  await expectHearing(cy, ['Bob']);
  await expectHearing(ada, ['Bob']);
  await expect(bob.page.getByText(/muted you for everyone/i)).toHaveCount(0);
});

test.describe('ownership', () => {
  // A short grace period: "later" is after the closed tab's seat has gone.
  test.use({ serverEnv: { PARLEY_GRACE_MS: '2000' } });

  test('the owner closes the tab and comes back later, still the owner; when the owner leaves for good the longest present takes over', async ({ browser, people }) => {
    const room = newRoomId('home');
    const [ada, bob, cy] = [await openPerson(browser, 'Ada'), await openPerson(browser, 'Bob'), await openPerson(browser, 'Cy')];
    people.push(ada, bob, cy);
    for (const person of [ada, bob, cy]) await joinRoom(person, room);
    await expect(rosterItem(bob.page, 'Ada')).toContainText('owner');

    // The tab closes; once Ada's seat is gone, Bob (present longest) runs the room.
    await ada.page.close();
    await expect(rosterItem(cy.page, 'Ada')).toHaveCount(0);
    await expect(rosterItem(cy.page, 'Bob')).toContainText('owner');

    // Later, the same browser opens the room again: Ada is the owner again.
    ada.page = await ada.context.newPage();
    await joinRoom(ada, room);
    await expect(rosterItem(ada.page, 'Ada')).toContainText('owner');
    await expect(ada.page.getByRole('button', { name: 'Room settings' })).toBeVisible();
    await expect(rosterItem(cy.page, 'Ada')).toContainText('owner');
    await expect(bob.page.getByRole('button', { name: 'Room settings' })).toHaveCount(0);
    await expectRoster([ada, bob, cy], ['Ada', 'Bob', 'Cy']);

    // Leave for good: Bob, present longest, takes over.
    await ada.page.getByRole('button', { name: 'Leave' }).click();
    await expect(rosterItem(cy.page, 'Bob')).toContainText('owner');
    await expect(bob.page.getByRole('button', { name: 'Room settings' })).toBeVisible();
    await expect(cy.page.getByRole('button', { name: 'Room settings' })).toHaveCount(0);
  });
});

test('a listed room appears in another browser’s lobby with its people and goes when it empties; an unlisted room never appears', async ({ browser, people }) => {
  const listedRoom = newRoomId('games');
  const hiddenRoom = newRoomId('hidden');
  const [ada, bob, visitor] = [await openPerson(browser, 'Ada'), await openPerson(browser, 'Bob'), await openPerson(browser, 'Visitor')];
  people.push(ada, bob, visitor);
  await visitor.page.goto('/');
  const openRooms = visitor.page.getByRole('list', { name: 'Open rooms' });

  await joinRoom(bob, hiddenRoom);
  await joinRoom(ada, listedRoom);
  const dialog = await openSettings(ada.page);
  await dialog.getByRole('checkbox', { name: 'List in lobby' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await ada.page.keyboard.press('Escape');

  const item = openRooms.getByRole('listitem').filter({ hasText: listedRoom });
  await expect(item).toContainText('Ada');
  await bob.page.getByRole('button', { name: 'Leave' }).click();
  await joinRoom(bob, listedRoom);
  await expect(item).toContainText('Bob');
  await expect(visitor.page.getByText(hiddenRoom)).toHaveCount(0);

  await ada.page.getByRole('button', { name: 'Leave' }).click();
  await bob.page.getByRole('button', { name: 'Leave' }).click();
  await expect(item).toHaveCount(0);
  await expect(visitor.page.getByText(hiddenRoom)).toHaveCount(0);
});
