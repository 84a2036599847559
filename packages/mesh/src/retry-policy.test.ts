import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from './retry-policy';

const delays = (policy: ReturnType<typeof exponentialBackoff>, count: number, elapsedMs = 0) =>
  Array.from({ length: count }, (_, retryCount) => policy.nextRetryDelayInMs({ retryCount, elapsedMs }));

describe('exponentialBackoff', () => {
  it('retries almost at once, then at most every second for the first 30 s', () => {
    expect(delays(exponentialBackoff(), 8)).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
    expect(delays(exponentialBackoff(), 8, 29_999).at(-1)).toBe(1000);
  });

  it('a longer outage doubles up to a 10 s cap', () => {
    expect(delays(exponentialBackoff(), 10, 30_000)).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
  });

  it('finds a server restarted after a 5 s outage within about a second', () => {
    // Worst case for the jitter: every delay as long as its base.
    const policy = exponentialBackoff({ random: () => 0 });
    let elapsedMs = 0;
    const attempts: number[] = [];
    for (let retryCount = 0; elapsedMs < 8_000; retryCount++) {
      elapsedMs += policy.nextRetryDelayInMs({ retryCount, elapsedMs }) as number;
      attempts.push(elapsedMs);
    }
    const firstAfterRestart = attempts.find((t) => t >= 5_000) as number;
    expect(firstAfterRestart - 5_000).toBeLessThanOrEqual(1_000);
  });

  it('takes up to half of each delay off as jitter, never going over the base or the cap', () => {
    const low = exponentialBackoff({ random: () => 0.999_999 });
    expect(delays(low, 3)).toEqual([50, 100, 200]);
    for (const value of [0, 0.25, 0.5, 0.75, 0.999]) {
      const policy = exponentialBackoff({ random: () => value });
      for (const [retryCount, delay] of delays(policy, 40, 60_000).entries()) {
        const base = Math.min(10_000, 100 * 2 ** retryCount);
        expect(delay).toBeGreaterThanOrEqual(base / 2);
        expect(delay).toBeLessThanOrEqual(base);
      }
    }
  });

  it('never gives up by default, however long the outage', () => {
    const policy = exponentialBackoff({ random: Math.random });
    const late = [10, 1_000, 1_000_000].map((retryCount) => policy.nextRetryDelayInMs({ retryCount, elapsedMs: 24 * 3600_000 }));
    for (const delay of late) {
      expect(delay).not.toBeNull();
      expect(delay).toBeLessThanOrEqual(10_000);
    }
  });

  it('gives up once the outage is too long when asked to', () => {
    const policy = exponentialBackoff({ maxElapsedMs: 5000 });
    expect(policy.nextRetryDelayInMs({ retryCount: 3, elapsedMs: 4999 })).toBe(800);
    expect(policy.nextRetryDelayInMs({ retryCount: 3, elapsedMs: 5000 })).toBeNull();
  });
});
