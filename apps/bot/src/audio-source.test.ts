import type { Clock } from '@parley/mesh';
import { FakeClock } from '@parley/mesh/testing';
import { describe, expect, it } from 'vitest';
import { energy } from './audio-meter';
import { AudioFeeder, type AudioFrame, framesDue, loopFrame, MAX_BURST_FRAMES, SAMPLES_PER_FRAME, signalFrame, TONE_AMPLITUDE, toneFrame } from './audio-source';

function rms(frame: Int16Array): number {
  const { sumSquares, count } = energy(frame);
  return Math.sqrt(sumSquares / count);
}

function peak(frame: Int16Array): number {
  return frame.reduce((max, x) => Math.max(max, Math.abs(x)), 0) / 32767;
}

describe('toneFrame', () => {
  it('beeps: 200 ms of tone, then 200 ms of silence, again and again', () => {
    const levels = Array.from({ length: 80 }, (_, index) => rms(toneFrame(440, index)));
    const sounding = levels.map((level) => level > 0.1);
    const cycle = [...Array<boolean>(20).fill(true), ...Array<boolean>(20).fill(false)];
    expect(sounding).toEqual([...cycle, ...cycle]);
  });

  it('is a sine at the asked pitch and a moderate level', () => {
    const beep = Array.from({ length: 20 }, (_, index) => toneFrame(1000, index));
    const samples = Int16Array.from(beep.flatMap((frame) => [...frame]));
    let crossings = 0;
    for (let i = 1; i < samples.length; i++) if ((samples[i - 1] ?? 0) < 0 && (samples[i] ?? 0) >= 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(199); // 1000 Hz for 200 ms
    expect(crossings).toBeLessThanOrEqual(200);
    expect(Math.max(...beep.map(peak))).toBeCloseTo(TONE_AMPLITUDE, 2);
    expect(rms(beep[10] ?? new Int16Array())).toBeCloseTo(TONE_AMPLITUDE / Math.SQRT2, 2);
  });

  it('fades in and out instead of clicking', () => {
    const first = toneFrame(440, 0);
    const last = toneFrame(440, 19);
    expect(Math.abs(first[0] ?? 1)).toBe(0);
    expect(Math.abs(first[10] ?? 0)).toBeLessThan(0.05 * 32767);
    expect(Math.abs(last[SAMPLES_PER_FRAME - 1] ?? 1)).toBe(0);
  });
});

describe('loopFrame', () => {
  it('plays the samples in a loop, across frame boundaries', () => {
    const samples = Int16Array.from({ length: 1000 }, (_, i) => i);
    expect([...loopFrame(samples, 0).slice(0, 3)]).toEqual([0, 1, 2]);
    expect([...loopFrame(samples, 2).slice(38, 42)]).toEqual([998, 999, 0, 1]);
    expect([...loopFrame(samples, 3).slice(0, 2)]).toEqual([440, 441]);
  });

  it('repeats a file shorter than a frame', () => {
    expect([...loopFrame(new Int16Array([5, 6]), 0).slice(0, 5)]).toEqual([5, 6, 5, 6, 5]);
  });
});

describe('signalFrame', () => {
  it('is full of zeros for silence', () => {
    expect(peak(signalFrame({ kind: 'silence' }, 7))).toBe(0);
    expect(signalFrame({ kind: 'silence' }, 7)).toHaveLength(SAMPLES_PER_FRAME);
  });
});

describe('framesDue', () => {
  it.each([
    ['the first frame at once', 0, 0, { send: 1, skip: 0 }],
    ['nothing before the next frame is due', 9, 1, { send: 0, skip: 0 }],
    ['each frame on its 10 ms boundary', 10, 1, { send: 1, skip: 0 }],
    ['what a late timer owes, counted from the start', 47, 2, { send: 3, skip: 0 }],
    ['at most a short burst after a stall, skipping the rest', 1000, 1, { send: MAX_BURST_FRAMES, skip: 100 - MAX_BURST_FRAMES }],
  ])('sends %s', (_, elapsedMs, sent, due) => {
    expect(framesDue(5_000, 5_000 + elapsedMs, sent)).toEqual(due);
  });
});

describe('AudioFeeder', () => {
  function feed(signal: Parameters<typeof signalFrame>[0]) {
    const clock = new FakeClock();
    const frames: AudioFrame[] = [];
    const feeder = new AudioFeeder(signal, { onData: (frame) => frames.push(frame) }, clock);
    return { clock, frames, feeder };
  }

  it('sends 100 frames of 10 ms, 48 kHz mono 16-bit, every second', () => {
    const { clock, frames, feeder } = feed({ kind: 'tone', frequencyHz: 440 });
    feeder.start();
    clock.advance(999);
    expect(frames).toHaveLength(100);
    expect(frames[0]).toMatchObject({ sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
    expect(frames.every((frame) => frame.samples.length === 480)).toBe(true);
    expect(frames.map((frame) => frame.samples)).toEqual(Array.from({ length: 100 }, (_, i) => toneFrame(440, i)));
  });

  it('keeps real time when every timer fires late', () => {
    const clock = new FakeClock();
    const lateClock: Clock = {
      now: () => clock.now(),
      setTimeout: (callback, delayMs) => clock.setTimeout(callback, delayMs + 7),
      clearTimeout: (handle) => clock.clearTimeout(handle),
    };
    let sent = 0;
    new AudioFeeder({ kind: 'silence' }, { onData: () => sent++ }, lateClock).start();
    clock.advance(10_000);
    expect(sent).toBeGreaterThanOrEqual(999);
    expect(sent).toBeLessThanOrEqual(1001);
  });

  it('stops sending when stopped', () => {
    const { clock, frames, feeder } = feed({ kind: 'silence' });
    feeder.start();
    clock.advance(95);
    feeder.stop();
    clock.advance(1000);
    expect(frames).toHaveLength(10);
    expect(clock.pendingTimers).toBe(0);
  });
});
