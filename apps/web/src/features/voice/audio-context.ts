/**
 * The page's one AudioContext, made on first use. Every meter, the noise
 * suppression, the boosted voices and the room's sounds share it: each
 * running context costs a rendering thread of its own.
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
 * A context made before the page had a user gesture starts suspended;
 * `resumeAudio()` from a click or key handler starts it.
 */
let shared: AudioContext | undefined;

/** AudioContext's sinkId option (Chromium 110+), missing from older DOM typings. */
type SinklessOptions = AudioContextOptions & { sinkId?: { type: 'none' } };

export function audioContext(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  shared ??= new AudioContext(contextOptions());
  return shared;
}

function contextOptions(): SinklessOptions {
  const options: SinklessOptions = { latencyHint: 'interactive' };
  if ('setSinkId' in AudioContext.prototype) options.sinkId = { type: 'none' };
  return options;
}

/**
 * While someone joins, the context is paused unless something holds it.
 * A running context costs its rendering threads all call long, about 2 % of
 * a core a page (bench:call, five people), and a link forms fastest on a
 * machine with cores to spare: six Parley pages on two cores, a settled call
 * of five with a sixth on the form, kept 1.8 of them busy against 1.2 for
 * the raw WebRTC page (bench:trace). Sixth joiners into a settled call of
 * five (bench:mesh, 8 a build, builds taking turns in one run): with this
 * pause, 1.3-1.9 s (median 1.68 s) against 1.9-5.5 s (2.02 s) without, the
 * raw page 1.09 s; a build with no context at all, 1.61 s against 2.29 s.
 * What only measures waits, as the meters already do while a
 * link forms (they read 0 meanwhile, see pausedWhileLinksForm); what is
 * heard through the context holds it running: everything that goes out
 * through its speaker (context-speaker.ts: a voice turned up past 100 %, a
 * room sound), the enhanced noise suppression on our microphone, the
 * settings' test sound.
 */
let holds = 0;
let linkForming = false;
/** Whether the context is suspended by this pause: only then is it ours to resume. */
let paused = false;

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

/** Some link is forming (new or connecting), or none is any more. */
export function setLinkForming(forming: boolean): void {
  linkForming = forming;
  settle();
}

/** The context is suspended because a link forms: what it measures is silence, not unknown. */
export function pausedWhileLinksForm(): boolean {
  return paused;
}

function settle(): void {
  const context = shared;
  if (!context) return;
  const pause = linkForming && holds === 0;
  if (pause && !paused && context.state === 'running') {
    paused = true;
    void context.suspend().catch(() => undefined);
  } else if (!pause && paused) {
    paused = false;
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

/** Call from a user gesture (or after one): a suspended context starts; never throws. */
export function resumeAudio(): void {
  const context = audioContext();
  if (context?.state === 'suspended') void context.resume().catch(() => undefined);
}
