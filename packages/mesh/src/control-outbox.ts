import type { Clock, DataChannelLike, LogFields, Logger } from './environment';

export type ControlOutboxOptions = {
  clock: Clock;
  logger: Logger;
  logFields: LogFields;
  /** Queued messages beyond this drop the oldest. */
  maxMessages?: number;
  /** Queued messages older than this are dropped rather than sent late. */
  maxAgeMs?: number;
  /** Stop writing to the channel while its buffer holds this much... */
  highWaterMarkBytes?: number;
  /** ...and resume once it drains below this (bufferedAmountLowThreshold). */
  lowWaterMarkBytes?: number;
};

export const CONTROL_OUTBOX_LIMITS = {
  maxMessages: 100,
  maxAgeMs: 60_000,
  highWaterMarkBytes: 64 * 1024,
  lowWaterMarkBytes: 16 * 1024,
} as const;

type Queued = { frame: string; queuedAtMs: number };

/**
 * What a link sends over its control channel, kept across blips: a frame
 * sent while no channel is open (not yet negotiated, reconnecting, rebuilt)
 * waits here and goes out, in order, when a channel opens. Bounded by count
 * and age, so a long outage cannot hoard stale state: the oldest frames are
 * dropped, with a log line. Writes respect the channel's buffer: above the
 * high water mark frames queue up, and `bufferedamountlow` (fired at the low
 * water mark) resumes the flush.
 *
 * Time-critical frames (pings, pongs) use `sendIfWritable`: late is useless.
 */
export class ControlOutbox {
  private readonly limits: Required<Omit<ControlOutboxOptions, 'clock' | 'logger' | 'logFields'>>;
  private queue: Queued[] = [];
  private channel: DataChannelLike | undefined;

  constructor(private readonly options: ControlOutboxOptions) {
    this.limits = {
      maxMessages: options.maxMessages ?? CONTROL_OUTBOX_LIMITS.maxMessages,
      maxAgeMs: options.maxAgeMs ?? CONTROL_OUTBOX_LIMITS.maxAgeMs,
      highWaterMarkBytes: options.highWaterMarkBytes ?? CONTROL_OUTBOX_LIMITS.highWaterMarkBytes,
      lowWaterMarkBytes: options.lowWaterMarkBytes ?? CONTROL_OUTBOX_LIMITS.lowWaterMarkBytes,
    };
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** The channel frames go to from now on; call flush() once it is open. */
  attach(channel: DataChannelLike): void {
    if (this.channel && this.channel !== channel) this.detach(this.channel);
    this.channel = channel;
    channel.bufferedAmountLowThreshold = this.limits.lowWaterMarkBytes;
    channel.onbufferedamountlow = () => {
      if (channel === this.channel) this.flush();
    };
  }

  detach(channel: DataChannelLike): void {
    if (channel !== this.channel) return;
    channel.onbufferedamountlow = null;
    this.channel = undefined;
  }

  /** Sends now when possible, otherwise queues behind what is already waiting. */
  send(frame: string): void {
    this.dropExpired();
    if (this.queue.length === 0 && this.write(frame)) return;
    if (this.queue.length >= this.limits.maxMessages) {
      this.queue.shift();
      this.options.logger.warn({ ...this.options.logFields, maxMessages: this.limits.maxMessages }, 'control queue full; dropped the oldest message');
    }
    this.queue.push({ frame, queuedAtMs: this.options.clock.now() });
    this.flush();
  }

  /** Sends only if nothing is waiting and the channel can take it now; returns whether it went out. */
  sendIfWritable(frame: string): boolean {
    if (this.queue.length > 0) return false;
    return this.write(frame);
  }

  /** Writes queued frames, oldest first, while the channel is open and below the high water mark. */
  flush(): void {
    this.dropExpired();
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (!next || !this.write(next.frame)) return;
      this.queue.shift();
    }
  }

  clear(): void {
    this.queue = [];
  }

  private write(frame: string): boolean {
    const channel = this.channel;
    if (!channel || channel.readyState !== 'open' || channel.bufferedAmount >= this.limits.highWaterMarkBytes) return false;
    try {
      channel.send(frame);
      return true;
    } catch (error) {
      this.options.logger.warn({ ...this.options.logFields, error: String(error) }, 'control channel send failed');
      return false;
    }
  }

  private dropExpired(): void {
    const oldestAllowedMs = this.options.clock.now() - this.limits.maxAgeMs;
    let expired = 0;
    while ((this.queue[0]?.queuedAtMs ?? Number.POSITIVE_INFINITY) < oldestAllowedMs) {
      this.queue.shift();
      expired++;
    }
    if (expired > 0) {
      this.options.logger.warn({ ...this.options.logFields, expired, maxAgeMs: this.limits.maxAgeMs }, 'dropped control messages too old to send');
    }
  }
}
