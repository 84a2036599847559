import { useEffect, type RefObject } from 'react';
import { drawMeter } from '../../components/level-meter';
import { meterBallistics } from './meter-ballistics';
import { openTrackLevel } from './track-level';

/** Readings per second: smooth to the eye, and a fraction of what animation frames would cost. */
const READINGS_PER_SECOND = 15;

/**
 * Draws the live level of `track` on the LevelMeter behind `meter`, read from
 * Web Audio `readingsPerSecond` times a second (default 15), straight into
 * the element: no state, so no render of the component around it. As React
 * state, every reading re-rendered the whole device check on the join form,
 * while Join's first offers waited for the same main thread, and the in-room
 * meter cost a render eight times a second all call long. The meter moves
 * as meterBallistics says (up at once, peaks held, coarse steps), and only a
 * change touches the element: every change is a frame the page draws. Without
 * a track the meter rests at 0.
 *
 * `still()`, asked at every reading, rests the meter at 0 for as long as it
 * says so (the in-room meter: while a link forms), at once rather than after
 * a held peak. Asked there rather than
 * passed in as state, it takes effect the moment the store changes, not when
 * React next renders (engine changes render in the background).
 */
export function useLiveLevel(
  meter: RefObject<HTMLElement | null>,
  track: MediaStreamTrack | null | undefined,
  readingsPerSecond = READINGS_PER_SECOND,
  still?: () => boolean,
): void {
  useEffect(() => {
    const element = meter.current;
    if (!element || !track) return;
    const reading = openTrackLevel(track);
    if (!reading) return;
    const ballistics = meterBallistics();
    let shown = 0;
    const timer = setInterval(() => {
      const next = still?.() ? ballistics.rest() : ballistics.next(reading.read(), performance.now());
      if (next === shown) return;
      shown = next;
      drawMeter(element, next);
    }, 1000 / readingsPerSecond);
    return () => {
      clearInterval(timer);
      reading.close();
      drawMeter(element, 0);
    };
  }, [meter, track, readingsPerSecond, still]);
}
