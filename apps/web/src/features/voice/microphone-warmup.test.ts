import { describe, expect, it } from 'vitest';
import { MicrophoneWarmup, WARM_MICROPHONE_HOLD_MS } from './microphone-warmup';

type FakeTrack = { readyState: MediaStreamTrackState; stop(): void };

function fakeStream(): MediaStream & { track: FakeTrack } {
  const track: FakeTrack = {
    readyState: 'live',
    stop() {
      track.readyState = 'ended';
    },
  };
  return { track, getTracks: () => [track], getAudioTracks: () => [track] } as unknown as MediaStream & { track: FakeTrack };
}

function setup(options: { allowed: boolean; fail?: boolean }) {
  const opened: Array<MediaStream & { track: FakeTrack }> = [];
  const timers: Array<{ fn: () => void; at: number } | undefined> = [];
  let now = 0;
  const warmup = new MicrophoneWarmup({
    allowed: async () => options.allowed,
    open: async () => {
      if (options.fail) throw Object.assign(new Error('busy'), { name: 'NotReadableError' });
      const stream = fakeStream();
      opened.push(stream);
      return stream;
    },
    timers: {
      setTimeout: (fn, ms) => timers.push({ fn, at: now + ms }) - 1,
      clearTimeout: (handle) => {
        timers[handle as number] = undefined;
      },
    },
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [i, timer] of timers.entries()) {
      if (timer && timer.at <= now) {
        timers[i] = undefined;
        timer.fn();
      }
    }
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { warmup, opened, advance, settle };
}

describe('MicrophoneWarmup', () => {
  it('opens an allowed microphone once while the user types, and Join gets that live stream', async () => {
    const { warmup, opened, settle } = setup({ allowed: true });
    warmup.warm();
    warmup.warm();
    await settle();
    expect(opened).toHaveLength(1);
    const stream = await warmup.take();
    expect(stream).toBe(opened[0]);
    expect(opened[0]?.track.readyState).toBe('live');
    expect(warmup.take()).toBeUndefined();
  });

  it('opens nothing where the browser would ask first', async () => {
    const { warmup, opened, settle } = setup({ allowed: false });
    warmup.warm();
    await settle();
    expect(opened).toHaveLength(0);
    expect(warmup.take()).toBeUndefined();
  });

  it('Join while the microphone is still opening gets it, live', async () => {
    const { warmup, opened } = setup({ allowed: true });
    warmup.warm();
    await Promise.resolve();
    await Promise.resolve();
    const taken = warmup.take();
    expect(taken).toBeDefined();
    const stream = await taken;
    expect(stream?.getAudioTracks()[0]?.readyState).toBe('live');
    expect(opened).toHaveLength(1);
  });

  it('closes a microphone nobody took after the hold time, counted from the last keystroke', async () => {
    const { warmup, opened, advance, settle } = setup({ allowed: true });
    warmup.warm();
    await settle();
    advance(WARM_MICROPHONE_HOLD_MS - 1);
    warmup.warm();
    advance(WARM_MICROPHONE_HOLD_MS - 1);
    expect(opened[0]?.track.readyState).toBe('live');
    advance(1);
    expect(opened[0]?.track.readyState).toBe('ended');
    expect(warmup.take()).toBeUndefined();
  });

  it('does not hand out a microphone that was unplugged meanwhile', async () => {
    const { warmup, opened, settle } = setup({ allowed: true });
    warmup.warm();
    await settle();
    opened[0]?.track.stop();
    expect(warmup.take()).toBeUndefined();
  });

  it('a microphone that failed to open is asked for again at Join', async () => {
    const { warmup, settle } = setup({ allowed: true, fail: true });
    warmup.warm();
    await settle();
    expect(warmup.take()).toBeUndefined();
  });
});
