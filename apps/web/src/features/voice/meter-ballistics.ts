/** Steps a meter moves in: 1/20 of its range. */
const STEPS = 20;
/** How long a peak stays on the meter before it falls. */
const HOLD_MS = 350;

/**
 * How a level meter moves, as hardware meters do: up at once to a new peak,
 * held there for HOLD_MS, then straight down to the level of the moment, in
 * steps of 1/STEPS. A meter that follows every reading redraws the page at
 * every reading all call long (a frame each, composited in software on a
 * machine without a GPU); held peaks and coarse steps keep a steady voice, or
 * a tone with short gaps, on one drawing, and the meter still answers the
 * first syllable at once.
 */
export type MeterBallistics = {
  /** The level to show for `level` (in [0, 1]) read at `nowMs`. */
  next(level: number, nowMs: number): number;
  /** Rests the meter at 0 now, peak and hold forgotten; returns 0. */
  rest(): number;
};

export function meterBallistics(): MeterBallistics {
  let shown = 0;
  let peakAtMs = Number.NEGATIVE_INFINITY;
  return {
    next(level, nowMs) {
      const stepped = Math.round(Math.min(1, Math.max(0, level)) * STEPS) / STEPS;
      if (stepped >= shown || nowMs - peakAtMs >= HOLD_MS) {
        shown = stepped;
        peakAtMs = nowMs;
      }
      return shown;
    },
    rest() {
      shown = 0;
      peakAtMs = Number.NEGATIVE_INFINITY;
      return 0;
    },
  };
}
