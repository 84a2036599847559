import { describe, expect, it } from 'vitest';
import { createBadFrameLimiter } from './bad-frame-limiter';

function fakeNow(start = 1_000) {
  let now = start;
  return { clock: { now: () => now }, advance: (ms: number) => (now += ms) };
}

describe('bad frame limiter', () => {
  it('allows up to max bad frames in the window and trips on the next', () => {
    const { clock } = fakeNow();
    const limiter = createBadFrameLimiter({ max: 3, windowMs: 1_000 }, clock);
    expect([limiter.record(), limiter.record(), limiter.record(), limiter.record()]).toEqual([false, false, false, true]);
  });

  it('forgets bad frames older than the window', () => {
    const { clock, advance } = fakeNow();
    const limiter = createBadFrameLimiter({ max: 2, windowMs: 1_000 }, clock);
    limiter.record();
    limiter.record();
    advance(1_000);
    expect(limiter.record()).toBe(false);
    advance(500);
    expect(limiter.record()).toBe(false);
    expect(limiter.record()).toBe(true);
  });
});
