import type { UserId } from '@parley/protocol';
import { type AudioLevels, readAudioLevels } from './audio-levels';
import type { Clock, TimerHandle } from './environment';
import { MediaFlowDetector } from './media-flow';
import { SpeakingDetector } from './speaking-detector';

export const SPEAKING_POLL_INTERVAL_MS = 250;

export type StatsSource = { userId: UserId; getStats(): Promise<RTCStatsReport | undefined> };

export type SpeakingMonitorOptions = {
  clock: Clock;
  intervalMs?: number;
  /** The links to poll, read at every tick. */
  sources(): StatsSource[];
  selfId(): UserId | undefined;
  /** A muted participant never counts as speaking. */
  selfMuted(): boolean;
  onChange(userId: UserId, speaking: boolean): void;
  /** Inbound audio from a peer stopped (true) or resumed (false): see MediaFlowDetector. */
  onMediaStalled?(userId: UserId, stalled: boolean): void;
};

/**
 * Polls every link's stats on the injected clock. Inbound byte counts feed a
 * MediaFlowDetector per peer (a stalled path wakes the link's watchdog), and
 * audio levels become speakingChanged decisions: inbound-rtp for the peer at the other end, and
 * media-source (our microphone, the same on every link) for ourselves, taken
 * from the first link that reports it. Without any link there is no stats
 * source, so self detection needs at least one peer.
 */
export class SpeakingMonitor {
  private readonly detectors = new Map<UserId, SpeakingDetector>();
  private readonly flows = new Map<UserId, MediaFlowDetector>();
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly options: SpeakingMonitorOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops polling; participants still marked speaking are reported silent. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const [userId, detector] of this.detectors) {
      if (detector.isSpeaking) this.options.onChange(userId, false);
    }
    this.detectors.clear();
    this.flows.clear();
  }

  forget(userId: UserId): void {
    this.detectors.delete(userId);
    this.flows.delete(userId);
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick().finally(() => {
        if (this.running) this.schedule();
      });
    }, this.options.intervalMs ?? SPEAKING_POLL_INTERVAL_MS);
  }

  private async tick(): Promise<void> {
    const sources = this.options.sources();
    const results = await Promise.all(
      sources.map(async (source): Promise<[UserId, AudioLevels]> => {
        const report = await source.getStats();
        return [source.userId, report ? readAudioLevels(report) : {}];
      }),
    );
    if (!this.running) return;
    const nowMs = this.options.clock.now();
    let selfLevel: number | undefined;
    for (const [userId, levels] of results) {
      if (levels.inboundBytes !== undefined) this.feedFlow(userId, levels.inboundBytes, nowMs);
      if (levels.inbound !== undefined) this.feed(userId, levels.inbound, nowMs);
      selfLevel ??= levels.local;
    }
    const selfId = this.options.selfId();
    if (selfId !== undefined && selfLevel !== undefined) {
      this.feed(selfId, this.options.selfMuted() ? 0 : selfLevel, nowMs);
    }
  }

  private feedFlow(userId: UserId, inboundBytes: number, nowMs: number): void {
    let flow = this.flows.get(userId);
    if (!flow) {
      flow = new MediaFlowDetector();
      this.flows.set(userId, flow);
    }
    if (flow.update(inboundBytes, nowMs)) this.options.onMediaStalled?.(userId, flow.isStalled);
  }

  private feed(userId: UserId, level: number, nowMs: number): void {
    let detector = this.detectors.get(userId);
    if (!detector) {
      detector = new SpeakingDetector();
      this.detectors.set(userId, detector);
    }
    if (detector.update(level, nowMs)) this.options.onChange(userId, detector.isSpeaking);
  }
}
