import { describe, expect, it } from 'vitest';
import { meterBallistics } from './meter-ballistics';

/** Feeds readings [atMs, level] to a fresh meter (a level of 'rest' rests it); returns what it shows after each. */
function shown(readings: [number, number | 'rest'][]): number[] {
  const meter = meterBallistics();
  return readings.map(([atMs, level]) => (level === 'rest' ? meter.rest() : meter.next(level, atMs)));
}

describe('meterBallistics', () => {
  it.each([
    { case: 'rises at once to a new peak', readings: [[0, 0], [125, 0.6]], expected: [0, 0.6] },
    { case: 'moves in steps of 1/20', readings: [[0, 0.61], [125, 0.63]], expected: [0.6, 0.65] },
    { case: 'holds a peak through a short gap', readings: [[0, 0.5], [125, 0], [250, 0.02]], expected: [0.5, 0.5, 0.5] },
    { case: 'falls to the level of the moment once the hold is over', readings: [[0, 0.5], [125, 0], [375, 0.2]], expected: [0.5, 0.5, 0.2] },
    { case: 'a new peak restarts the hold', readings: [[0, 0.5], [300, 0.5], [500, 0.1], [650, 0.1]], expected: [0.5, 0.5, 0.5, 0.1] },
    { case: 'clamps what it is given to [0, 1]', readings: [[0, 1.7], [400, -0.2]], expected: [1, 0] },
    { case: 'rests at 0 at once, within the hold, and rises from there', readings: [[0, 0.5], [125, 'rest'], [250, 0.3]], expected: [0.5, 0, 0.3] },
  ] as { case: string; readings: [number, number | 'rest'][]; expected: number[] }[])('$case', ({ readings, expected }) => {
    expect(shown(readings)).toEqual(expected);
  });

  it('keeps the test microphone (a tone 100 ms on, 100 ms off) on one drawing when read eight times a second', () => {
    const readings: [number, number][] = [];
    for (let atMs = 0; atMs < 5_000; atMs += 125) readings.push([atMs, Math.floor(atMs / 100) % 2 === 0 ? 0.5 : 0]);
    const drawn = shown(readings);
    const changes = drawn.filter((level, i) => i > 0 && level !== drawn[i - 1]).length;
    expect(changes).toBe(0);
  });
});
