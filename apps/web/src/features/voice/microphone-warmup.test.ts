import { describe, expect, it } from 'vitest';
import { MicrophoneWarmup } from './microphone-warmup';

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

function setup(options: { mayAsk: boolean; fail?: boolean }) {
  const opened: Array<MediaStream & { track: FakeTrack }> = [];
  const failures: unknown[] = [];
  const warmup = new MicrophoneWarmup({
    mayAsk: async () => options.mayAsk,
    open: async () => {
      if (options.fail) throw Object.assign(new Error('busy'), { name: 'NotReadableError' });
      const stream = fakeStream();
      opened.push(stream);
      return stream;
    },
    failed: (error) => failures.push(error),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { warmup, opened, failures, settle };
}

describe('MicrophoneWarmup', () => {
  it('opens the microphone once while the form shows, and Join gets that live stream', async () => {
    const { warmup, opened, settle } = setup({ mayAsk: true });
    warmup.warm();
    warmup.warm();
    await settle();
    expect(opened).toHaveLength(1);
    const stream = await warmup.take();
    expect(stream).toBe(opened[0]);
    expect(opened[0]?.track.readyState).toBe('live');
    expect(warmup.take()).toBeUndefined();
  });

  it('hands over an open microphone at once, and leaves one still opening in place', async () => {
    const { warmup, opened, settle } = setup({ mayAsk: true });
    warmup.warm();
    expect(warmup.takeOpen()).toBeUndefined();
    await settle();
    expect(warmup.takeOpen()).toBe(opened[0]);
    expect(opened[0]?.track.readyState).toBe('live');
    expect(warmup.takeOpen()).toBeUndefined();
    expect(warmup.take()).toBeUndefined();
  });

  it('opens nothing where the browser has blocked the microphone', async () => {
    const { warmup, opened, settle } = setup({ mayAsk: false });
    warmup.warm();
    await settle();
    expect(opened).toHaveLength(0);
    expect(warmup.take()).toBeUndefined();
  });

  it('Join while the microphone is still opening gets it, live', async () => {
    const { warmup, opened } = setup({ mayAsk: true });
    warmup.warm();
    await Promise.resolve();
    await Promise.resolve();
    const taken = warmup.take();
    expect(taken).toBeDefined();
    const stream = await taken;
    expect(stream?.getAudioTracks()[0]?.readyState).toBe('live');
    expect(opened).toHaveLength(1);
  });

  it('shows the form the live track, and closes it when the form is left', async () => {
    const { warmup, opened, settle } = setup({ mayAsk: true });
    let changes = 0;
    warmup.subscribe(() => changes++);
    warmup.warm();
    await settle();
    expect(warmup.track()).toBe(opened[0]?.track);
    warmup.release();
    expect(opened[0]?.track.readyState).toBe('ended');
    expect(warmup.track()).toBeUndefined();
    expect(changes).toBe(2);
    expect(warmup.take()).toBeUndefined();
  });

  it('another microphone chosen on the form: the new one opens, then the old one closes, and Join takes the new one', async () => {
    const { warmup, opened, settle } = setup({ mayAsk: true });
    warmup.warm();
    await settle();
    warmup.reopen();
    await settle();
    expect(opened).toHaveLength(2);
    expect(opened[0]?.track.readyState).toBe('ended');
    expect(warmup.track()).toBe(opened[1]?.track);
    expect(await warmup.take()).toBe(opened[1]);
  });

  it('does not hand out a microphone that was unplugged meanwhile', async () => {
    const { warmup, opened, settle } = setup({ mayAsk: true });
    warmup.warm();
    await settle();
    opened[0]?.track.stop();
    expect(warmup.take()).toBeUndefined();
  });

  it('a microphone that failed to open is explained on the form, and asked for again at Join', async () => {
    const { warmup, failures, settle } = setup({ mayAsk: true, fail: true });
    warmup.warm();
    await settle();
    expect(failures).toHaveLength(1);
    expect(warmup.take()).toBeUndefined();
  });
});
