import { audioContext, holdRunning, untilRunning } from './audio-context';

/** A processed copy of a microphone track, as a stream of one track; the input track stays the caller's. */
export type NoiseSuppressor = { stream: MediaStream; close(): void };

/**
 * The microphone track with RNNoise applied, on the page's
 * AudioContext. The RNNoise code (worklet and wasm, about 130 kB gzipped)
 * is imported here, on first use, so it is not part of the initial bundle.
 * Resolves once the context runs: a track from a suspended context carries
 * silence, so until then the caller keeps sending the unprocessed track.
 */
export async function suppressNoise(input: MediaStreamTrack): Promise<NoiseSuppressor> {
  const context = audioContext();
  if (!context) throw new Error('Web Audio is not available');
  const { openRnnoise } = await import('./rnnoise-pipeline');
  const suppressor = await openRnnoise(context, input);
  // What we send passes through the context: it runs as long as this does (audio-context.ts).
  const release = holdRunning();
  await untilRunning(context);
  return {
    stream: suppressor.stream,
    close: () => {
      release();
      suppressor.close();
    },
  };
}
