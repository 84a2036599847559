import { useEffect, useState } from 'react';
import { openTrackLevel } from './track-level';

/** Readings per second: smooth to the eye, and a fraction of what animation frames would cost. */
const READINGS_PER_SECOND = 15;

export type TrackLevelOptions = {
  /**
   * How often to read (default 15). Every reading that moves the bar costs the
   * page a frame; a meter that stays on screen all call long can take fewer.
   */
  readingsPerSecond?: number;
};

/**
 * The live level of `track` in [0, 1] for a component to draw, read from
 * Web Audio about 15 times a second (or `readingsPerSecond`); 0 without a track. Renders only when
 * the level moved by a visible step.
 */
export function useTrackLevel(track: MediaStreamTrack | null | undefined, options: TrackLevelOptions = {}): number {
  const readingsPerSecond = options.readingsPerSecond ?? READINGS_PER_SECOND;
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!track) {
      setLevel(0);
      return;
    }
    const meter = openTrackLevel(track);
    if (!meter) return;
    const timer = setInterval(() => {
      const next = Math.round(meter.read() * 50) / 50;
      setLevel((previous) => (previous === next ? previous : next));
    }, 1000 / readingsPerSecond);
    return () => {
      clearInterval(timer);
      meter.close();
      setLevel(0);
    };
  }, [track, readingsPerSecond]);
  return level;
}
