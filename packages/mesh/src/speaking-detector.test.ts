import { describe, expect, it } from 'vitest';
import { SPEAKING_HOLD_MS, SpeakingDetector } from './speaking-detector';

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
});
