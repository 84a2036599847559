import type { Clock } from '../clock';

export type RateLimit = {
  /** Tokens added per second. */
  perS: number;
  /** Bucket size: how many may go at once after a quiet spell. */
  burst: number;
};

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export type RateLimiter = {
  /** Takes one token from `key`'s bucket, or says how long until one is there. */
  take(key: string): Take;
  /** Whether take() would succeed now, without taking anything. */
  peek(key: string): Take;
};

/** Keys whose bucket has refilled are dropped once the map holds more than this. */
const SWEEP_ABOVE = 1_000;

/**
 * A token bucket per key, each kept as a single timestamp (the GCRA form of a
 * token bucket): `emptyAt` is when the bucket would be full again, so a full
 * bucket needs no entry at all. The spec is `perS` tokens a second, `burst` at most.
 */
export function createRateLimiter(limit: RateLimit, clock: Pick<Clock, 'now'>): RateLimiter {
  const intervalMs = 1000 / limit.perS;
  const toleranceMs = (limit.burst - 1) * intervalMs;
  /** key -> the time at which its bucket is full again. */
  const fullAt = new Map<string, number>();
  // Sweep when the map has doubled since the last sweep, so that many busy keys
  // cost an occasional pass rather than a pass on every take().
  let sweepAbove = SWEEP_ABOVE;

  const sweep = (now: number): void => {
    for (const [key, at] of fullAt) if (at <= now) fullAt.delete(key);
    sweepAbove = Math.max(SWEEP_ABOVE, fullAt.size * 2);
  };

  const check = (key: string, now: number): { start: number; take: Take } => {
    const start = Math.max(fullAt.get(key) ?? now, now);
    const waitMs = start - now - toleranceMs;
    return { start, take: waitMs > 0 ? { ok: false, retryAfterMs: Math.ceil(waitMs) } : { ok: true } };
  };

  return {
    peek: (key) => check(key, clock.now()).take,
    take(key) {
      const now = clock.now();
      const { start, take } = check(key, now);
      if (!take.ok) return take;
      if (fullAt.size > sweepAbove) sweep(now);
      fullAt.set(key, start + intervalMs);
      return { ok: true };
    },
  };
}
