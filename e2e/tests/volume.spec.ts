import type { Locator } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import {
  expectHearing,
  expectRoster,
  gainStageOf,
  gainStages,
  joinRoom,
  newRoomId,
  openPerson,
  rosterItem,
  type GainStage,
  type Person,
} from '../support/room';

/** The fake microphone's tone peaks near 0.3; anything above this is a voice, below the next one silence. */
const AUDIBLE = 0.02;
const SILENT = 0.001;

/**
 * Waits until `speaker`'s voice at `listener`'s gain stage satisfies `check`,
 * given the peak after the gain and the peak of the same second before it
 * (the sender's automatic gain moves the input level over time, so a level
 * is only compared with its own input).
 */
async function expectStage(listener: Person, speaker: string, check: (peak: number, inputPeak: number) => boolean, what: string): Promise<void> {
  let last: GainStage | undefined;
  await expect
    .poll(
      async () => {
        last = await gainStageOf(listener, speaker);
        return last !== undefined && check(last.peak, last.inputPeak);
      },
      { timeout: 15_000, intervals: [250], message: `${speaker} after ${listener.name}'s gain stage should be ${what}` },
    )
    .toBe(true)
    .catch(async (error: Error) => {
      const stages = JSON.stringify(await gainStages(listener.page).catch(() => []));
      throw new Error(`${error.message}\nlast: ${JSON.stringify(last)}; all of ${listener.name}'s stages: ${stages}`);
    });
}

const audible = (peak: number) => peak > AUDIBLE;
/** Silent after the gain while the voice arrives before it: the gain stage, not the network, silenced it. */
const silencedHere = (peak: number, inputPeak: number) => peak < SILENT && inputPeak > AUDIBLE;

function volumeSlider(person: Person, name: string): Locator {
  return rosterItem(person.page, name).getByRole('slider', { name: `Volume for ${name}` });
}

test('per-person volume: 0 % silences Bob for Ada only, 200 % raises him, "Mute for me" is remembered across a reload', async ({ browser, people }) => {
  const room = newRoomId('volume');
  const names = ['Ada', 'Bob', 'Cleo'];
  people.push(...(await Promise.all(names.map((n) => openPerson(browser, n)))));
  const [ada, bob, cleo] = people as [Person, Person, Person];
  for (const person of people) await joinRoom(person, room);
  await expectRoster(people, names);
  await expectHearing(ada, ['Bob', 'Cleo']);

  await expectStage(ada, 'Bob', audible, 'audible');
  await expectStage(ada, 'Cleo', audible, 'audible');

  const slider = volumeSlider(ada, 'Bob');
  await expect(slider).toHaveValue('100');
  await slider.fill('0');
  await expectStage(ada, 'Bob', silencedHere, 'silenced by the gain');
  await expectStage(ada, 'Cleo', audible, 'still audible');
  // Only Ada turned Bob down: Cleo still receives him and plays him.
  await expectHearing(cleo, ['Bob']);
  await expectStage(cleo, 'Bob', audible, 'audible');

  // Above 100 % is a real gain: Bob comes out louder than he arrives.
  await slider.fill('200');
  await expectStage(ada, 'Bob', (peak, inputPeak) => inputPeak > AUDIBLE && peak > 1.5 * inputPeak, 'above 1.5 × his input');

  await slider.fill('100');
  const muteForMe = rosterItem(ada.page, 'Bob').getByRole('button', { name: 'Mute Bob for me' });
  await expect(muteForMe).toHaveAttribute('aria-pressed', 'false');
  await muteForMe.click();
  await expect(muteForMe).toHaveAttribute('aria-pressed', 'true');
  await expectStage(ada, 'Bob', silencedHere, 'silenced by the gain');
  await expectHearing(cleo, ['Bob']);
  await expectHearing(bob, ['Ada']);

  // The choice belongs to the name: after a reload (a new session, a new userId for Ada) it holds at once.
  await ada.page.reload();
  await expectRoster([ada], names);
  await expect(rosterItem(ada.page, 'Bob').getByRole('button', { name: 'Mute Bob for me' })).toHaveAttribute('aria-pressed', 'true');
  await expect(volumeSlider(ada, 'Bob')).toHaveValue('100');
  await expectHearing(ada, ['Cleo']);
  await expectStage(ada, 'Bob', silencedHere, 'silenced after the reload');
  await expectStage(ada, 'Cleo', audible, 'audible after the reload');

  await rosterItem(ada.page, 'Bob').getByRole('button', { name: 'Mute Bob for me' }).click();
  await expectStage(ada, 'Bob', audible, 'audible again');

  // Deafen still silences everyone, whatever their volume.
  await ada.page.getByRole('button', { name: 'Deafen', exact: true }).click();
  await expectStage(ada, 'Bob', silencedHere, 'silent while Ada is deafened');
  await expectStage(ada, 'Cleo', silencedHere, 'silent while Ada is deafened');
});

