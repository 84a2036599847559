import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import {
  audioPlayingCount,
  expectHearing,
  expectSilenceFrom,
  fillJoinForm,
  joinRoom,
  negotiationCounts,
  newRoomId,
  openPerson,
  type Person,
} from '../support/room';

const MICROPHONES = ['Fake Default Audio Input', 'Fake Audio Input 1', 'Fake Audio Input 2'];
const SPEAKERS = ['Fake Default Audio Output', 'Fake Audio Output 1', 'Fake Audio Output 2'];

const meterValue = async (page: Page) => Number(await page.getByRole('meter', { name: 'Microphone level' }).getAttribute('aria-valuenow'));
const chosen = (page: Page, name: 'Microphone' | 'Speaker') => page.getByLabel(name, { exact: true }).locator('option:checked');

/**
 * Every microphone the page opened: `__microphones()` reads what the browser
 * really applied to each, `__unplugLatestMicrophone()` ends the newest as an
 * unplugged device does.
 */
const MICROPHONE_PROBE = `(() => {
  const opened = [];
  const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await open(constraints);
    opened.push(stream);
    return stream;
  };
  window.__microphones = () => opened.map((s) => {
    const track = s.getAudioTracks()[0];
    const settings = track.getSettings();
    return { live: track.readyState === 'live', echoCancellation: settings.echoCancellation, autoGainControl: settings.autoGainControl };
  });
  window.__unplugLatestMicrophone = () => {
    const track = opened.at(-1).getAudioTracks()[0];
    track.stop();
    track.dispatchEvent(new Event('ended'));
    return track.label;
  };
})();`;

/** `person`'s Settings dialog, opened. */
async function openSettings(person: Person) {
  await person.page.getByRole('button', { name: 'Settings', exact: true }).click();
  return person.page.getByRole('dialog', { name: 'Settings', exact: true });
}

/** The microphone's level rises above nothing (the fake microphone plays a tone five times a second). */
async function expectMeterRising(page: Page): Promise<void> {
  await expect.poll(() => meterValue(page), { message: 'the microphone level should rise', timeout: 10_000 }).toBeGreaterThan(5);
}

/**
 * Samples, inside `listener`'s page every 50 ms, the inbound audio from
 * `speaker` (bytes, and the energy after the page's gain stage for them, as instrument.js reads them), until stopped.
 * A gap is the time audio was seen not to advance: from the last sample that
 * saw it grow to the last sample that saw it still unchanged. It counts only
 * what was observed, so a page too busy to sample on time does not pass
 * for lost audio.
 */
async function watchInbound(listener: Page, speaker: string) {
  await listener.evaluate((speaker) => {
    type Sample = { at: number; bytes: number; energy: number };
    const samples: Sample[] = [];
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      const links = await (window as unknown as { __parleyTest: { links(): Promise<Array<{ name: string | null; bytesReceived: number; heardEnergy: number }>> } }).__parleyTest.links();
      const link = links.filter((l) => l.name === speaker).pop();
      // Heard energy: what comes out of the page's gain stage for Bob (the stats' own energy reads 0 once a muted element feeds Web Audio).
      if (link) samples.push({ at: performance.now(), bytes: link.bytesReceived, energy: link.heardEnergy });
      setTimeout(tick, 50);
    };
    void tick();
    (window as unknown as Record<string, unknown>).__inbound = { samples, stop: () => (stopped = true) };
  }, speaker);
  return {
    /** How many samples the watch has taken so far. */
    samples: (): Promise<number> =>
      listener.evaluate(() => (window as unknown as { __inbound: { samples: unknown[] } }).__inbound.samples.length),
    async stop(): Promise<{ samples: number; longestBytesGapMs: number; longestEnergyGapMs: number }> {
      return listener.evaluate(() => {
        const watch = (window as unknown as { __inbound: { samples: Array<{ at: number; bytes: number; energy: number }>; stop(): void } }).__inbound;
        watch.stop();
        const longestGap = (key: 'bytes' | 'energy') => {
          let longest = 0;
          let lastGrowth = watch.samples[0]?.at ?? 0;
          for (let i = 1; i < watch.samples.length; i++) {
            const sample = watch.samples[i] as { at: number; bytes: number; energy: number };
            const previous = watch.samples[i - 1] as typeof sample;
            if (sample[key] > previous[key]) lastGrowth = sample.at;
            else longest = Math.max(longest, sample.at - lastGrowth);
          }
          return Math.round(longest);
        };
        return { samples: watch.samples.length, longestBytesGapMs: longestGap('bytes'), longestEnergyGapMs: longestGap('energy') };
      });
    },
  };
}

