import { meterContext } from './meter-context';

/** How much of the signal a reading looks at: longer than one Opus frame (20 ms). */
const WINDOW_SECONDS = 0.04;

export type TrackLevel = {
  /** Peak in [0, 1] over the latest window; 0 while the page's audio cannot run. */
  read(): number;
  close(): void;
};

/**
 * A Web Audio level reading on one microphone track, on the meters' context
 * (meter-context.ts): the track feeds an AnalyserNode connected to nothing
 * else, so nothing is played. The peak is on the same linear scale as
 * WebRTC stats' audioLevel.
 */
export function openTrackLevel(track: MediaStreamTrack): TrackLevel | undefined {
  const context = meterContext();
  if (!context) return undefined;
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = windowFor(context.sampleRate);
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  return {
    read: () => {
      if (context.state !== 'running') return 0;
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
      return Math.min(1, peak);
    },
    close: () => {
      source.disconnect();
      analyser.disconnect();
    },
  };
}

/** The analyser's window (a power of two, as it requires) closest above WINDOW_SECONDS at `sampleRate`. */
export function windowFor(sampleRate: number): number {
  const wanted = Math.max(32, Math.ceil(sampleRate * WINDOW_SECONDS));
  return Math.min(32_768, 2 ** Math.ceil(Math.log2(wanted)));
}
