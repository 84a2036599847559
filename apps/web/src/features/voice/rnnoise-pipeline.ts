import { RnnoiseWorkletNode, loadRnnoise } from '@sapphi-red/web-noise-suppressor';
import workletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url';
import wasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url';
import simdWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url';
import type { NoiseSuppressor } from './noise-suppression';

/**
 * RNNoise in an AudioWorklet: microphone -> worklet -> MediaStreamDestination.
 * This module, the worklet and the wasm are fetched only when enhanced noise
 * suppression is first turned on (noise-suppression.ts imports it
 * dynamically); the wasm and the worklet module load once per page.
 */
let loaded: WeakMap<AudioContext, Promise<ArrayBuffer>> = new WeakMap();

function load(context: AudioContext): Promise<ArrayBuffer> {
  let loading = loaded.get(context);
  if (!loading) {
    loading = Promise.all([loadRnnoise({ url: wasmUrl, simdUrl: simdWasmUrl }), context.audioWorklet.addModule(workletUrl)]).then(
      ([wasmBinary]) => wasmBinary,
    );
    // A failed load (offline, blocked) may be retried by turning the option on again.
    loading.catch(() => {
      loaded = new WeakMap();
    });
    loaded.set(context, loading);
  }
  return loading;
}

export async function openRnnoise(context: AudioContext, input: MediaStreamTrack): Promise<NoiseSuppressor> {
  const wasmBinary = await load(context);
  const source = context.createMediaStreamSource(new MediaStream([input]));
  const rnnoise = new RnnoiseWorkletNode(context, { maxChannels: 1, wasmBinary });
  const destination = context.createMediaStreamDestination();
  source.connect(rnnoise).connect(destination);
  return {
    stream: destination.stream,
    close: () => {
      for (const track of destination.stream.getTracks()) track.stop();
      source.disconnect();
      rnnoise.disconnect();
      rnnoise.destroy();
    },
  };
}
