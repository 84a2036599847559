import type { Clock } from '../clock';

/**
 * Counts invalid frames in a sliding window. `record()` returns true when this
 * frame takes the socket past the limit, i.e. when the socket should be closed.
 */
export function createBadFrameLimiter(limit: { max: number; windowMs: number }, clock: Pick<Clock, 'now'>) {
  const times: number[] = [];
  return {
    record(): boolean {
      const now = clock.now();
      times.push(now);
      while (times.length > 0 && (times[0] ?? now) <= now - limit.windowMs) times.shift();
      return times.length > limit.max;
    },
  };
}
