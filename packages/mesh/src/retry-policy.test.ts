import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from './retry-policy';

describe('exponentialBackoff', () => {
  it('doubles the delay up to the cap', () => {
    const policy = exponentialBackoff({ initialDelayMs: 100, maxDelayMs: 1000 });
    const delays = [0, 1, 2, 3, 4, 5].map((retryCount) => policy.nextRetryDelayInMs({ retryCount, elapsedMs: 0 }));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('adds up to half again as jitter', () => {
    const policy = exponentialBackoff({ initialDelayMs: 100, random: () => 0.999 });
    expect(policy.nextRetryDelayInMs({ retryCount: 0, elapsedMs: 0 })).toBe(150);
  });

  it('gives up once the outage is too long', () => {
    const policy = exponentialBackoff({ maxElapsedMs: 5000 });
    expect(policy.nextRetryDelayInMs({ retryCount: 3, elapsedMs: 5000 })).toBeNull();
  });
});
