import { describe, expect, it } from 'vitest';
import { SPEAKING_HOLD_MS, SpeakingDetector } from './speaking-detector';

/** Samples (level, ms) fed in order; the speaking state after each. */
function run(samples: ReadonlyArray<readonly [number, number]>): boolean[] {
  const detector = new SpeakingDetector();
  return samples.map(([level, at]) => {
    detector.update(level, at);
    return detector.isSpeaking;
  });
}

describe('SpeakingDetector', () => {
  it('turns on at the first loud sample', () => {
    const detector = new SpeakingDetector();
    expect(detector.update(0.01, 0)).toBe(false);
    expect(detector.update(0.2, 250)).toBe(true);
    expect(detector.isSpeaking).toBe(true);
    expect(detector.update(0.3, 500)).toBe(false);
  });

  it('stays on through short pauses and turns off after the hold time', () => {
    const detector = new SpeakingDetector();
    detector.update(0.2, 0);
    expect(detector.update(0, 250)).toBe(false);
    expect(detector.update(0, SPEAKING_HOLD_MS - 1)).toBe(false);
    expect(detector.isSpeaking).toBe(true);
    expect(detector.update(0, SPEAKING_HOLD_MS)).toBe(true);
    expect(detector.isSpeaking).toBe(false);
  });

  it('restarts the hold time with every loud sample', () => {
    const detector = new SpeakingDetector();
    detector.update(0.2, 0);
    detector.update(0.2, 500);
    expect(detector.update(0, 1000)).toBe(false);
    expect(detector.update(0, 1100)).toBe(true);
  });

  it.each([
    ['a starved page: one quiet sample a second after a loud one is not silence yet', [[0.3, 0], [0, 1000]], [true, true]],
    ['a starved page: two quiet samples in a row past the hold are', [[0.3, 0], [0, 1000], [0, 2000]], [true, true, false]],
    ['a loud sample in between starts the count again', [[0.3, 0], [0, 1000], [0.3, 2000], [0, 3000]], [true, true, true, true]],
    ['at the usual 250 ms the hold time decides, as before', [[0.3, 0], [0, 250], [0, 500], [0, 750]], [true, true, true, false]],
  ] as const)('%s', (_, samples, expected) => {
    expect(run(samples)).toEqual(expected);
  });
});
