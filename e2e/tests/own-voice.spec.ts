import type { Page } from '@playwright/test';
import { sendChat } from '../support/chat';
import { expect, test } from '../support/fixtures';
import { joinRoom, newRoomId, openPerson, rosterItem } from '../support/room';

/**
 * What this page plays through Web Audio, seen where the browser starts each
 * sound: every oscillator started on a running AudioContext (which the
 * speakers would play), with its pitch. Observes only; nothing is changed.
 *
 * It also lets a test hide the page: Playwright cannot put a tab in the
 * background, so `document.hidden` and `visibilityState` answer from a flag,
 * and setting it sends the visibilitychange the browser would.
 */
const PROBE = `(() => {
  const started = [];
  const nativeStart = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    started.push({ hz: this.frequency.value, running: this.context.state === 'running' });
    return nativeStart.apply(this, args);
  };
  // Notifications the page shows, as the browser would show them (title and text).
  const shown = [];
  if (window.Notification) {
    const NativeNotification = window.Notification;
    window.Notification = class extends NativeNotification {
      constructor(title, options) {
        super(title, options);
        shown.push({ title, body: (options && options.body) || '' });
      }
    };
  }
  let hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  window.__soundProbe = {
    heard: () => started.filter((s) => s.running).map((s) => Math.round(s.hz)),
    notifications: () => shown,
    setHidden: (value) => {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    },
  };
})();`;

/** Pitches (Hz) of the notes the page played so far, in order (see features/voice/cue-sounds.ts). */
const heard = (page: Page) => page.evaluate(() => (window as unknown as { __soundProbe: { heard(): number[] } }).__soundProbe.heard());
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((value) => (window as unknown as { __soundProbe: { setHidden(v: boolean): void } }).__soundProbe.setHidden(value), hidden);

const notifications = (page: Page) =>
  page.evaluate(() => (window as unknown as { __soundProbe: { notifications(): { title: string; body: string }[] } }).__soundProbe.notifications());

const JOIN = [659, 880];
const LEAVE = [880, 659];
const MESSAGE = [1175];

test('alone in a room, the fake microphone lights your own ring and "Your voice level"; muted, it says "You are muted"', async ({ browser, people }) => {
  const ada = await openPerson(browser, 'Ada');
  people.push(ada);
  await joinRoom(ada, newRoomId('own-voice'));
  const { page } = ada;
  const selfTile = page.locator('li[data-self="true"]');
  const meter = page.getByRole('meter', { name: 'Your voice level' });

  // The fake microphone plays a tone five times a second: the ring lights and the meter moves with nobody else here.
  await expect(selfTile).toHaveAttribute('data-speaking', 'true');
  await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(0);

  // Muted: nothing is sent, so the meter rests and the ring goes out, and the tone is called out as speech into a muted microphone.
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'You are muted' })).toBeVisible();
  await expect(meter).toHaveAttribute('aria-valuenow', '0');
  await expect(selfTile).toHaveAttribute('data-speaking', 'false');
});

