import wrtc from '@roamhq/wrtc';
import type { UserId } from '@parley/protocol';
import type { AudioFrame } from './audio-source';

/** What a bot heard from one peer. */
export type PeerAudio = {
  /** Inbound RTP bytes on the peer's audio receiver (inbound-rtp bytesReceived), across rebuilt links. */
  bytes: number;
  /** Decoded 10 ms frames delivered to the bot since the peer's first track. */
  frames: number;
  /** RMS of the decoded audio over the last interval, 0..1 of full scale. */
  level: number;
  /** Audio with energy arrived during the last interval. */
  hearing: boolean;
};

/** About -60 dBFS: above what a muted or silent peer's decoded stream carries, far below speech or a tone. */
export const HEARING_RMS = 0.001;

/** Sum of squares and count of samples, for an RMS over several frames. */
export function energy(samples: Int16Array): { sumSquares: number; count: number } {
  let sumSquares = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = (samples[i] ?? 0) / 32768;
    sumSquares += x * x;
  }
  return { sumSquares, count: samples.length };
}

/** Accumulates decoded audio between two `take()` calls. */
export class LevelWindow {
  private sumSquares = 0;
  private count = 0;

  add(samples: Int16Array): void {
    const e = energy(samples);
    this.sumSquares += e.sumSquares;
    this.count += e.count;
  }

  /** The RMS since the last take, 0 when nothing arrived; starts a new window. */
  take(): number {
    const level = this.count === 0 ? 0 : Math.sqrt(this.sumSquares / this.count);
    this.sumSquares = 0;
    this.count = 0;
    return level;
  }
}

/** Sums the bytesReceived of every inbound audio RTP stream in a stats report. */
export function inboundAudioBytes(report: RTCStatsReport): number {
  let bytes = 0;
  report.forEach((stat: { type?: string; kind?: string; mediaType?: string; bytesReceived?: number }) => {
    if (stat.type !== 'inbound-rtp' || (stat.kind ?? stat.mediaType) !== 'audio') return;
    bytes += stat.bytesReceived ?? 0;
  });
  return bytes;
}

/**
 * Inbound bytes are read from the connection at most this often per track: a getStats
 * call on @roamhq/wrtc builds the whole report in JavaScript, and eight bots in one
 * process hold 72 connections. Level and frames come from the sink, at every report.
 */
export const BYTES_READ_INTERVAL_MS = 1_000;

/** Where a remote track's RTP statistics come from: its RTCPeerConnection. */
export type StatsSource = { getStats(): Promise<RTCStatsReport> };

type Inbound = {
  track: MediaStreamTrack;
  sink: { stop(): void };
  window: LevelWindow;
  frames: number;
  stats: StatsSource | undefined;
  /** Bytes counted on earlier tracks of this peer (a rebuilt link starts at 0). */
  bytesBefore: number;
  bytesNow: number;
  /** When bytesNow was last read (ms, from `now`). */
  bytesReadAtMs: number;
};

/**
 * Listens to every remote audio track through wrtc's nonstandard
 * RTCAudioSink: counts decoded frames and measures their level; reads
 * inbound-rtp bytes from the track's connection when asked for a report.
 */
export class AudioMeter {
  private readonly inbound = new Map<UserId, Inbound>();

  /** `statsFor` finds the connection that receives a track, if it is still open. */
  constructor(
    private readonly statsFor: (track: MediaStreamTrack) => StatsSource | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Listens to `track` as `userId`'s audio, replacing an earlier track of theirs. */
  attach(userId: UserId, track: MediaStreamTrack): void {
    const previous = this.inbound.get(userId);
    if (previous?.track === track) return;
    previous?.sink.stop();
    const sink = new wrtc.nonstandard.RTCAudioSink(track);
    const entry: Inbound = {
      track,
      sink,
      window: previous?.window ?? new LevelWindow(),
      frames: previous?.frames ?? 0,
      stats: undefined,
      bytesBefore: (previous?.bytesBefore ?? 0) + (previous?.bytesNow ?? 0),
      bytesNow: 0,
      bytesReadAtMs: 0,
    };
    sink.ondata = (frame: AudioFrame) => {
      entry.frames += 1;
      entry.window.add(frame.samples);
    };
    this.inbound.set(userId, entry);
  }

  detach(userId: UserId): void {
    this.inbound.get(userId)?.sink.stop();
    this.inbound.delete(userId);
  }

  stopAll(): void {
    for (const userId of [...this.inbound.keys()]) this.detach(userId);
  }

  /** Decoded frames from `userId` so far; reading it starts no new interval. */
  framesFrom(userId: UserId): number {
    return this.inbound.get(userId)?.frames ?? 0;
  }

  /** What arrived from `userId` so far, with the level of the interval since the last call. */
  async take(userId: UserId): Promise<PeerAudio> {
    const entry = this.inbound.get(userId);
    if (!entry) return { bytes: 0, frames: 0, level: 0, hearing: false };
    const level = entry.window.take();
    entry.stats ??= this.statsFor(entry.track);
    const nowMs = this.now();
    // Until bytes arrive, every report looks: the first audio is what a waiting test wants.
    const due = entry.bytesNow === 0 || nowMs - entry.bytesReadAtMs >= BYTES_READ_INTERVAL_MS;
    if (entry.stats && due) {
      entry.bytesReadAtMs = nowMs;
      try {
        entry.bytesNow = inboundAudioBytes(await entry.stats.getStats());
      } catch {
        entry.stats = undefined; // closed meanwhile; keep the last count
      }
    }
    return { bytes: entry.bytesBefore + entry.bytesNow, frames: entry.frames, level, hearing: level > HEARING_RMS };
  }
}
