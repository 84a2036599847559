import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { joinRoom, newRoomId, openPerson, rosterItem, type Person } from '../support/room';

/**
 * A keyboard-only user reaches and operates every control of the join form
 * and the room with Tab / Shift+Tab, Enter and Space, and always sees where
 * the focus is.
 *
 * Each list below names the controls in their Tab order, as a person finds
 * them (role and accessible name), and, where pressing a key on one does
 * something, which key and what they would notice. A feature that adds a
 * control (a device picker, a volume slider) adds a line here.
 */
type Control = {
  role: Parameters<Page['getByRole']>[0];
  name: string | RegExp;
  /**
   * Pressing `key` while it has the focus does what `then` waits to see;
   * `before` reads what the control showed before the press, for a toggle.
   */
  operate?: { key: 'Enter' | 'Space' | string; before?(page: Page): Promise<string | null>; then(page: Page, before: string | null): Promise<void> };
};

const NAME = 'Ada';

/** The join form of a room's link, from the name field that has the focus when it opens. */
const joinForm = (): Control[] => [
  {
    role: 'textbox',
    name: 'Display name',
    operate: {
      key: 'A',
      // Typed a letter at a time, as a person does; the field shows it.
      then: async (page) => {
        await page.keyboard.type('da');
        await expect(page.getByRole('textbox', { name: 'Display name' })).toHaveValue(NAME);
      },
    },
  },
  { role: 'textbox', name: 'Room' },
  ...devicePickers(),
  // Joining ends the form: it is operated last, by the test itself (see joinByKeyboard).
  { role: 'button', name: 'Join' },
];

/** A toggle button flips with `key`, and flips back with it: what a person sees is aria-pressed (and the icon). */
const toggle = (name: string, key: 'Enter' | 'Space'): Control => {
  const button = (page: Page) => page.getByRole('button', { name, exact: true });
  const flipped = (value: string | null) => (value === 'true' ? 'false' : 'true');
  return {
    role: 'button',
    name,
    operate: {
      key,
      before: (page) => button(page).getAttribute('aria-pressed'),
      then: async (page, before) => {
        await expect(button(page)).toHaveAttribute('aria-pressed', flipped(before));
        await page.keyboard.press(key);
        await expect(button(page)).toHaveAttribute('aria-pressed', before ?? 'false');
      },
    },
  };
};

/**
 * The microphone and speaker check, on the join form and in Settings alike:
 * the arrow keys pick another microphone (and back), Test speaker plays its
 * chime, Hear yourself turns on and off.
 */
function devicePickers(): Control[] {
  const microphone = (page: Page) => page.getByRole('combobox', { name: 'Microphone', exact: true });
  return [
    {
      role: 'combobox',
      name: 'Microphone',
      operate: {
        key: 'ArrowDown',
        before: (page) => microphone(page).inputValue(),
        then: async (page, before) => {
          await expect(microphone(page)).not.toHaveValue(before ?? '');
          await page.keyboard.press('ArrowUp');
          await expect(microphone(page)).toHaveValue(before ?? '');
        },
      },
    },
    { role: 'combobox', name: 'Speaker' },
    { role: 'button', name: 'Test speaker' },
    toggle('Hear yourself', 'Space'),
  ];
}

