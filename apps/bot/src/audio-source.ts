import wrtc from '@roamhq/wrtc';
import type { Clock, TimerHandle } from '@parley/mesh';

/** What the bot sends: 10 ms frames of 48 kHz mono 16-bit PCM. */
export const SAMPLE_RATE = 48_000;
export const FRAME_MS = 10;
export const SAMPLES_PER_FRAME = (SAMPLE_RATE * FRAME_MS) / 1000;

/** A tone beeps so that speaking detection sees speech start and stop. */
export const BEEP_ON_MS = 200;
export const BEEP_OFF_MS = 200;
/** About -10 dBFS: clearly audible, far from clipping. */
export const TONE_AMPLITUDE = 0.3;
/** Fade in and out over 5 ms so the beeps do not click. */
const RAMP_SAMPLES = (SAMPLE_RATE * 5) / 1000;

export type AudioSignal = { kind: 'tone'; frequencyHz: number } | { kind: 'pcm'; samples: Int16Array } | { kind: 'silence' };

const SILENT_FRAME = new Int16Array(SAMPLES_PER_FRAME);

/** Frame `index` of a beeping sine: on for BEEP_ON_MS, off for BEEP_OFF_MS, repeating. */
export function toneFrame(frequencyHz: number, index: number): Int16Array {
  const frame = new Int16Array(SAMPLES_PER_FRAME);
  const cycle = ((BEEP_ON_MS + BEEP_OFF_MS) * SAMPLE_RATE) / 1000;
  const on = (BEEP_ON_MS * SAMPLE_RATE) / 1000;
  const peak = TONE_AMPLITUDE * 32767;
  for (let i = 0; i < SAMPLES_PER_FRAME; i++) {
    const n = index * SAMPLES_PER_FRAME + i;
    const inCycle = n % cycle;
    if (inCycle >= on) continue;
    const envelope = Math.min(1, inCycle / RAMP_SAMPLES, (on - 1 - inCycle) / RAMP_SAMPLES);
    frame[i] = Math.round(peak * envelope * Math.sin((2 * Math.PI * frequencyHz * n) / SAMPLE_RATE));
  }
  return frame;
}

/** Frame `index` of `samples` played in a loop. */
export function loopFrame(samples: Int16Array, index: number): Int16Array {
  const frame = new Int16Array(SAMPLES_PER_FRAME);
  if (samples.length === 0) return frame;
  let from = (index * SAMPLES_PER_FRAME) % samples.length;
  for (let i = 0; i < SAMPLES_PER_FRAME; i++) {
    frame[i] = samples[from] ?? 0;
    from = from + 1 === samples.length ? 0 : from + 1;
  }
  return frame;
}

export function signalFrame(signal: AudioSignal, index: number): Int16Array {
  switch (signal.kind) {
    case 'tone':
      return toneFrame(signal.frequencyHz, index);
    case 'pcm':
      return loopFrame(signal.samples, index);
    case 'silence':
      return SILENT_FRAME;
  }
}

/** A stall longer than this is skipped, not replayed in a burst. */
export const MAX_BURST_FRAMES = 10;

/**
 * How many frames are due at `nowMs` for a stream that started at `startMs`
 * and has sent `sentFrames`, measured against the start so timer lateness
 * never accumulates. After a stall longer than `MAX_BURST_FRAMES` the backlog
 * beyond it is skipped (`skip`) rather than sent all at once.
 */
export function framesDue(startMs: number, nowMs: number, sentFrames: number): { send: number; skip: number } {
  const owed = Math.floor((nowMs - startMs) / FRAME_MS) + 1 - sentFrames;
  if (owed <= 0) return { send: 0, skip: 0 };
  const send = Math.min(owed, MAX_BURST_FRAMES);
  return { send, skip: owed - send };
}

/** One call's worth of audio for wrtc's nonstandard RTCAudioSource. */
export type AudioFrame = { samples: Int16Array; sampleRate: number; bitsPerSample: number; channelCount: number; numberOfFrames: number };

/** The one method of wrtc's nonstandard RTCAudioSource that feeding uses. */
export type FrameTarget = { onData(frame: AudioFrame): void };

/** Pushes `signal` into `target` one 10 ms frame at a time, in real time by `clock`. */
export class AudioFeeder {
  private startMs = 0;
  private sentFrames = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly signal: AudioSignal,
    private readonly target: FrameTarget,
    private readonly clock: Clock,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.startMs = this.clock.now();
    this.sentFrames = 0;
    this.tick();
  }

  stop(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const { send, skip } = framesDue(this.startMs, this.clock.now(), this.sentFrames);
    this.sentFrames += skip;
    for (let i = 0; i < send; i++) {
      const samples = signalFrame(this.signal, this.sentFrames);
      this.target.onData({ samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: SAMPLES_PER_FRAME });
      this.sentFrames += 1;
    }
    const nextDueMs = this.startMs + this.sentFrames * FRAME_MS;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, nextDueMs - this.clock.now()));
  }
}

export type Microphone = { stream: MediaStream; stop(): void };

/** A microphone track made of `signal`, fed in real time. */
export function startMicrophone(signal: AudioSignal, clock: Clock): Microphone {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const feeder = new AudioFeeder(signal, source, clock);
  feeder.start();
  return {
    stream: new wrtc.MediaStream([track]),
    stop: () => {
      feeder.stop();
      track.stop();
    },
  };
}
