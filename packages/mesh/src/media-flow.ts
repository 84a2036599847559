/**
 * Notices a dead media path before ICE does. Audio never pauses on a live
 * link: a muted or silent sender still sends packets, every 20 ms while it
 * talks and, with Opus DTX (opus-voice.ts), a comfort-noise packet every
 * 400 ms while it is silent, so inbound bytes that stop growing for
 * `stallAfterMs` mean the path broke (a TURN
 * server died, a NAT binding expired). Chromium takes several seconds longer
 * to call such a pair `disconnected`. Only a link that has flowed can stall.
 *
 * Time alone is not enough: on a starved page (six people joining on two
 * busy cores) the samples themselves come a second or more apart, and one
 * late sample that saw no growth says nothing about the path; acted on, it
 * meant an ICE restart, and then a rebuild, for a path that was fine
 * (seen in the mesh-formation benchmark). So a stall also takes
 * `stillSamples` samples in a row without growth: on time, 250 ms apart,
 * three are in within the second anyway, so a dead path is still called
 * after one second; late, it waits for the page to look again.
 */
export class MediaFlowDetector {
  private lastBytes = 0;
  private lastGrowthAtMs = 0;
  private flowed = false;
  private stalled = false;
  /** Samples in a row that saw no growth. */
  private stillCount = 0;

  constructor(
    private readonly stallAfterMs = 1_000,
    private readonly stillSamples = 3,
  ) {}

  get isStalled(): boolean {
    return this.stalled;
  }

  /**
   * Feeds a flow counter (bytes received, or the time of the last packet);
   * returns true when `isStalled` changed, and when audio first flows (then
   * `isStalled` is false: the link is heard to work).
   */
  update(inboundBytes: number, nowMs: number): boolean {
    if (inboundBytes > this.lastBytes || !this.flowed) {
      const grew = inboundBytes > this.lastBytes;
      this.lastBytes = inboundBytes;
      if (!grew) return false;
      this.lastGrowthAtMs = nowMs;
      this.stillCount = 0;
      const first = !this.flowed;
      this.flowed = true;
      if (!this.stalled) return first;
      this.stalled = false;
      return true;
    }
    if (inboundBytes < this.lastBytes) {
      // A rebuilt connection counts from zero again.
      this.lastBytes = inboundBytes;
      this.lastGrowthAtMs = nowMs;
      this.stillCount = 0;
      return false;
    }
    this.stillCount++;
    if (this.stalled || nowMs - this.lastGrowthAtMs < this.stallAfterMs || this.stillCount < this.stillSamples) return false;
    this.stalled = true;
    return true;
  }
}
