import { expect, test } from '../support/fixtures';
import { expectHearing, expectSilenceFrom, joinRoom, newRoomId, openPerson, rosterItem, type Person } from '../support/room';
import type { Page } from '@playwright/test';

const muteButton = (page: Page) => page.getByRole('button', { name: 'Mute', exact: true });

test('push to talk: Bob is heard only while he holds Space, and it stays on after a reload', async ({ browser, people }) => {
  const room = newRoomId('ptt');
  const ada = await openPerson(browser, 'Ada');
  const bob = await openPerson(browser, 'Bob');
  people.push(ada, bob);
  await joinRoom(ada, room);
  await joinRoom(bob, room);
  await expectHearing(ada, ['Bob']);

  const settingsButton = bob.page.getByRole('button', { name: 'Settings', exact: true });
  await settingsButton.click();
  const settings = bob.page.getByRole('dialog', { name: 'Settings', exact: true });
  await settings.getByRole('checkbox', { name: 'Push to talk' }).check();
  await settings.getByRole('button', { name: 'Close' }).click();
  await expect(settings).toBeHidden();
  // Closing gave the focus back to Settings: the Space below must not press it.
  await expect(settingsButton).toBeFocused();

  const mute = muteButton(bob.page);
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await expectSilenceFrom(ada, 'Bob');

  await bob.page.keyboard.down('Space');
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await expectHearing(ada, ['Bob']);

  await bob.page.keyboard.up('Space');
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await expectSilenceFrom(ada, 'Bob');
  // Space neither clicked the focused Settings button nor scrolled the page.
  await expect(settings).toBeHidden();
  expect(await bob.page.evaluate(() => window.scrollY)).toBe(0);

  // The setting is this browser's: after a reload Bob comes back muted, still on push to talk.
  await bob.page.reload();
  await expect(rosterItem(bob.page, 'Bob')).toBeVisible();
  await expect(muteButton(bob.page)).toHaveAttribute('aria-pressed', 'true');
  await expectSilenceFrom(ada, 'Bob');
  await bob.page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(bob.page.getByRole('dialog', { name: 'Settings', exact: true }).getByRole('checkbox', { name: 'Push to talk' })).toBeChecked();
});

test('M and D toggle Mute and Deafen, ? lists the shortcuts; an m typed into the chat is just a letter', async ({ browser, people }) => {
  const ada: Person = await openPerson(browser, 'Ada');
  people.push(ada);
  await joinRoom(ada, newRoomId('keys'));
  const { page } = ada;
  const mute = muteButton(page);
  const deafen = page.getByRole('button', { name: 'Deafen', exact: true });

  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('m');
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('m');
  await expect(mute).toHaveAttribute('aria-pressed', 'false');

  await page.keyboard.press('d');
  await expect(deafen).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('d');
  await expect(deafen).toHaveAttribute('aria-pressed', 'false');
  await expect(mute).toHaveAttribute('aria-pressed', 'false');

  await page.keyboard.press('?');
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toBeVisible();
  await expect(shortcuts).toContainText('Mute or unmute');
  await page.keyboard.press('Escape');
  await expect(shortcuts).toBeHidden();

  const box = page.getByRole('textbox', { name: 'Message', exact: true });
  await box.click();
  await box.pressSequentially('m m');
  await expect(box).toHaveValue('m m');
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  // Ctrl+M is the browser's, not ours.
  await box.blur();
  await page.keyboard.press('Control+m');
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
});

test('speaking into a muted microphone says "You are muted"; unmuting ends it', async ({ browser, people }) => {
  const ada = await openPerson(browser, 'Ada');
  people.push(ada);
  await joinRoom(ada, newRoomId('muted-speech'));
  const notice = ada.page.getByRole('status').filter({ hasText: 'You are muted' });
  await expect(notice).toHaveCount(0);
  // The fake microphone plays a tone five times a second: someone talking.
  await muteButton(ada.page).click();
  await expect(notice).toBeVisible();
  await muteButton(ada.page).click();
  await expect(notice).toHaveCount(0);
});
