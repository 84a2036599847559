export const SPEAKING_ON_LEVEL = 0.05;
export const SPEAKING_HOLD_MS = 600;

/**
 * Voice activity with hysteresis for one participant: speaking as soon as
 * one sample is above the threshold, silent only after `holdMs` below it, so
 * the indicator does not flicker between words.
 */
export class SpeakingDetector {
  private speaking = false;
  private lastLoudAtMs = Number.NEGATIVE_INFINITY;

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
      if (this.speaking) return false;
      this.speaking = true;
      return true;
    }
    if (!this.speaking || nowMs - this.lastLoudAtMs < this.holdMs) return false;
    this.speaking = false;
    return true;
  }
}
