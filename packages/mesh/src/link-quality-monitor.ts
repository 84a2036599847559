import type { UserId } from '@parley/protocol';
import type { Clock, TimerHandle } from './environment';
import { deriveLinkQuality, readLinkStats, type LinkQuality, type LinkStatsSnapshot, type StatsReportLike } from './link-quality';

/** One getStats per connected link this often while someone can see the page. */
export const QUALITY_INTERVAL_MS = 2000;
/** In a hidden tab nobody reads the indicator; keep the numbers roughly fresh for when they come back. */
export const HIDDEN_QUALITY_INTERVAL_MS = 10_000;

export type QualitySource = { userId: UserId; getStats(): Promise<StatsReportLike | undefined> };

export type LinkQualityMonitorOptions = {
  clock: Clock;
  /** Read before every pass, so it can follow page visibility. */
  hidden?(): boolean;
  /**
   * Whether another link is forming now: the pass is skipped. Each getStats
   * is work for the browser's WebRTC threads, which the forming link's ICE
   * and DTLS wait for (see connectedLinksRest); nobody reads a connection
   * indicator to the second while someone joins.
   */
  forming?(): boolean;
  /** The links worth a look (connected ones), read at every pass. */
  sources(): QualitySource[];
  onQuality(userId: UserId, quality: LinkQuality): void;
};

/**
 * A slow pass over the links for the connection indicator: one getStats
 * each, every two seconds (ten in a hidden tab), none while a link forms.
 * Deliberately apart from the speaking monitor, which looks four times a
 * second and avoids getStats where it can: quality needs whole reports, and
 * a person reads it at the pace of seconds.
 */
export class LinkQualityMonitor {
  private readonly previous = new Map<UserId, LinkStatsSnapshot>();
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly options: LinkQualityMonitorOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.previous.clear();
  }

  /** The link is gone or rebuilt: its counters start again. */
  forget(userId: UserId): void {
    this.previous.delete(userId);
  }

  private schedule(): void {
    const intervalMs = this.options.hidden?.() ? HIDDEN_QUALITY_INTERVAL_MS : QUALITY_INTERVAL_MS;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.pass().finally(() => {
        if (this.running) this.schedule();
      });
    }, intervalMs);
  }

  private async pass(): Promise<void> {
    if (this.options.forming?.()) return;
    const sources = this.options.sources();
    const reports = await Promise.all(sources.map((source) => source.getStats().catch(() => undefined)));
    if (!this.running) return;
    const atMs = this.options.clock.now();
    sources.forEach((source, i) => {
      const report = reports[i];
      if (!report) return;
      const snapshot = readLinkStats(report, atMs);
      const quality = deriveLinkQuality(this.previous.get(source.userId), snapshot);
      this.previous.set(source.userId, snapshot);
      this.options.onQuality(source.userId, quality);
    });
  }
}
