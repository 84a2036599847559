import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinkState } from '@parley/mesh';
import type { UserId } from '@parley/protocol';

/** An AudioContext as far as its running state goes: suspend and resume settle a moment later, as in a browser. */
class FakeContext {
  state: AudioContextState;
  constructor(startsRunning: boolean) {
    this.state = startsRunning ? 'running' : 'suspended';
  }
  async suspend(): Promise<void> {
    await Promise.resolve();
    this.state = 'suspended';
  }
  async resume(): Promise<void> {
    await Promise.resolve();
    this.state = 'running';
  }
  addEventListener(): void {}
  removeEventListener(): void {}
  // What a microphone meter and the context's speaker build on it; the analyser hears a steady 0.5.
  createMediaStreamSource() {
    return { connect: (node: unknown) => node, disconnect() {} };
  }
  createAnalyser() {
    return { fftSize: 0, disconnect() {}, getFloatTimeDomainData: (samples: Float32Array) => samples.fill(0.5) };
  }
  createMediaStreamDestination() {
    return { stream: {} };
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

describe("the page's audio context while someone joins", () => {
  let startsRunning: boolean;

  beforeEach(() => {
    vi.resetModules();
    startsRunning = true;
    vi.stubGlobal(
      'AudioContext',
      class extends FakeContext {
        constructor() {
          super(startsRunning);
        }
      },
    );
    vi.stubGlobal('Audio', FakeAudio);
    vi.stubGlobal('MediaStream', class {});
  });
  afterEach(() => vi.unstubAllGlobals());

  async function page() {
    const audio = await import('./audio-context');
    const { pauseAudioWhileLinksForm } = await import('./audio-pause');
    const store = linksStore();
    pauseAudioWhileLinksForm(store);
    const context = audio.audioContext() as unknown as FakeContext;
    return { audio, store, context };
  }

  it.each([
    ['nobody is joining', 'running', { a: 'connected' }],
    ["a newcomer's link is new", 'suspended', { a: 'connected', b: 'new' }],
    ['a link is connecting', 'suspended', { a: 'connecting' }],
    ['a link is trying to recover', 'running', { a: 'disconnected' }],
  ] as const)('when %s it is %s', async (_what, state, links) => {
    const { store, context } = await page();
    store.set(links);
    await settled();
    expect(context.state).toBe(state);
  });

  it('runs again once the links are up', async () => {
    const { store, context } = await page();
    store.set({ a: 'connected', b: 'new' });
    await settled();
    store.set({ a: 'connected', b: 'connected' });
    await settled();
    expect(context.state).toBe('running');
  });

  it('keeps running while something goes out through its speaker (a boosted voice, a sound), and pauses once it is done', async () => {
    const { store, context } = await page();
    const { openContextSpeaker } = await import('./context-speaker');
    store.set({ a: 'new' });
    await settled();
    const speaker = openContextSpeaker();
    await settled();
    expect(context.state).toBe('running');
    speaker?.release();
    speaker?.release();
    await settled();
    expect(context.state).toBe('suspended');
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

  it('does not start a context the browser holds back (no user gesture yet), whose meter cannot tell', async () => {
    startsRunning = false;
    const { store, context } = await page();
    const { openMicrophoneMeter } = await import('./microphone-meter');
    const meter = openMicrophoneMeter({} as MediaStreamTrack);
    store.set({ a: 'new' });
    await settled();
    expect(meter?.level()).toBeUndefined();
    store.set({ a: 'connected' });
    await settled();
    expect(context.state).toBe('suspended');
  });
});
