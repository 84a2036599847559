import { resumeMeters } from './meter-context';
import { newSinklessContext } from './sinkless-context';

/**
 * The page's AudioContext for what is heard through Web Audio: a voice
 * turned up past 100 %, the room's sounds, the settings' test sound, and the
 * enhanced noise suppression on our microphone. Made on first use; the
 * meters have a cheaper context of their own (meter-context.ts).
 *
 * It plays to no device (`sinkId: { type: 'none' }`, Chromium 110+): what it
 * makes audible leaves through one element (context-speaker.ts), while the
 * remote voices play in elements of their own (playback-graph.ts). A context
 * with a device of its own is a second output stream beside the elements'
 * one, fed by a real-time thread all call long: in a six-person call on two
 * cores the output threads took 41 % of a core against 26 % without (per
 * thread, from /proc), and a real-time thread's work outranks the page's
 * own, offers and answers included. Where a browser cannot make such a
 * context, it makes an ordinary one, with nothing connected to its device.
 *
 * It runs only while something holds it (holdRunning): everything that goes
 * out through its speaker (context-speaker.ts), the noise suppression, the
 * test sound. Otherwise it rests (suspended by the page, which may resume
 * it at any time): a running context costs its rendering threads all call
 * long, about 2 % of a core a page in a steady call of five (bench:call),
 * and most calls hear nothing through it.
 *
 * A context made before the page had a user gesture starts suspended, held
 * back by the browser rather than resting; `resumeAudio()` from a click or
 * key handler lets it (and the meters' context) start.
 */
let shared: AudioContext | undefined;

export function audioContext(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  if (!shared) {
    shared = newSinklessContext({ latencyHint: 'interactive' });
    // Started by a gesture with nothing to play, it rests.
    shared.addEventListener('statechange', settle);
    // Whoever made it is about to hold it (a sound, a boost): not suspended in between.
    queueMicrotask(settle);
  }
  return shared;
}

let holds = 0;
/** Whether the context is suspended by the page (resting), not held back by the browser. */
let rests = false;

/** Keeps the context running until the returned release is called (once is enough). */
export function holdRunning(): () => void {
  holds++;
  settle();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds--;
    settle();
  };
}

/** The context is suspended by the page, which may run it whenever something is to be heard. */
export function resting(): boolean {
  return rests;
}

function settle(): void {
  const context = shared;
  if (!context) return;
  if (holds === 0 && !rests && context.state === 'running') {
    rests = true;
    void context.suspend().catch(() => undefined);
  } else if (holds > 0 && rests) {
    rests = false;
    void context.resume().catch(() => undefined);
  }
}

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
  if (context?.state === 'suspended' && !rests) void context.resume().catch(() => undefined);
}
