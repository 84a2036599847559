import { describe, expect, it } from 'vitest';
import { SignalingRtt } from './signaling-rtt';

describe('SignalingRtt', () => {
  it('knows nothing before the first sample', () => {
    expect(new SignalingRtt().timeoutMs).toBeUndefined();
  });

  it('starts at three times the first sample, as TCP does', () => {
    const rtt = new SignalingRtt();
    rtt.sample(300);
    expect(rtt.smoothedMs).toBe(300);
    expect(rtt.timeoutMs).toBe(900);
  });

  it('settles near a steady round trip', () => {
    const rtt = new SignalingRtt();
    for (let i = 0; i < 50; i++) rtt.sample(100);
    expect(rtt.smoothedMs).toBeCloseTo(100);
    expect(rtt.timeoutMs).toBe(200); // the floor: srtt + 4 * (almost no variance)
  });

  it('grows quickly when the machine gets busy, and comes back down', () => {
    const rtt = new SignalingRtt();
    for (let i = 0; i < 10; i++) rtt.sample(50);
    const idle = rtt.timeoutMs ?? 0;
    for (let i = 0; i < 3; i++) rtt.sample(3000);
    const busy = rtt.timeoutMs ?? 0;
    expect(busy).toBeGreaterThan(3000);
    for (let i = 0; i < 60; i++) rtt.sample(50);
    expect(rtt.timeoutMs).toBeLessThan(busy / 5);
    expect(idle).toBe(200);
  });

  it('is clamped and ignores nonsense', () => {
    const rtt = new SignalingRtt();
    rtt.sample(Number.NaN);
    rtt.sample(-5);
    expect(rtt.timeoutMs).toBeUndefined();
    rtt.sample(60_000);
    expect(rtt.timeoutMs).toBe(10_000);
  });
});
