/** AudioContext's sinkId option (Chromium 110+), missing from older DOM typings. */
type SinklessOptions = AudioContextOptions & { sinkId?: { type: 'none' } };

/**
 * A new AudioContext that plays to no device (`sinkId: { type: 'none' }`)
 * where the browser can make one, an ordinary one elsewhere: see
 * audio-context.ts for why the page's contexts have no device of their own.
 */
export function newSinklessContext(options: AudioContextOptions): AudioContext {
  const sinkless: SinklessOptions = { ...options };
  if ('setSinkId' in AudioContext.prototype) sinkless.sinkId = { type: 'none' };
  return new AudioContext(sinkless);
}
