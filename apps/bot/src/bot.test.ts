import { describe, expect, it } from 'vitest';
import { FIRST_CONTACT_MS, firstContactPolicy } from './bot';

describe('firstContactPolicy', () => {
  it('gives up on a server that never answered, after FIRST_CONTACT_MS', () => {
    const policy = firstContactPolicy(() => false, () => 0);
    expect(policy.nextRetryDelayInMs({ retryCount: 0, elapsedMs: 0 })).toBe(100);
    expect(policy.nextRetryDelayInMs({ retryCount: 5, elapsedMs: FIRST_CONTACT_MS - 1 })).toBe(1000);
    expect(policy.nextRetryDelayInMs({ retryCount: 6, elapsedMs: FIRST_CONTACT_MS })).toBeNull();
  });

  it('never gives up once the server has welcomed the bot', () => {
    let welcomed = false;
    const policy = firstContactPolicy(() => welcomed, () => 0);
    welcomed = true;
    expect(policy.nextRetryDelayInMs({ retryCount: 50, elapsedMs: 3_600_000 })).toBe(10_000);
  });
});
