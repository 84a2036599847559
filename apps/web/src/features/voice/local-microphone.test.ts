import { describe, expect, it } from 'vitest';
import { fakeStream, type FakeTrack } from '../../app/testing/fake-engine';
import type { DeviceLists } from './device-choice';
import { FELL_BACK_NOTICE, LocalMicrophone, REPLACED_TRACK_GRACE_MS } from './local-microphone';
import type { NoiseSuppressor } from './noise-suppression';
import { DEFAULT_VOICE_SETTINGS, type VoiceSettings } from './voice-settings-slice';

type Opened = { constraints: MediaStreamConstraints; stream: MediaStream; track: FakeTrack };

function setup(options: { failOpen?: boolean; atOpen?: () => void } = {}) {
  let settings: VoiceSettings = { ...DEFAULT_VOICE_SETTINGS };
  const opened: Opened[] = [];
  const sent: MediaStream[] = [];
  const notices: string[] = [];
  const timers: Array<{ fn: () => void; at: number }> = [];
  let now = 0;
  let lists: DeviceLists = {
    microphones: [
      { deviceId: 'default', label: 'Default' },
      { deviceId: 'usb', label: 'USB' },
    ],
    speakers: [],
  };
  const deviceListeners = new Set<() => void>();
  const inUse: Array<string | undefined> = [];
  let listings = 0;
  const microphone = new LocalMicrophone({
    devices: {
      getUserMedia: async (constraints?: MediaStreamConstraints) => {
        options.atOpen?.();
        if (options.failOpen) throw new DOMException('busy', 'NotReadableError');
        const audio = constraints?.audio as { deviceId?: { exact: string } };
        const { stream, tracks } = fakeStream(audio.deviceId?.exact ?? 'default');
        opened.push({ constraints: constraints ?? {}, stream, track: tracks[0] as FakeTrack });
        return stream;
      },
      addEventListener: (_type: string, listener: () => void) => deviceListeners.add(listener),
      removeEventListener: (_type: string, listener: () => void) => deviceListeners.delete(listener),
    } as never,
    settings: () => settings,
    send: (stream) => sent.push(stream),
    suppressNoise: async (track) => {
      const processed = fakeStream('rnnoise');
      expect(track.readyState).toBe('live');
      const suppressor: NoiseSuppressor = { stream: processed.stream, close: () => processed.tracks[0]?.stop() };
      return suppressor;
    },
    listDevices: async () => {
      listings++;
      return lists;
    },
    opened: (deviceId) => inUse.push(deviceId),
    notice: (text) => notices.push(text),
    timers: { setTimeout: (fn, ms) => timers.push({ fn, at: now + ms }) },
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.splice(0)) {
      if (timer.at <= now) timer.fn();
      else timers.push(timer);
    }
  };
  return {
    microphone,
    opened,
    inUse,
    listings: () => listings,
    sent,
    notices,
    settle,
    advance,
    change(change: Partial<VoiceSettings>) {
      settings = { ...settings, ...change };
      microphone.follow();
    },
    unplugUsb() {
      lists = { ...lists, microphones: lists.microphones.filter((o) => o.deviceId !== 'usb') };
      for (const listener of deviceListeners) listener();
    },
  };
}

const trackOf = (stream: MediaStream | undefined) => stream?.getAudioTracks()[0] as unknown as FakeTrack | undefined;

