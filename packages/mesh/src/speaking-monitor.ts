import type { UserId } from '@parley/protocol';
import type { Clock, TimerHandle } from './environment';
import type { LinkState } from './events';
import { MediaFlowDetector } from './media-flow';
import { SpeakingDetector } from './speaking-detector';

export const SPEAKING_POLL_INTERVAL_MS = 250;
/** While nobody can see the page (a hidden tab) levels matter less; stall detection still runs. */
export const HIDDEN_POLL_INTERVAL_MS = 1000;
/** While a link is being formed, the page's main thread belongs to the negotiation. */
export const FORMING_POLL_INTERVAL_MS = 1000;

/**
 * How often to look at the links. Every look reads each connected link's
 * receiver (a blocking call into the browser, milliseconds on a busy page),
 * so it slows down when nobody can see the levels (a hidden tab, a headless
 * participant) and while someone joins: then the offers, answers and
 * candidates waiting behind those reads are what people wait for (a trial on
 * two cores: a sixth joiner into five formed in 2.6-3.0 s with looks a second
 * apart, 3.3-7.1 s with looks every 250 ms). Stall detection still runs; a
 * dead path is called after three quiet looks instead of after one second.
 */
export function observationIntervalMs(situation: { visibleMs: number; hidden: boolean; linkForming: boolean }): number {
  const { visibleMs, hidden, linkForming } = situation;
  if (hidden) return Math.max(visibleMs, HIDDEN_POLL_INTERVAL_MS);
  if (linkForming) return Math.max(visibleMs, FORMING_POLL_INTERVAL_MS);
  return visibleMs;
}

/** At most this share of the page's time may go to the looks' blocking reads. */
export const MAX_BLOCKED_SHARE = 0.1;
/** However costly the reads, a look at least this often: stall detection must still decide. */
export const MAX_PACED_INTERVAL_MS = 2000;

/**
 * The wait before the next look, given how long the last one held the page
 * (`blockedMs`: the synchronous part of its reads). A receiver's RTP sources
 * are read with a blocking call to the browser's WebRTC worker thread; on an
 * idle page it returns in well under a millisecond, but on a starved one the
 * thread it waits for is starved too. Measured in a steady call of six on two
 * busy cores: each read held the page 35-60 ms on average and up to 370 ms,
 * and every page spent 20-35 % of its time waiting in them, ahead of its
 * signaling, its rendering and its input. So a look costing more than
 * MAX_BLOCKED_SHARE of the time until the next is followed by a longer wait
 * (capped at MAX_PACED_INTERVAL_MS), and looks return to the usual interval
 * as soon as reads are cheap again.
 */
export function pacedIntervalMs(intervalMs: number, blockedMs: number): number {
  return Math.max(intervalMs, Math.min(MAX_PACED_INTERVAL_MS, blockedMs / MAX_BLOCKED_SHARE));
}

/** How long a forming link may keep the connected ones from being sampled. */
export const UNSAMPLED_WHILE_FORMING_MAX_MS = 5_000;

/**
 * Whether to sample a link on this tick, given how long some link has been
 * forming (undefined: none is). A sample reads the receiver's RTP sources,
 * a synchronous call that waits for the browser's WebRTC worker thread, and
 * while a link forms that thread is busy with its ICE and DTLS: profiled on
 * an existing member while a sixth person joined five on two cores, one such
 * read blocked the page for 300 ms, and the joiner's answer sat unread for
 * 600 ms behind those reads. So connected links wait while another link forms
 * (for UNSAMPLED_WHILE_FORMING_MAX_MS at most: a link that never connects
 * must not blind stall detection for long); a `disconnected` link is always
 * sampled, since telling it recovered depends on that; a link that never
 * connected has no audio to look at.
 */
export function shouldSample(linkState: LinkState, formingForMs: number | undefined): boolean {
  if (linkState === 'disconnected') return true;
  if (linkState !== 'connected') return false;
  return !connectedLinksRest(formingForMs);
}