/** The room as its owner sees it on a wide screen with Bob in it, header to footer (Leave is operated last). */
const ROOM: Control[] = [
  {
    role: 'button',
    name: 'Settings',
    operate: { key: 'Enter', then: (page) => expect(page.getByRole('dialog', { name: 'Settings', exact: true })).toBeVisible() },
  },
  {
    role: 'button',
    name: 'Room settings',
    operate: { key: 'Enter', then: (page) => expect(page.getByRole('dialog', { name: 'Room settings' })).toBeVisible() },
  },
  {
    role: 'button',
    name: 'Copy link',
    operate: { key: 'Enter', then: (page) => expect(page.getByText(/^(Link copied|Copy the address bar instead)$/)).toBeVisible() },
  },
  // Bob's item: his connection (Enter shows the figures), Mute for me, his volume (arrows move it), and the owner's buttons.
  {
    role: 'button',
    name: 'Connection to Bob: good',
    operate: {
      key: 'Enter',
      then: async (page) => {
        await expect(page.getByText('Round trip')).toBeVisible();
        await page.keyboard.press('Escape');
        await expect(page.getByText('Round trip')).toBeHidden();
      },
    },
  },
  toggle('Mute Bob for me', 'Space'),
  {
    role: 'slider',
    name: 'Volume for Bob',
    operate: {
      key: 'ArrowRight',
      then: async (page) => {
        const slider = page.getByRole('slider', { name: 'Volume for Bob' });
        await expect(slider).toHaveValue('105');
        await page.keyboard.press('ArrowLeft');
        await expect(slider).toHaveValue('100');
      },
    },
  },
  { role: 'button', name: 'Mute Bob for everyone' },
  { role: 'button', name: 'Remove Bob' },
  { role: 'log', name: 'Messages' },
  {
    role: 'textbox',
    name: 'Message',
    operate: {
      key: 'h',
      then: async (page) => {
        await page.keyboard.type('ello');
        await page.keyboard.press('Enter');
        await expect(page.getByRole('log', { name: 'Messages' })).toContainText('hello');
      },
    },
  },
  // Push to talk off leaves you as it found you, muted or not (push-to-talk.ts): each toggle is read first.
  toggle('Mute', 'Space'),
  toggle('Deafen', 'Enter'),
  { role: 'button', name: 'Leave' },
];

/** The Settings dialog: the focus stays inside it, and Close gives it back to the Settings button. */
const settingsDialog = (): Control[] => [
  { role: 'button', name: 'Close' },
  ...devicePickers(),
  // Each checkbox with how it starts: Space flips it, a second Space puts it back for the room below.
  ...(
    [
      ['Echo cancellation', true],
      ['Noise suppression', true],
      ['Automatic gain', true],
      ['Push to talk', false],
      ['Sounds', true],
      ['Message notifications', false],
    ] as const
  ).map(
    ([name, checkedAtFirst]): Control => ({
      role: 'checkbox',
      name,
      operate: {
        key: 'Space',
        then: async (page) => {
          const box = page.getByRole('checkbox', { name, exact: true });
          await expect(box).toBeChecked({ checked: !checkedAtFirst });
          await page.keyboard.press('Space');
          await expect(box).toBeChecked({ checked: checkedAtFirst });
        },
      },
    }),
  ),
];

const locate = (page: Page, control: Control): Locator => page.getByRole(control.role, { name: control.name, exact: true });

/**
 * Whether a focus ring is drawn on the focused element (or, for the round
 * call buttons, on the circle inside it): an outline or a visible box shadow,
 * and the browser agrees the focus came from the keyboard (:focus-visible).
 */
function focusRingDrawn(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const focused = document.activeElement;
    if (!(focused instanceof HTMLElement) || !focused.matches(':focus-visible')) return false;
    const visible = (element: Element) => {
      const style = getComputedStyle(element);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      const shadow = style.boxShadow !== 'none' && !/^rgba\(\d+, \d+, \d+, 0\)/.test(style.boxShadow) && !/ 0px 0px 0px 0px/.test(style.boxShadow);
      return outline || shadow;
    };
    return [focused, ...Array.from(focused.querySelectorAll('*'))].some(visible);
  });
}

/**
 * Press `key` until `control` has the focus (at most `limit` presses).
 * Passing through `notThrough` (controls the walk already left behind) or the
 * page itself means the focus went round: out of order, a failure.
 */
async function moveFocusTo(page: Page, control: Control, key: 'Tab' | 'Shift+Tab', options: { limit?: number; notThrough?: Control[] } = {}): Promise<void> {
  const { limit = 12, notThrough } = options;
  const target = locate(page, control);
  await expect(target).toHaveCount(1);
  const passed = notThrough?.map((c) => locate(page, c)) ?? [];
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press(key);
    if (await target.evaluate((element) => element === document.activeElement)) return;
    if (!notThrough) continue;
    const wentRound =
      (await page.evaluate(() => document.activeElement === document.body || document.activeElement === null)) ||
      (await Promise.all(passed.map((l) => l.evaluate((element) => element === document.activeElement)))).some(Boolean);
    if (wentRound) throw new Error(`${key} went past the ${control.role} "${String(control.name)}" without reaching it`);
  }
  throw new Error(`${key} never reached the ${control.role} "${String(control.name)}"`);
}

