import type { Locator } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import {
  expectHearing,
  expectRoster,
  joinRoom,
  newRoomId,
  openPerson,
  rosterItem,
  type Person,
  type Voice,
  voiceOf,
  voices,
} from '../support/room';

/** The fake microphone's tone peaks near 0.3; anything above this is a voice, below the next one silence. */
const AUDIBLE = 0.02;
const SILENT = 0.001;

/**
 * Waits until `speaker`'s voice as `listener` plays it satisfies `check`,
 * given the level played and the peak of the same second as it arrived (the
 * sender's automatic gain moves the input level over time, so a level is
 * only compared with its own input).
 */
async function expectPlayed(listener: Person, speaker: string, check: (level: number, inputPeak: number, voice: Voice) => boolean, what: string): Promise<void> {
  let last: Voice | undefined;
  await expect
    .poll(
      async () => {
        last = await voiceOf(listener, speaker);
        return last !== undefined && check(last.level, last.inputPeak, last);
      },
      { timeout: 15_000, intervals: [250], message: `${speaker} as ${listener.name} plays him should be ${what}` },
    )
    .toBe(true)
    .catch(async (error: Error) => {
      const all = JSON.stringify(await voices(listener.page).catch(() => []));
      throw new Error(`${error.message}\nlast: ${JSON.stringify(last)}; all of ${listener.name}'s voices: ${all}`);
    });
}

const audible = (level: number) => level > AUDIBLE;
/** Silent as played while the voice arrives: this page, not the network, silenced it. */
const silencedHere = (level: number, inputPeak: number, voice: Voice) => voice.measured && level < SILENT && inputPeak > AUDIBLE;

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

  await expectPlayed(ada, 'Bob', audible, 'audible');
  await expectPlayed(ada, 'Cleo', audible, 'audible');

  const slider = volumeSlider(ada, 'Bob');
  await expect(slider).toHaveValue('100');
  await slider.fill('0');
  await expectPlayed(ada, 'Bob', silencedHere, 'silenced here');
  await expectPlayed(ada, 'Cleo', audible, 'still audible');
  // Only Ada turned Bob down: Cleo still receives him and plays him.
  await expectHearing(cleo, ['Bob']);
  await expectPlayed(cleo, 'Bob', audible, 'audible');

  // Above 100 % is a real gain (Web Audio; an element goes no higher): Bob comes out louder than he arrives.
  await slider.fill('200');
  await expectPlayed(ada, 'Bob', (level, inputPeak, voice) => voice.through === 'gain' && inputPeak > AUDIBLE && level > 1.5 * inputPeak, 'above 1.5 × his input');

  await slider.fill('100');
  await expectPlayed(ada, 'Bob', (level, _input, voice) => voice.through === 'element' && audible(level), 'back on his element, audible');
  const muteForMe = rosterItem(ada.page, 'Bob').getByRole('button', { name: 'Mute Bob for me' });
  await expect(muteForMe).toHaveAttribute('aria-pressed', 'false');
  await muteForMe.click();
  await expect(muteForMe).toHaveAttribute('aria-pressed', 'true');
  await expectPlayed(ada, 'Bob', silencedHere, 'silenced here');
  await expectHearing(cleo, ['Bob']);
  await expectHearing(bob, ['Ada']);

  // The choice belongs to the name: after a reload (a new session, a new userId for Ada) it holds at once.
  await ada.page.reload();
  await expectRoster([ada], names);
  await expect(rosterItem(ada.page, 'Bob').getByRole('button', { name: 'Mute Bob for me' })).toHaveAttribute('aria-pressed', 'true');
  await expect(volumeSlider(ada, 'Bob')).toHaveValue('100');
  await expectHearing(ada, ['Cleo']);
  await expectPlayed(ada, 'Bob', silencedHere, 'silenced after the reload');
  await expectPlayed(ada, 'Cleo', audible, 'audible after the reload');

  await rosterItem(ada.page, 'Bob').getByRole('button', { name: 'Mute Bob for me' }).click();
  await expectPlayed(ada, 'Bob', audible, 'audible again');

  // Deafen still silences everyone, whatever their volume.
  await ada.page.getByRole('button', { name: 'Deafen', exact: true }).click();
  await expectPlayed(ada, 'Bob', silencedHere, 'silent while Ada is deafened');
  await expectPlayed(ada, 'Cleo', silencedHere, 'silent while Ada is deafened');
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
 * The autoplay policy as browsers apply it to a page nobody has touched
 * (this test's Chromium lets every page play, so the page acts it out): until
 * the first click or key press, a media element that would make sound
 * refuses to play (NotAllowedError) and an AudioContext stays suspended.
 * Also records where the page sends its sound (HTMLMediaElement.setSinkId).
 */
const AUTOPLAY_POLICY = `(() => {
  let activated = false;
  for (const type of ['click', 'keydown']) window.addEventListener(type, () => { activated = true; }, true);
  const nativePlay = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (...args) {
    if (!activated && !this.muted) return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    return nativePlay.apply(this, args);
  };
  const Native = window.AudioContext;
  const nativeResume = Native.prototype.resume;
  window.AudioContext = class extends Native {
    constructor(...args) { super(...args); void this.suspend(); }
  };
  window.AudioContext.prototype.resume = function () { return activated ? nativeResume.call(this) : new Promise(() => {}); };
  window.__sinkIds = [];
  const nativeSetSinkId = HTMLMediaElement.prototype.setSinkId;
  HTMLMediaElement.prototype.setSinkId = function (id) { window.__sinkIds.push(id); return nativeSetSinkId.call(this, id); };
})();`;

test('a tab that rejoined without a gesture asks to "Turn on sound", and plays on the chosen speaker after the click', async ({ browser, people }) => {
  const room = newRoomId('autoplay');
  const ada = await openPerson(browser, 'Ada');
  const bob = await openPerson(browser, 'Bob');
  people.push(ada, bob);
  await joinRoom(ada, room);
  await joinRoom(bob, room);
  await expectPlayed(ada, 'Bob', audible, 'audible');

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
  await expectPlayed(ada, 'Bob', (level, _input, voice) => voice.measured && level === 0, 'silent until sound is turned on');
  await turnOn.click();
  await expect(turnOn).toBeHidden();
  await expectPlayed(ada, 'Bob', audible, 'audible after "Turn on sound"');
  expect(speakerId).not.toBe('');
  // Bob's voice went to that speaker, and nothing went anywhere else.
  const sinks = await ada.page.evaluate(() => (window as unknown as { __sinkIds: string[] }).__sinkIds);
  expect(sinks.length).toBeGreaterThan(0);
  expect(new Set(sinks)).toEqual(new Set([speakerId]));
});