test('the join form checks the microphone and speaker, and remembers the choice', async ({ browser, people }) => {
  const ada = await openPerson(browser, 'Ada');
  people.push(ada);
  await fillJoinForm(ada, newRoomId('check'));
  const { page } = ada;

  await expectMeterRising(page);
  await expect(page.getByLabel('Microphone', { exact: true }).locator('option')).toHaveText(MICROPHONES);
  await expect(page.getByLabel('Speaker', { exact: true }).locator('option')).toHaveText(SPEAKERS);
  // The test chime plays on the chosen speaker and lets its element go when done.
  await page.getByRole('button', { name: 'Test speaker' }).click();
  await expect.poll(() => audioPlayingCount(page), { message: 'the chime should play' }).toBe(1);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __parleyTest: { audioPlayback(): unknown[] } }).__parleyTest.audioPlayback().length))
    .toBe(0);
  const hear = page.getByRole('button', { name: 'Hear yourself' });
  await expect(hear).toHaveAttribute('aria-pressed', 'false');
  await hear.click();
  await expect(hear).toHaveAttribute('aria-pressed', 'true');
  await hear.click();

  await page.getByLabel('Microphone', { exact: true }).selectOption({ label: 'Fake Audio Input 2' });
  await page.getByLabel('Speaker', { exact: true }).selectOption({ label: 'Fake Audio Output 1' });
  // The form now shows the chosen microphone, open and live.
  await expect(chosen(page, 'Microphone')).toHaveText('Fake Audio Input 2');
  await expectMeterRising(page);

  await page.reload();
  await expect(chosen(page, 'Microphone')).toHaveText('Fake Audio Input 2');
  await expect(chosen(page, 'Speaker')).toHaveText('Fake Audio Output 1');
  await expectMeterRising(page);
});

test('switching the microphone mid-call: the other side never loses Bob for more than 300 ms, no new offer, mute carries over', async ({
  browser,
  people,
}) => {
  const room = newRoomId('switch');
  const ada = await openPerson(browser, 'Ada');
  const bob = await openPerson(browser, 'Bob');
  people.push(ada, bob);
  await joinRoom(ada, room);
  await joinRoom(bob, room);
  await expectHearing(ada, ['Bob']);

  const settings = await openSettings(bob);
  const microphone = settings.getByLabel('Microphone', { exact: true });
  await expect(microphone.locator('option')).toHaveText(MICROPHONES);
  const offersBefore = [(await negotiationCounts(ada.page)).offers, (await negotiationCounts(bob.page)).offers];

  const watch = await watchInbound(ada.page, 'Bob');
  // Let the sampler see steady audio before the switch.
  await expect.poll(watch.samples).toBeGreaterThan(10);
  await microphone.selectOption({ label: 'Fake Audio Input 1' });
  // The picker shows the microphone really open: the switch is done once it names the new one.
  await expect(microphone.locator('option:checked')).toHaveText('Fake Audio Input 1');
  await expect(settings.getByRole('meter', { name: 'Microphone level' })).not.toHaveAttribute('aria-valuenow', '0');
  // Past the moment the old track is stopped (REPLACED_TRACK_GRACE_MS), still sampling.
  const samplesAfter = await watch.samples();
  await expect.poll(watch.samples, { timeout: 15_000 }).toBeGreaterThan(samplesAfter + 30);
  const gaps = await watch.stop();
  expect(gaps.longestBytesGapMs, `inbound bytes from Bob stalled (${JSON.stringify(gaps)})`).toBeLessThanOrEqual(300);
  expect(gaps.longestEnergyGapMs, `inbound audio energy from Bob stalled (${JSON.stringify(gaps)})`).toBeLessThanOrEqual(300);
  await expectHearing(ada, ['Bob']);

  // Muted, Bob switches again: he stays muted on the new microphone, then is heard when he unmutes.
  await settings.getByRole('button', { name: 'Close' }).click();
  await bob.page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expectSilenceFrom(ada, 'Bob');
  const again = await openSettings(bob);
  await again.getByLabel('Microphone', { exact: true }).selectOption({ label: 'Fake Audio Input 2' });
  await expect(again.getByLabel('Microphone', { exact: true }).locator('option:checked')).toHaveText('Fake Audio Input 2');
  await again.getByRole('button', { name: 'Close' }).click();
  await expectSilenceFrom(ada, 'Bob');
  await bob.page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expectHearing(ada, ['Bob']);

  expect([(await negotiationCounts(ada.page)).offers, (await negotiationCounts(bob.page)).offers]).toEqual(offersBefore);
});

