import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinkState } from '@parley/mesh';
import type { UserId } from '@parley/protocol';

/**
 * An AudioContext as far as its running state goes: suspend and resume
 * settle a moment later and say so (statechange), as in a browser. Made
 * while the page may not play sound yet, it starts suspended and resume()
 * waits, as Chromium's does, until a gesture (`gesture()`) lets it.
 */
class FakeContext extends EventTarget {
  static made: FakeContext[] = [];
  static allowed = true;
  state: AudioContextState;
  readonly sampleRate: number;
  currentTime = 0;
  /** Whether the context ran when each oscillator started: what the speakers would have played. */
  readonly started: boolean[] = [];
  /** The speaker the context played to when each oscillator started ('' = the default). */
  readonly startedOn: string[] = [];
  sinkId = '';
  readonly destination = {};
  constructor(options?: AudioContextOptions) {
    super();
    this.sampleRate = options?.sampleRate ?? 48_000;
    this.state = FakeContext.allowed ? 'running' : 'suspended';
    FakeContext.made.push(this);
  }
  async suspend(): Promise<void> {
    await Promise.resolve();
    this.set('suspended');
  }
  async resume(): Promise<void> {
    while (!FakeContext.allowed) await new Promise((resolve) => setTimeout(resolve, 1));
    await Promise.resolve();
    this.set('running');
  }
  async setSinkId(id: string): Promise<void> {
    await Promise.resolve();
    this.sinkId = id;
  }
  private set(state: AudioContextState): void {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
  // What a microphone meter, the context's speaker and a room sound build on it; the analyser hears a steady 0.5.
  createMediaStreamSource() {
    return { connect: (node: unknown) => node, disconnect() {} };
  }
  createAnalyser() {
    return { fftSize: 0, disconnect() {}, getFloatTimeDomainData: (samples: Float32Array) => samples.fill(0.5) };
  }
  createMediaStreamDestination() {
    return { stream: {} };
  }
  createGain() {
    const param = { setValueAtTime() {}, linearRampToValueAtTime() {}, exponentialRampToValueAtTime() {} };
    return { gain: param, connect: (node: unknown) => node, disconnect() {} };
  }
  createOscillator() {
    return {
      type: 'sine',
      frequency: { value: 0 },
      connect: (node: unknown) => node,
      start: () => {
        this.started.push(this.state === 'running');
        this.startedOn.push(this.sinkId);
      },
      stop() {},
    };
  }
}

/** Just enough of an <audio> element for the context's speaker. */
class FakeAudio {
  srcObject: unknown = null;
  async play(): Promise<void> {}
  pause(): void {}
}

/** A store of link states, as the room slice keeps them. */
function linksStore() {
  let state: { links: Record<UserId, LinkState> } = { links: {} };
  const listeners = new Set<(s: typeof state) => void>();
  return {
    getState: () => state,
    subscribe(listener: (s: typeof state) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(links: Record<string, LinkState>) {
      state = { links: links as Record<UserId, LinkState> };
      for (const listener of listeners) listener(state);
    },
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  vi.resetModules();
  FakeContext.made = [];
  FakeContext.allowed = true;
  vi.stubGlobal('AudioContext', FakeContext);
  vi.stubGlobal('Audio', FakeAudio);
  vi.stubGlobal('MediaStream', class {});
});
afterEach(() => vi.unstubAllGlobals());

/** A page that follows its links' states, as main.tsx sets it up. */
async function page() {
  const audio = await import('./audio-context');
  const meters = await import('./meter-context');
  const { pauseAudioWhileLinksForm } = await import('./audio-pause');
  const store = linksStore();
  pauseAudioWhileLinksForm(store);
  return { audio, meters, store };
}

describe("the meters' audio context while someone joins", () => {
  it.each([
    ['nobody is joining', 'running', { a: 'connected' }],
    ["a newcomer's link is new", 'suspended', { a: 'connected', b: 'new' }],
    ['a link is connecting', 'suspended', { a: 'connecting' }],
    ['a link is trying to recover', 'running', { a: 'disconnected' }],
  ] as const)('when %s it is %s', async (_what, state, links) => {
    const { meters, store } = await page();
    const context = meters.meterContext() as unknown as FakeContext;
    store.set(links);
    await settled();
    expect(context.state).toBe(state);
  });

  it('runs again once the links are up', async () => {
    const { meters, store } = await page();
    const context = meters.meterContext() as unknown as FakeContext;
    store.set({ a: 'connected', b: 'new' });
    await settled();
    store.set({ a: 'connected', b: 'connected' });
    await settled();
    expect(context.state).toBe('running');
  });

  it('the microphone meter reads silence while paused (not "cannot tell"), and the microphone again after', async () => {
    const { store } = await page();
    const { openMicrophoneMeter } = await import('./microphone-meter');
    const meter = openMicrophoneMeter({} as MediaStreamTrack);
    expect(meter?.level()).toBe(0.5);
    store.set({ a: 'new' });
    await settled();
    expect(meter?.level()).toBe(0);
    store.set({ a: 'connected' });
    await settled();
    expect(meter?.level()).toBe(0.5);
  });

  it('does not start a context the browser holds back (no user gesture yet), whose meter cannot tell; a gesture starts it', async () => {
    FakeContext.allowed = false;
    const { audio, meters, store } = await page();
    const { openMicrophoneMeter } = await import('./microphone-meter');
    const meter = openMicrophoneMeter({} as MediaStreamTrack);
    store.set({ a: 'new' });
    await settled();
    expect(meter?.level()).toBeUndefined();
    store.set({ a: 'connected' });
    await settled();
    expect(meters.meterContext()?.state).toBe('suspended');
    FakeContext.allowed = true;
    audio.resumeAudio();
    await vi.waitFor(() => expect(meter?.level()).toBe(0.5));
  });

  it('runs at a low sample rate, apart from the context that is heard', async () => {
    const { audio, meters } = await page();
    expect(meters.meterContext()?.sampleRate).toBe(8_000);
    expect(audio.audioContext()?.sampleRate).toBe(48_000);
    expect(meters.meterContext()).not.toBe(audio.audioContext());
  });
});

describe("the page's audio context for sound", () => {
  it('rests while nothing is heard through it', async () => {
    const { audio } = await page();
    const context = audio.audioContext() as unknown as FakeContext;
    await settled();
    expect(context.state).toBe('suspended');
    expect(audio.resting()).toBe(true);
  });

  it('runs while something goes out through its speaker (a boosted voice, a sound), someone joining or not, and rests once it is done', async () => {
    const { audio, store } = await page();
    const { openContextSpeaker } = await import('./context-speaker');
    const context = audio.audioContext() as unknown as FakeContext;
    await settled();
    const speaker = openContextSpeaker();
    await settled();
    expect(context.state).toBe('running');
    store.set({ a: 'new' });
    await settled();
    expect(context.state).toBe('running');
    speaker?.release();
    speaker?.release();
    await settled();
    expect(context.state).toBe('suspended');
  });

  it('plays no sound before a gesture, and a gesture lets it run for what holds it', async () => {
    FakeContext.allowed = false;
    const { audio } = await page();
    const { openContextSpeaker } = await import('./context-speaker');
    const context = audio.audioContext() as unknown as FakeContext;
    const speaker = openContextSpeaker();
    await settled();
    expect(context.state).toBe('suspended');
    FakeContext.allowed = true;
    audio.resumeAudio();
    await vi.waitFor(() => expect(context.state).toBe('running'));
    speaker?.release();
    await vi.waitFor(() => expect(context.state).toBe('suspended'));
  });
});

describe("the room's sounds", () => {
  /** The page in a room, and the context its sounds were played on (the one made after the page's two). */
  async function roomSounds() {
    const { audio } = await page();
    const sound = audio.audioContext() as unknown as FakeContext;
    await settled();
    const { playCue } = await import('./cue-sounds');
    const { routeCues } = await import('./cue-context');
    const cueContext = () => FakeContext.made.find((made) => made !== sound && made.sampleRate !== 8_000);
    return { sound, playCue, routeCues, cueContext };
  }

  it('ring on a context of their own, which runs for the sound and rests after; the context for boosted voices goes on resting', async () => {
    const { sound, playCue, cueContext } = await roomSounds();
    vi.useFakeTimers();
    try {
      playCue('join');
      await vi.advanceTimersByTimeAsync(0);
      expect(cueContext()?.started).toEqual([true, true]);
      expect(sound.started).toEqual([]);
      expect(sound.state).toBe('suspended');
      await vi.advanceTimersByTimeAsync(1_000);
      expect(cueContext()?.state).toBe('suspended');
      playCue('leave');
      await vi.advanceTimersByTimeAsync(0);
      expect(cueContext()?.started).toEqual([true, true, true, true]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ring on the chosen speaker from the first note, and follow a new choice', async () => {
    const { playCue, routeCues, cueContext } = await roomSounds();
    await routeCues('headset');
    vi.useFakeTimers();
    try {
      playCue('message');
      await vi.advanceTimersByTimeAsync(0);
      expect(cueContext()?.startedOn).toEqual(['headset']);
      await routeCues('');
      playCue('message');
      await vi.advanceTimersByTimeAsync(0);
      expect(cueContext()?.startedOn).toEqual(['headset', '']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('go out through the sound context\'s element where a context cannot choose its speaker (Firefox)', async () => {
    class UnroutableContext extends FakeContext {}
    Object.defineProperty(UnroutableContext.prototype, 'setSinkId', { value: undefined });
    vi.stubGlobal('AudioContext', UnroutableContext);
    const { sound, playCue, routeCues, cueContext } = await roomSounds();
    await routeCues('headset');
    vi.useFakeTimers();
    try {
      playCue('message');
      await vi.advanceTimersByTimeAsync(0);
      expect(sound.started).toEqual([true]);
      expect(cueContext()).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(sound.state).toBe('suspended');
    } finally {
      vi.useRealTimers();
    }
  });

  it('are not played before a gesture, and make no context of their own to wait with', async () => {
    FakeContext.allowed = false;
    const { playCue, cueContext } = await roomSounds();
    vi.useFakeTimers();
    try {
      playCue('message');
      // Longer than any sound waits for its context to run.
      await vi.advanceTimersByTimeAsync(2_000);
      expect(cueContext()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