/**
 * Tab reaches every control in the list, in its order, each showing a focus
 * ring; then Shift+Tab walks back through them to the first, where the focus
 * started and ends.
 */
async function expectTabOrder(page: Page, controls: Control[]): Promise<void> {
  const [first, ...rest] = controls;
  if (!first) return;
  await expect(locate(page, first)).toBeFocused();
  await expect.poll(() => focusRingDrawn(page), { message: `a focus ring on ${String(first.name)}` }).toBe(true);
  for (const [i, control] of rest.entries()) {
    await moveFocusTo(page, control, 'Tab', { notThrough: controls.slice(0, i + 1) });
    await expect.poll(() => focusRingDrawn(page), { message: `a focus ring on ${String(control.name)}` }).toBe(true);
  }
  const backwards = [...controls].reverse();
  for (const [i, control] of backwards.slice(1).entries()) {
    await moveFocusTo(page, control, 'Shift+Tab', { notThrough: backwards.slice(0, i + 1) });
    await expect.poll(() => focusRingDrawn(page), { message: `a focus ring on ${String(control.name)}` }).toBe(true);
  }
}

/** Tab to each control that does something and press its key; what a person would notice follows. */
async function operateAll(page: Page, controls: Control[], afterEach?: (control: Control) => Promise<void>): Promise<void> {
  for (const control of controls) {
    if (!control.operate) continue;
    if (!(await locate(page, control).evaluate((element) => element === document.activeElement))) await moveFocusTo(page, control, 'Tab', { limit: 20 });
    const before = (await control.operate.before?.(page)) ?? null;
    await page.keyboard.press(control.operate.key);
    await control.operate.then(page, before);
    await afterEach?.(control);
  }
}

async function joinByKeyboard(person: Person, roomId: string): Promise<void> {
  const { page } = person;
  await page.goto(`/r/${roomId}`);
  // The walk ends back on the name field, where operating starts.
  await expectTabOrder(page, joinForm());
  await operateAll(page, joinForm());
  await moveFocusTo(page, { role: 'button', name: 'Join' }, 'Tab');
  await page.keyboard.press('Enter');
  await expect(rosterItem(page, NAME)).toBeVisible();
}

test('a keyboard-only user joins, reaches and operates every control of the room, and always sees the focus', async ({ browser, people }) => {
  const ada = await openPerson(browser, NAME);
  await ada.context.grantPermissions(['microphone', 'notifications', 'clipboard-read', 'clipboard-write']);
  people.push(ada);
  const { page } = ada;
  const roomId = newRoomId('keyboard');
  await joinByKeyboard(ada, roomId);
  // Bob, so that Ada's room has someone else's controls too (volume, mute for me, connection).
  const bob = await openPerson(browser, 'Bob');
  people.push(bob);
  await joinRoom(bob, roomId);
  await expect(page.getByRole('button', { name: 'Connection to Bob: good' })).toBeVisible({ timeout: 20_000 });

  // The room's controls in Tab order, from the first one in the header.
  await moveFocusTo(page, ROOM[0] as Control, 'Tab', { limit: 20 });
  await expectTabOrder(page, ROOM);

  // Settings: its dialog holds the focus, every checkbox works with Space, Close gives the focus back.
  await moveFocusTo(page, ROOM[0] as Control, 'Shift+Tab', { limit: 20 });
  await page.keyboard.press('Enter');
  const settings = page.getByRole('dialog', { name: 'Settings', exact: true });
  await expect(settings).toBeVisible();
  await expect(locate(page, settingsDialog()[0] as Control)).toBeFocused();
  await expectTabOrder(page, settingsDialog());
  await operateAll(page, settingsDialog());
  await moveFocusTo(page, settingsDialog()[0] as Control, 'Tab');
  await page.keyboard.press('Enter');
  await expect(settings).toBeHidden();
  await expect(locate(page, ROOM[0] as Control)).toBeFocused();

  // Every control of the room, operated; a dialog it opened is closed with Escape.
  await operateAll(page, ROOM, async () => {
    const dialog = page.getByRole('dialog');
    if ((await dialog.count()) > 0) {
      await page.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
    }
  });

  // Last, Leave: back on the join form, with the focus on a field.
  await moveFocusTo(page, { role: 'button', name: 'Leave' }, 'Tab', { limit: 20 });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Display name' })).toBeFocused();
});
