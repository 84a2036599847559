/**
 * How a level meter moves, as hardware meters do: up at once to a new peak,
 * held there for `holdMs`, then straight down to the level of the moment, in
 * steps of 1/`steps`. A meter that follows every reading redraws the page at
 * every reading all call long (a frame each, composited in software on a
 * machine without a GPU); held peaks and coarse steps keep a steady voice, or
 * a tone with short gaps, on one drawing, and the meter still answers the
 * first syllable at once.
 */
export type MeterBallistics = {
  /** The level to show for `level` (in [0, 1]) read at `nowMs`. */
  next(level: number, nowMs: number): number;
};

export type BallisticsOptions = { steps: number; holdMs: number };

/** The meters' default: twenty steps, a peak held for a third of a second. */
export const METER_BALLISTICS: BallisticsOptions = { steps: 20, holdMs: 350 };

export function meterBallistics({ steps, holdMs }: BallisticsOptions = METER_BALLISTICS): MeterBallistics {
  let shown = 0;
  let peakAtMs = Number.NEGATIVE_INFINITY;
  return {
    next(level, nowMs) {
      const stepped = Math.round(Math.min(1, Math.max(0, level)) * steps) / steps;
      if (stepped >= shown) {
        shown = stepped;
        peakAtMs = nowMs;
      } else if (nowMs - peakAtMs >= holdMs) {
        shown = stepped;
        peakAtMs = nowMs;
      }
      return shown;
    },
  };
}
