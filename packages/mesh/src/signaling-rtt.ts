/**
 * How long a signaling round trip takes right now: from sending an offer to
 * applying its answer (the server, the peer's page and back), or from
 * `room.join` to `room.joined`. On a busy machine this grows from tens of
 * milliseconds to seconds, and the watchdog's patience must grow with it.
 *
 * Smoothed the way TCP times its retransmissions (RFC 6298): `srtt` and
 * `rttvar` follow the samples, and the timeout is `srtt + 4 * rttvar`,
 * clamped. Only samples of exchanges that were not resent count (Karn's
 * rule), which the callers see to.
 */
export class SignalingRtt {
  private srttMs: number | undefined;
  private rttvarMs = 0;

  constructor(
    private readonly minRtoMs = 200,
    private readonly maxRtoMs = 10_000,
  ) {}

  sample(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return;
    if (this.srttMs === undefined) {
      this.srttMs = rttMs;
      this.rttvarMs = rttMs / 2;
      return;
    }
    this.rttvarMs = 0.75 * this.rttvarMs + 0.25 * Math.abs(this.srttMs - rttMs);
    this.srttMs = 0.875 * this.srttMs + 0.125 * rttMs;
  }

  /** The smoothed round trip; undefined before the first sample. */
  get smoothedMs(): number | undefined {
    return this.srttMs;
  }

  /** How long to wait for an answer before calling it late; undefined before the first sample. */
  get timeoutMs(): number | undefined {
    if (this.srttMs === undefined) return undefined;
    return Math.min(this.maxRtoMs, Math.max(this.minRtoMs, this.srttMs + 4 * this.rttvarMs));
  }
}