test('every remote tile shows its connection, and the details name the round trip and the path', async ({ browser, people }) => {
  const room = newRoomId('quality');
  const names = ['Ada', 'Bob', 'Cleo'];
  people.push(...(await Promise.all(names.map((n) => openPerson(browser, n)))));
  const [ada] = people as [Person, Person, Person];
  for (const person of people) await joinRoom(person, room);
  await expectRoster(people, names);

  for (const person of people) {
    for (const other of names.filter((n) => n !== person.name)) {
      // Visible without hovering: the word is on the tile.
      await expect(person.page.getByRole('button', { name: `Connection to ${other}: good` })).toBeVisible({ timeout: 15_000 });
    }
    await expect(person.page.getByRole('button', { name: new RegExp(`^Connection to ${person.name}:`) })).toHaveCount(0);
  }

  const indicator = ada.page.getByRole('button', { name: 'Connection to Bob: good' });
  await expect(indicator).toContainText('Good');
  await indicator.click();
  const details = ada.page.getByRole('group', { name: 'Connection details for Bob' });
  await expect(details).toBeVisible();
  await expect(details).toContainText(/Round trip\s*\d+ ms/);
  await expect(details).toContainText(/Path\s*direct/);
  await expect(details).toContainText(/Codec\s*Opus, 48 kHz/);
  await expect(details).toContainText(/Receiving\s*\d+\.\d kbps/);
  await ada.page.keyboard.press('Escape');
  await expect(details).toBeHidden();
});

/**
 * The autoplay policy as browsers apply it to a page nobody has touched: the
 * AudioContext starts suspended and resume() only works from within a click
 * or key press (this test's Chromium lets every page play, so the page acts
 * it out). Also records where the page routes its audio (AudioContext.setSinkId).
 */
const AUTOPLAY_POLICY = `(() => {
  const Native = window.AudioContext;
  const nativeResume = Native.prototype.resume;
  const nativeSetSinkId = Native.prototype.setSinkId;
  let gesture = false;
  for (const type of ['click', 'keydown']) {
    window.addEventListener(type, () => { gesture = true; setTimeout(() => { gesture = false; }, 0); }, true);
  }
  window.__sinkIds = [];
  window.AudioContext = class extends Native {
    constructor(...args) { super(...args); void this.suspend(); }
  };
  window.AudioContext.prototype.resume = function () { return gesture ? nativeResume.call(this) : new Promise(() => {}); };
  window.AudioContext.prototype.setSinkId = function (id) { window.__sinkIds.push(id); return nativeSetSinkId.call(this, id); };
})();`;

test('a tab that rejoined without a gesture asks to "Turn on sound", and plays on the chosen speaker after the click', async ({ browser, people }) => {
  const room = newRoomId('autoplay');
  const ada = await openPerson(browser, 'Ada');
  const bob = await openPerson(browser, 'Bob');
  people.push(ada, bob);
  await joinRoom(ada, room);
  await joinRoom(bob, room);
  await expectStage(ada, 'Bob', audible, 'audible');

  // Ada picks the second fake speaker (as the settings would) and her session reopens in a
  // new tab nobody has touched: the app rejoins by itself, with no gesture to start sound.
  const speakerId = await ada.page.evaluate(async () => {
    const outputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput');
    const chosen = outputs.at(-1)?.deviceId ?? '';
    const kept = JSON.parse(localStorage.getItem('parley.voiceSettings') ?? '{}');
    localStorage.setItem('parley.voiceSettings', JSON.stringify({ ...kept, speakerId: chosen }));
    return chosen;
  });
  const session = await ada.page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
  const url = ada.page.url();
  await ada.page.close();
  await ada.context.addInitScript(`for (const [key, value] of ${session}) sessionStorage.setItem(key, value);`);
  await ada.context.addInitScript(AUTOPLAY_POLICY);
  ada.page = await ada.context.newPage();
  await ada.page.goto(url);

  const turnOn = ada.page.getByRole('button', { name: 'Turn on sound' });
  await expect(turnOn).toBeVisible({ timeout: 15_000 });
  await expectStage(ada, 'Bob', (peak) => peak === 0, 'silent until sound is turned on');
  await turnOn.click();
  await expect(turnOn).toBeHidden();
  await expectStage(ada, 'Bob', audible, 'audible after "Turn on sound"');
  expect(speakerId).not.toBe('');
  expect(await ada.page.evaluate(() => (window as unknown as { __sinkIds: string[] }).__sinkIds)).toEqual([speakerId]);
});
