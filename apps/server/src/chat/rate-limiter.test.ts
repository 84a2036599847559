import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createRateLimiter } from './rate-limiter';

function takeMany(limiter: ReturnType<typeof createRateLimiter>, key: string, count: number): boolean[] {
  return Array.from({ length: count }, () => limiter.take(key).ok);
}

describe('createRateLimiter', () => {
  it('lets a burst through at once, then refuses with the wait until the next token', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ perS: 5, burst: 10 }, clock);
    expect(takeMany(limiter, 'ada', 10)).toEqual(Array(10).fill(true));
    expect(limiter.take('ada')).toEqual({ ok: false, retryAfterMs: 200 });
    clock.advance(199);
    expect(limiter.take('ada')).toEqual({ ok: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(limiter.take('ada')).toEqual({ ok: true });
    expect(limiter.take('ada').ok).toBe(false);
  });

  it('sustains the rate: 5 a second for ever after the burst', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ perS: 5, burst: 10 }, clock);
    takeMany(limiter, 'ada', 10);
    let accepted = 0;
    for (let ms = 0; ms < 10_000; ms += 50) {
      clock.advance(50);
      if (limiter.take('ada').ok) accepted++;
    }
    expect(accepted).toBe(50);
  });

  it('refills the whole burst after a quiet spell', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ perS: 5, burst: 10 }, clock);
    takeMany(limiter, 'ada', 10);
    clock.advance(2_000);
    expect(takeMany(limiter, 'ada', 11)).toEqual([...Array(10).fill(true), false]);
  });

  it('keeps one bucket per key', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ perS: 1, burst: 1 }, clock);
    expect(limiter.take('ada').ok).toBe(true);
    expect(limiter.take('bob').ok).toBe(true);
    expect(limiter.take('ada')).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('rounds a fractional wait up, so retrying after it always succeeds', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ perS: 3, burst: 1 }, clock);
    for (let i = 0; i < 20; i++) {
      expect(limiter.take('ada').ok).toBe(true);
      const refused = limiter.take('ada');
      expect(refused.ok).toBe(false);
      if (!refused.ok) clock.advance(refused.retryAfterMs);
    }
  });
});
