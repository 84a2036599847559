import type { Clock } from '../clock';

export type RateLimit = {
  /** Tokens added per second. */
  perS: number;
  /** Bucket size: how many may go at once after a quiet spell. */
  burst: number;
};

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export type RateLimiter = {
  /** Takes `cost` tokens (default 1) from `key`'s bucket, or says how long until they are there. */
  take(key: string, cost?: number): Take;
  /** Whether take() would succeed now, without taking anything. */
  peek(key: string, cost?: number): Take;
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

  // A take of `cost` tokens is `cost` single takes at once: it fits when the bucket holds that many.
  const check = (key: string, now: number, cost: number): { start: number; take: Take } => {
    const start = Math.max(fullAt.get(key) ?? now, now);
    const waitMs = start + (cost - 1) * intervalMs - now - toleranceMs;
    return { start, take: waitMs > 0 ? { ok: false, retryAfterMs: Math.ceil(waitMs) } : { ok: true } };
  };

  return {
    peek: (key, cost = 1) => check(key, clock.now(), cost).take,
    take(key, cost = 1) {
      const now = clock.now();
      const { start, take } = check(key, now, cost);
      if (!take.ok) return take;
      if (fullAt.size > sweepAbove) sweep(now);
      fullAt.set(key, start + cost * intervalMs);
      return { ok: true };
    },
  };
}
