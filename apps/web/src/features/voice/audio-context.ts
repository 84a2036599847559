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

/** Call from a user gesture (or after one): a suspended context starts; never throws. */
export function resumeAudio(): void {
  const context = audioContext();
  if (context?.state === 'suspended') void context.resume().catch(() => undefined);
}