describe('LocalMicrophone', () => {
  it('sends at once on start; which device is open, and the device list, follow in a later task', () => {
    const t = setup();
    const { stream } = fakeStream('usb');
    t.microphone.start(stream);
    expect(t.microphone.stream()).toBe(stream);
    expect(t.inUse).toEqual([]);
    expect(t.listings()).toBe(0);
    t.advance(0);
    expect(t.inUse).toEqual(['usb']);
    expect(t.listings()).toBe(1);
  });

  it('a microphone stopped before the later task says nothing about it', () => {
    const t = setup();
    t.microphone.start(fakeStream('usb').stream);
    t.microphone.stop();
    t.advance(0);
    expect(t.inUse).toEqual([]);
  });

  it('another microphone chosen: the new one is opened, sent on the links, and only then is the old one stopped', async () => {
    const t = setup();
    const first = fakeStream();
    t.microphone.start(first.stream);
    t.change({ microphoneId: 'usb' });
    await t.settle();
    expect(t.opened).toHaveLength(1);
    expect(t.opened[0]?.constraints.audio).toMatchObject({ deviceId: { exact: 'usb' } });
    expect(t.sent.at(-1)).toBe(t.opened[0]?.stream);
    // The old track goes on running until every link has had time to replace it.
    expect(first.tracks[0]?.readyState).toBe('live');
    t.advance(REPLACED_TRACK_GRACE_MS);
    expect(first.tracks[0]?.readyState).toBe('ended');
    expect(t.microphone.track()).toBe(t.opened[0]?.track);
  });

  it('other processing on the same microphone: the old track is stopped first (Chromium would hand the new one its processing), then the new one is sent', async () => {
    const first = fakeStream();
    const oldTrackAtOpen: string[] = [];
    const t = setup({ atOpen: () => oldTrackAtOpen.push(first.tracks[0]?.readyState ?? '') });
    t.microphone.start(first.stream);
    t.change({ echoCancellation: false });
    await t.settle();
    expect(oldTrackAtOpen).toEqual(['ended']);
    expect(t.opened[0]?.constraints.audio).toMatchObject({ echoCancellation: false, noiseSuppression: true });
    expect(t.sent.at(-1)).toBe(t.opened[0]?.stream);
    expect(t.microphone.track()).toBe(t.opened[0]?.track);
  });

  it('settings that do not touch the microphone open nothing', async () => {
    const t = setup();
    t.microphone.start(fakeStream().stream);
    t.change({ sounds: false, pushToTalk: true });
    await t.settle();
    expect(t.opened).toHaveLength(0);
    expect(t.sent).toHaveLength(0);
  });

  it('a microphone that cannot be opened leaves the one in use sending, and says so', async () => {
    const t = setup({ failOpen: true });
    const first = fakeStream();
    t.microphone.start(first.stream);
    t.change({ microphoneId: 'usb' });
    await t.settle();
    expect(t.sent).toHaveLength(0);
    expect(first.tracks[0]?.readyState).toBe('live');
    expect(t.notices[0]).toMatch(/could not be opened \(NotReadableError\)/);
  });

  it('the microphone in use unplugged (its track ended): falls back to the default one and says so', async () => {
    const t = setup();
    const usb = fakeStream('usb');
    t.microphone.start(usb.stream);
    usb.tracks[0]?.unplug();
    await t.settle();
    expect(t.opened[0]?.constraints.audio).not.toHaveProperty('deviceId');
    expect(t.sent.at(-1)).toBe(t.opened[0]?.stream);
    expect(t.notices).toEqual([FELL_BACK_NOTICE]);
  });

  it('the microphone in use left the device list: falls back too; a change elsewhere keeps it', async () => {
    const t = setup();
    const usb = fakeStream('usb');
    t.microphone.start(usb.stream);
    t.unplugUsb();
    await t.settle();
    expect(t.notices).toEqual([FELL_BACK_NOTICE]);
    t.unplugUsb();
    await t.settle();
    expect(t.opened).toHaveLength(1);
  });

  it('enhanced noise suppression on: the processed track is sent, the microphone under it keeps running; off: the microphone is sent again', async () => {
    const t = setup();
    const mic = fakeStream();
    t.microphone.start(mic.stream);
    // Muted by the mesh before the change: it disables whichever track it sends.
    (mic.tracks[0] as FakeTrack).enabled = false;
    t.change({ enhancedNoiseSuppression: true });
    await t.settle();
    const processed = trackOf(t.sent.at(-1));
    expect(processed?.getSettings().deviceId).toBe('rnnoise');
    expect(mic.tracks[0]?.enabled).toBe(true);
    t.change({ enhancedNoiseSuppression: false });
    await t.settle();
    expect(t.sent.at(-1)).toBe(mic.stream);
    t.advance(REPLACED_TRACK_GRACE_MS);
    expect(processed?.readyState).toBe('ended');
    expect(mic.tracks[0]?.readyState).toBe('live');
  });

  it('stop() releases the microphone and drops a change still under way', async () => {
    const t = setup();
    const mic = fakeStream();
    t.microphone.start(mic.stream);
    t.change({ microphoneId: 'usb' });
    t.microphone.stop();
    await t.settle();
    expect(mic.tracks[0]?.readyState).toBe('ended');
    expect(t.sent).toHaveLength(0);
    expect(t.microphone.track()).toBeUndefined();
  });
});