test('sounds: someone joining, writing and leaving is heard by the others, never your own message; Sounds off is quiet', async ({ browser, people }) => {
  const room = newRoomId('sounds');
  const ada = await openPerson(browser, 'Ada', { initScript: PROBE });
  const bob = await openPerson(browser, 'Bob', { initScript: PROBE });
  people.push(ada, bob);
  await joinRoom(ada, room);
  // Alone in the room: the roster Ada got on joining made no sound.
  expect(await heard(ada.page)).toEqual([]);

  await joinRoom(bob, room);
  await expect.poll(() => heard(ada.page)).toEqual(JOIN);
  // Bob's own arrival, with Ada already there, is a roster for him: silence.
  expect(await heard(bob.page)).toEqual([]);

  await sendChat(bob.page, 'hello Ada');
  await expect.poll(() => heard(ada.page)).toEqual([...JOIN, ...MESSAGE]);
  await expect(ada.page.getByText('hello Ada')).toBeVisible();
  await expect(bob.page.getByText('hello Ada')).toBeVisible();
  expect(await heard(bob.page)).toEqual([]);

  // Bob turns Sounds off: Ada leaving is no sound for him (his roster shows her gone, the moment the sound would start).
  await bob.page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = bob.page.getByRole('dialog', { name: 'Settings', exact: true });
  await settings.getByRole('checkbox', { name: 'Sounds' }).uncheck();
  await settings.getByRole('button', { name: 'Close' }).click();
  await ada.page.getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(rosterItem(bob.page, 'Ada')).toHaveCount(0);
  expect(await heard(bob.page)).toEqual([]);

  // Ada comes back: Bob, with Sounds on again, hears her leave this time.
  await bob.page.getByRole('button', { name: 'Settings', exact: true }).click();
  await settings.getByRole('checkbox', { name: 'Sounds' }).check();
  await settings.getByRole('button', { name: 'Close' }).click();
  await joinRoom(ada, room);
  await expect.poll(() => heard(bob.page)).toEqual(JOIN);
  await ada.page.getByRole('button', { name: 'Leave', exact: true }).click();
  await expect.poll(() => heard(bob.page)).toEqual([...JOIN, ...LEAVE]);
});

test('a message that arrives while the tab is hidden shows "(1)" in its title until the tab is seen again', async ({ browser, people }) => {
  const room = newRoomId('unread');
  const ada = await openPerson(browser, 'Ada', { initScript: PROBE });
  const bob = await openPerson(browser, 'Bob');
  people.push(ada, bob);
  await joinRoom(ada, room);
  await joinRoom(bob, room);
  await expect(ada.page).toHaveTitle(`${room} · Parley`);

  await setHidden(ada.page, true);
  await sendChat(bob.page, 'are you there?');
  await expect(ada.page).toHaveTitle(`(1) ${room} · Parley`);
  await sendChat(bob.page, 'hello?');
  await expect(ada.page).toHaveTitle(`(2) ${room} · Parley`);

  await setHidden(ada.page, false);
  await expect(ada.page).toHaveTitle(`${room} · Parley`);
  // Her own message while hidden counts for nothing.
  await setHidden(ada.page, true);
  await sendChat(ada.page, 'back now');
  await expect(bob.page.getByText('back now')).toBeVisible();
  await expect(ada.page).toHaveTitle(`${room} · Parley`);
});

test('with Message notifications on, a message while the tab is hidden shows a notification; a blocked permission is explained', async ({ browser, people }) => {
  const room = newRoomId('notify');
  const ada = await openPerson(browser, 'Ada', { initScript: PROBE });
  const bob = await openPerson(browser, 'Bob');
  await ada.context.grantPermissions(['microphone', 'notifications']);
  people.push(ada, bob);
  await joinRoom(ada, room);
  await joinRoom(bob, room);

  await ada.page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = ada.page.getByRole('dialog', { name: 'Settings', exact: true });
  await settings.getByRole('checkbox', { name: 'Message notifications' }).check();
  await settings.getByRole('button', { name: 'Close' }).click();

  await sendChat(bob.page, 'seen in the room');
  await expect(ada.page.getByText('seen in the room')).toBeVisible();
  await setHidden(ada.page, true);
  await sendChat(bob.page, 'lunch?');
  await expect.poll(() => notifications(ada.page)).toEqual([{ title: 'Bob', body: 'lunch?' }]);

  // Bob's browser blocks notifications for the site (he said no once): turning them on says so and stays off.
  await bob.context.clearPermissions();
  await bob.page.evaluate(() => {
    Object.defineProperty(Notification, 'permission', { configurable: true, get: () => 'denied' });
  });
  await bob.page.getByRole('button', { name: 'Settings', exact: true }).click();
  const bobSettings = bob.page.getByRole('dialog', { name: 'Settings', exact: true });
  await bobSettings.getByRole('checkbox', { name: 'Message notifications' }).click();
  await expect(bobSettings.getByRole('alert')).toContainText('blocks notifications');
  await expect(bobSettings.getByRole('checkbox', { name: 'Message notifications' })).not.toBeChecked();
});