test('enhanced noise suppression on: Bob is still heard, through RNNoise, without a new offer', async ({ browser, people }) => {
  const room = newRoomId('rnnoise');
  const ada = await openPerson(browser, 'Ada');
  // Which track each link sends, as replaceTrack is called: the processed one comes from Web Audio, not a device.
  const bob = await openPerson(browser, 'Bob', {
    initScript: `(() => {
      const sent = [];
      const replace = RTCRtpSender.prototype.replaceTrack;
      RTCRtpSender.prototype.replaceTrack = function (track) {
        sent.push(track ? track.label : null);
        return replace.call(this, track);
      };
      window.__sentTrackLabels = () => sent;
    })();`,
  });
  people.push(ada, bob);
  await joinRoom(ada, room);
  await joinRoom(bob, room);
  await expectHearing(ada, ['Bob']);
  const offersBefore = [(await negotiationCounts(ada.page)).offers, (await negotiationCounts(bob.page)).offers];

  const settings = await openSettings(bob);
  await settings.getByRole('checkbox', { name: 'Enhanced noise suppression' }).check();
  await expect
    .poll(() => bob.page.evaluate(() => (window as unknown as { __sentTrackLabels(): Array<string | null> }).__sentTrackLabels().at(-1)), {
      message: 'Bob should send the processed track',
    })
    .not.toMatch(/^Fake|^$|undefined/);
  await expectHearing(ada, ['Bob']);
  expect([(await negotiationCounts(ada.page)).offers, (await negotiationCounts(bob.page)).offers]).toEqual(offersBefore);

  // Remembered and turned off again: the microphone itself is sent once more.
  await settings.getByRole('checkbox', { name: 'Enhanced noise suppression' }).uncheck();
  await expect
    .poll(() => bob.page.evaluate(() => (window as unknown as { __sentTrackLabels(): Array<string | null> }).__sentTrackLabels().at(-1)))
    .toMatch(/^Fake/);
  await expectHearing(ada, ['Bob']);
});

test('the microphone in use goes away: Bob falls back to the default one, is told so, and is still heard', async ({ browser, people }) => {
  const room = newRoomId('unplug');
  const ada = await openPerson(browser, 'Ada');
  const bob = await openPerson(browser, 'Bob', { initScript: MICROPHONE_PROBE });
  people.push(ada, bob);
  await joinRoom(ada, room);
  await fillJoinForm(bob, room);
  await bob.page.getByLabel('Microphone', { exact: true }).selectOption({ label: 'Fake Audio Input 2' });
  await expect(chosen(bob.page, 'Microphone')).toHaveText('Fake Audio Input 2');
  await bob.page.getByRole('button', { name: 'Join' }).click();
  await expectHearing(ada, ['Bob']);

  expect(await bob.page.evaluate(() => (window as unknown as { __unplugLatestMicrophone(): string }).__unplugLatestMicrophone())).toBe('Fake Audio Input 2');
  await expect(bob.page.getByRole('status').filter({ hasText: 'Your microphone was disconnected' })).toBeVisible();
  await expectHearing(ada, ['Bob']);
  const settings = await openSettings(bob);
  await expect(settings.getByLabel('Microphone', { exact: true }).locator('option:checked')).toHaveText('Fake Default Audio Input');
});

test('turning the browser’s processing off opens a microphone without it, and the old one stops', async ({ browser, people }) => {
  const ada = await openPerson(browser, 'Ada', { initScript: MICROPHONE_PROBE });
  people.push(ada);
  await joinRoom(ada, newRoomId('processing'));
  const microphones = () => ada.page.evaluate(() => (window as unknown as { __microphones(): unknown[] }).__microphones());
  await expect.poll(microphones).toEqual([{ live: true, echoCancellation: true, autoGainControl: true }]);

  const settings = await openSettings(ada);
  await settings.getByRole('checkbox', { name: 'Echo cancellation' }).uncheck();
  await settings.getByRole('checkbox', { name: 'Automatic gain' }).uncheck();
  // What the browser applied, as the track reports it. (Chromium also reports noise suppression
  // off once echo cancellation is off, whatever was asked: not checked here.)
  await expect
    .poll(async () => (await microphones()).filter((m) => (m as { live: boolean }).live))
    .toEqual([{ live: true, echoCancellation: false, autoGainControl: false }]);
  await expectMeterRising(ada.page);
});
