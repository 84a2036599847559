import { newSinklessContext } from './sinkless-context';

/**
 * The page's AudioContext for measuring: every level meter (the microphone
 * meter the engine reads, the join form's check, the in-room meter) reads an
 * AnalyserNode on it, and nothing on it is ever heard. So it runs cheaply: at
 * 8 kHz (a voice's level is in its lower frequencies) with large buffers,
 * its rendering threads woken a fraction as often as at 48 kHz with low
 * latency. In a steady call of five on two cores (bench:call, one run, three
 * rounds a build), the rendering threads of the page's one 48 kHz context
 * (`ThreadPoolSingl`, `ThreadPoolServi`) took 900-1220 ms of CPU in 10 s
 * over the five pages; with this context beside one that rests, 320-420 ms.
 * Its analysers still see new audio about 32 times a second (blocks of 256
 * frames; 63 with the `interactive` hint, 100 at 48 kHz; measured in
 * Chromium), more often than any meter reads them (15 a second at most).
 * What is heard has its own context (audio-context.ts), running only while
 * it is.
 *
 * It plays to no device (`sinkId: { type: 'none' }`, Chromium 110+; see
 * audio-context.ts for why). It pauses while a link forms (setLinkForming):
 * a link forms fastest on a machine with cores to spare, and six Parley
 * pages on two cores, a settled call of five with a sixth on the form, kept
 * 1.8 of them busy against 1.2 for the raw WebRTC page (bench:trace).
 * Sixth joiners into a settled call of five (bench:mesh, 8 a build, builds
 * taking turns in one run): with the page's context paused while a link
 * forms, 1.3-1.9 s (median 1.68 s) against 1.9-5.5 s (2.02 s) without, the
 * raw page 1.09 s. The meters read 0 meanwhile (see pausedWhileLinksForm).
 *
 * A context made before the page had a user gesture starts suspended;
 * `resumeAudio()` (audio-context.ts) starts it from a click or key handler.
 */
const METER_SAMPLE_RATE = 8_000;

let shared: AudioContext | undefined;
let linkForming = false;
/** Whether the context is suspended by this pause: only then is it ours to resume. */
let paused = false;

export function meterContext(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  if (!shared) {
    shared = newSinklessContext({ latencyHint: 'playback', sampleRate: METER_SAMPLE_RATE });
    // Started by a gesture while a link forms, it pauses then.
    shared.addEventListener('statechange', settle);
    settle();
  }
  return shared;
}

/** Some link is forming (new or connecting), or none is any more. */
export function setLinkForming(forming: boolean): void {
  linkForming = forming;
  settle();
}

/** The meters' context is suspended because a link forms: what it measures is silence, not unknown. */
export function pausedWhileLinksForm(): boolean {
  return paused;
}

/** Call from a user gesture (or after one): a context the browser held back starts, unless a link forms. */
export function resumeMeters(): void {
  const context = meterContext();
  if (context?.state === 'suspended' && !paused) void context.resume().catch(() => undefined);
}

function settle(): void {
  const context = shared;
  if (!context) return;
  if (linkForming && !paused && context.state === 'running') {
    paused = true;
    void context.suspend().catch(() => undefined);
  } else if (!linkForming && paused) {
    paused = false;
    void context.resume().catch(() => undefined);
  }
}