/**
 * Whether the links that are up are left alone now (no sampling, no stats):
 * another link has been forming for less than UNSAMPLED_WHILE_FORMING_MAX_MS.
 * Leaving them alone 2 s longer, after the last forming link connected (its
 * first packets come then, and the looks' first pass with them), was no
 * faster: settled sixth joins 1.04x, six at once 1.01x, against this build
 * (medians of 12 and 3, bench:mesh's candidate, three runs taking turns,
 * load 1.5 to 16.5, 2026-12-07).
 */
export function connectedLinksRest(formingForMs: number | undefined): boolean {
  return formingForMs !== undefined && formingForMs < UNSAMPLED_WHILE_FORMING_MAX_MS;
}

/**
 * What one link says about the audio it receives, in one cheap look:
 * `level` in [0, 1], and `flow`, any counter that grows while packets
 * arrive (bytes, or the time of the last packet) and stands still when they stop.
 */
export type InboundAudio = { level?: number; flow?: number };

export type InboundAudioSource = { userId: UserId; sample(): InboundAudio | Promise<InboundAudio> };

export type SpeakingMonitorOptions = {
  clock: Clock;
  /** Read before every tick, so it can follow page visibility. */
  intervalMs?: () => number;
  /** The links to sample, read at every tick. */
  sources(): InboundAudioSource[];
  /** Our own microphone level in [0, 1]; undefined when there is no way to tell. */
  selfLevel(): number | undefined | Promise<number | undefined>;
  selfId(): UserId | undefined;
  /** A muted participant never counts as speaking. */
  selfMuted(): boolean;
  onChange(userId: UserId, speaking: boolean): void;
  /** Inbound audio from a peer stopped (true) or resumed (false): see MediaFlowDetector. */
  onMediaStalled?(userId: UserId, stalled: boolean): void;
};

/**
 * One pass over every link per tick on the injected clock. Each link's
 * inbound flow feeds a MediaFlowDetector (a stalled path wakes the link's
 * watchdog) and its level a SpeakingDetector; our own level comes from
 * `selfLevel` (a Web Audio meter on the microphone in the browser, so it
 * works when we are alone). How a link is sampled is the link's business
 * (PcSession.sampleInbound): RTP source entries where the browser keeps
 * them, which cost no getStats call at all.
 */
export class SpeakingMonitor {
  private readonly detectors = new Map<UserId, SpeakingDetector>();
  private readonly flows = new Map<UserId, MediaFlowDetector>();
  private timer: TimerHandle | undefined;
  private running = false;
  /** How long the last look's synchronous reads held the page (see pacedIntervalMs). */
  private blockedMs = 0;

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
    }, pacedIntervalMs(this.options.intervalMs?.() ?? SPEAKING_POLL_INTERVAL_MS, this.blockedMs));
  }

  private async tick(): Promise<void> {
    const sources = this.options.sources();
    // Each sample's synchronous part (the blocking read) runs inside map, before any await.
    const startedAtMs = this.options.clock.now();
    const reads = sources.map(async (source): Promise<[UserId, InboundAudio]> => [source.userId, await source.sample()]);
    const self = this.options.selfLevel();
    this.blockedMs = this.options.clock.now() - startedAtMs;
    const [results, selfLevel] = await Promise.all([Promise.all(reads), self]);
    if (!this.running) return;
    const nowMs = this.options.clock.now();
    for (const [userId, audio] of results) {
      if (audio.flow !== undefined) this.feedFlow(userId, audio.flow, nowMs);
      if (audio.level !== undefined) this.feed(userId, audio.level, nowMs);
    }
    const selfId = this.options.selfId();
    if (selfId !== undefined && selfLevel !== undefined) {
      this.feed(selfId, this.options.selfMuted() ? 0 : selfLevel, nowMs);
    }
  }

  private feedFlow(userId: UserId, flow: number, nowMs: number): void {
    let detector = this.flows.get(userId);
    if (!detector) {
      detector = new MediaFlowDetector();
      this.flows.set(userId, detector);
    }
    if (detector.update(flow, nowMs)) this.options.onMediaStalled?.(userId, detector.isStalled);
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
