import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../app/store';
import { createAudioPlayback, tryPlay, type PlayableLike } from './audio-playback';

/** An <audio> as the autoplay policy sees it: refused until the page has had a user gesture. */
class FakeAudio implements PlayableLike {
  playing = false;
  constructor(private readonly page: { activated: boolean }) {}
  play(): Promise<void> {
    if (!this.page.activated) return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    this.playing = true;
    return Promise.resolve();
  }
}

function setup() {
  const page = { activated: false };
  const store = createAppStore();
  const logged: unknown[] = [];
  const playback = createAudioPlayback({
    refused: () => store.getState().playbackRefused(),
    resumed: () => store.getState().playbackResumed(),
    failed: (error) => logged.push(error),
  });
  const blocked = () => store.getState().playbackBlocked;
  return { page, store, logged, playback, blocked };
}

describe('tryPlay', () => {
  it('turns every rejection into an outcome, reporting only what is not a refusal', async () => {
    const logged: unknown[] = [];
    const refusal = { play: () => Promise.reject(new DOMException('no gesture', 'NotAllowedError')) };
    const broken = { play: () => Promise.reject(new DOMException('no source', 'NotSupportedError')) };
    expect(await tryPlay(refusal, (e) => logged.push(e))).toBe('refused');
    expect(logged).toEqual([]);
    expect(await tryPlay(broken, (e) => logged.push(e))).toBe('failed');
    expect(logged).toHaveLength(1);
  });
});

describe('audio playback', () => {
  it('asks for a click when the browser refuses, and plays everything after it', async () => {
    const { page, playback, blocked } = setup();
    const alice = new FakeAudio(page);
    const bob = new FakeAudio(page);
    expect(await playback.start(alice)).toBe('refused');
    await playback.start(bob);
    expect(blocked()).toBe(true);

    page.activated = true; // "Turn on sound"
    expect(await playback.resumeAll()).toBe('playing');
    expect(blocked()).toBe(false);
    expect([alice.playing, bob.playing]).toEqual([true, true]);
  });

  it('keeps asking while a retry is still refused', async () => {
    const { page, playback, blocked } = setup();
    await playback.start(new FakeAudio(page));
    expect(await playback.resumeAll()).toBe('refused');
    expect(blocked()).toBe(true);
  });

  it('clears the prompt and starts the held sound when a later play succeeds by itself', async () => {
    const { page, playback, blocked } = setup();
    const alice = new FakeAudio(page);
    await playback.start(alice);
    expect(blocked()).toBe(true);

    page.activated = true; // the user clicked somewhere else, then someone joined
    const carol = new FakeAudio(page);
    expect(await playback.start(carol)).toBe('playing');
    expect(blocked()).toBe(false);
    expect(alice.playing).toBe(true);
  });

  it('clears the prompt when the only silenced participant leaves', async () => {
    const { page, playback, blocked } = setup();
    const alice = new FakeAudio(page);
    await playback.start(alice);
    playback.remove(alice);
    expect(blocked()).toBe(false);
  });

  it('logs other failures without asking for a click', async () => {
    const { playback, blocked, logged } = setup();
    const broken = { play: () => Promise.reject(new DOMException('decode failed', 'NotSupportedError')) };
    expect(await playback.start(broken)).toBe('failed');
    expect(blocked()).toBe(false);
    expect(logged).toHaveLength(1);
  });
});
