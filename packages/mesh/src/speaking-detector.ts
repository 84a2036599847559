export const SPEAKING_ON_LEVEL = 0.05;
export const SPEAKING_HOLD_MS = 600;

/** Quiet samples in a row that it takes to call someone silent, however long ago the last loud one was. */
export const SPEAKING_QUIET_SAMPLES = 2;

/**
 * Voice activity with hysteresis for one participant: speaking as soon as
 * one sample is above the threshold, silent only after `holdMs` below it, so
 * the indicator does not flicker between words. Each sample is one instant
 * of the voice; on a starved page they come a second or more apart, and one
 * quiet instant after such a gap says little (a pause between two syllables),
 * so it also takes SPEAKING_QUIET_SAMPLES quiet samples in a row. Without
 * that, a six-person room on a busy two-core machine flickered every
 * speaking ring about once a second, each flicker a render and a repaint on
 * the pages that could least afford one.
 */
export class SpeakingDetector {
  private speaking = false;
  private lastLoudAtMs = Number.NEGATIVE_INFINITY;
  private quietSamples = 0;

  constructor(
    private readonly onLevel = SPEAKING_ON_LEVEL,
    private readonly holdMs = SPEAKING_HOLD_MS,
  ) {}

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Feed one audio level sample in [0, 1]; returns true when `isSpeaking` changed. */
  update(level: number, nowMs: number): boolean {
    if (level > this.onLevel) {
      this.lastLoudAtMs = nowMs;
      this.quietSamples = 0;
      if (this.speaking) return false;
      this.speaking = true;
      return true;
    }
    this.quietSamples++;
    if (!this.speaking || nowMs - this.lastLoudAtMs < this.holdMs || this.quietSamples < SPEAKING_QUIET_SAMPLES) return false;
    this.speaking = false;
    return true;
  }
}
