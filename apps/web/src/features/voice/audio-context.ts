/**
 * The page's one AudioContext, made on first use. Every meter, the
 * per-person gain stages, the test sound and the join/leave sounds share
 * it: each running context holds an output stream of its own, which on a
 * two-core machine costs about as much as one more peer.
 *
 * A context made before the page had a user gesture starts suspended;
 * `resumeAudio()` from a click or key handler starts it.
 */
let shared: AudioContext | undefined;

export function audioContext(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  shared ??= new AudioContext({ latencyHint: 'interactive' });
  return shared;
}

/** Call from a user gesture (or after one): a suspended context starts; never throws. */
export function resumeAudio(): void {
  const context = audioContext();
  if (context?.state === 'suspended') void context.resume().catch(() => undefined);
}
