import { describe, expect, it } from 'vitest';
import { windowFor } from './track-level';

describe("a level reading's window", () => {
  it.each([
    [48_000, 2048],
    [16_000, 1024],
    [8_000, 512],
    [3_000, 128],
  ])('at %i Hz is %i samples, at least 40 ms', (rate, samples) => {
    expect(windowFor(rate)).toBe(samples);
    expect(samples / rate).toBeGreaterThanOrEqual(0.04);
  });
});
