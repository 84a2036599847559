import { resumeMeters } from './meter-context';
import { restingContext } from './resting-context';
import { newSinklessContext } from './sinkless-context';

/**
 * The page's AudioContext for what is heard through Web Audio besides the
 * room's sounds (cue-context.ts): a voice turned up past 100 %, the
 * settings' test sound, and the enhanced noise suppression on our
 * microphone. Made on first use; the meters have a cheaper context of their
 * own (meter-context.ts).
 *
 * It plays to no device (`sinkId: { type: 'none' }`, Chromium 110+): what it
 * makes audible leaves through one element (context-speaker.ts), while the
 * remote voices play in elements of their own (playback-graph.ts). A context
 * with a device of its own is a second output stream beside the elements'
 * one, fed by a real-time thread for as long as it runs: in a six-person
 * call on two cores the output threads took 41 % of a core against 26 %
 * without (per thread, from /proc), and a real-time thread's work outranks
 * the page's own, offers and answers included. The noise suppression holds
 * it running all call long with nothing to play. Where a browser cannot
 * make such a context, it makes an ordinary one, with nothing connected to
 * its device.
 *
 * It runs only while something holds it (holdRunning, resting-context.ts):
 * everything that goes out through its speaker (context-speaker.ts), the
 * noise suppression, the test sound. Otherwise it rests (suspended by the
 * page, which may resume it at any time): a running context costs its
 * rendering threads all call long, about 2 % of a core a page in a steady
 * call of five (bench:call), and most calls hear nothing through it.
 *
 * A context made before the page had a user gesture starts suspended, held
 * back by the browser rather than resting; `resumeAudio()` from a click or
 * key handler lets it (and the meters' context) start.
 */
const sound = restingContext(() => newSinklessContext({ latencyHint: 'interactive' }));

export const audioContext = sound.context;

/** Keeps the context running until the returned release is called (once is enough). */
export const holdRunning = sound.holdRunning;

/** Whether the context is suspended by the page (resting), not held back by the browser. */
export const resting = sound.resting;

/**
 * Resolves true once `context` runs (at once if it does), false if it has
 * not after `timeoutMs`; without one it waits as long as it takes.
 */
export function untilRunning(context: AudioContext, timeoutMs?: number): Promise<boolean> {
  if (context.state === 'running') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (running: boolean) => {
      clearTimeout(timer);
      context.removeEventListener('statechange', onChange);
      resolve(running);
    };
    const onChange = () => {
      if (context.state === 'running') done(true);
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(false), timeoutMs);
    context.addEventListener('statechange', onChange);
  });
}

/**
 * Call from a user gesture (or after one): contexts the browser held back
 * start (this one rests at once unless something holds it); never throws.
 */
export function resumeAudio(): void {
  resumeMeters();
  const context = audioContext();
  if (context?.state === 'suspended' && !resting()) void context.resume().catch(() => undefined);
}
