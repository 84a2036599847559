import { audioContext } from './audio-context';

/** Samples per reading: about 40 ms at 48 kHz, longer than one Opus frame. */
const WINDOW = 2048;

export type TrackLevel = {
  /** Peak in [0, 1] over the latest window; 0 while the page's audio cannot run. */
  read(): number;
  close(): void;
};

/**
 * A Web Audio level reading on one microphone track: the track feeds an
 * AnalyserNode connected to nothing else, so nothing is played. The peak
 * is on the same linear scale as WebRTC stats' audioLevel.
 */
export function openTrackLevel(track: MediaStreamTrack): TrackLevel | undefined {
  const context = audioContext();
  if (!context) return undefined;
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = WINDOW;
  source.connect(analyser);
  const samples = new Float32Array(WINDOW);
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
