import { assertNever, type ControlMessage, encodeControlMessage, parseControlMessage, type VoiceState } from '@parley/protocol';
import { ControlOutbox } from './control-outbox';
import type { Clock, DataChannelLike, LogFields, Logger } from './environment';

export type ControlChannelHandlers = {
  remoteVoiceState(state: VoiceState): void;
  rttMeasured(rttMs: number): void;
};

export type ControlChannelOptions = {
  channel: DataChannelLike;
  clock: Clock;
  logger: Logger;
  logFields: LogFields;
  /** Read when the channel opens, so the peer learns our state at once. */
  voiceState(): VoiceState;
  handlers: ControlChannelHandlers;
  /**
   * Where outgoing frames wait while the channel is not open. A link passes
   * one that outlives this channel, so nothing queued is lost to a rebuild.
   */
  outbox?: ControlOutbox;
};

/**
 * The peer-to-peer control data channel: voice state on open and on change,
 * one ping when it opens (the first round trip, before the link's stats have
 * one), a pong for every ping. Voice state goes through the outbox (queued
 * while closed, flushed in order on open); pings and pongs go out only when
 * they can go out now.
 *
 * No ping after that: the round trip of a connected link comes from its
 * stats (PeerMesh, from LinkQualityMonitor's pass), which the browser
 * measures on the path itself with its ICE consent checks. A ping every two
 * seconds on every link was a message in and a message out per link each
 * second or so, and each one received costs the page's main thread blocking
 * calls into the WebRTC network thread: traced in a steady call of six on
 * two busy cores, the pages spent 5.2 s of 30 s in 67 data channel message
 * tasks, for a figure nothing on screen showed.
 */
export class ControlChannel {
  private readonly channel: DataChannelLike;
  private readonly outbox: ControlOutbox;
  private closed = false;

  constructor(private readonly options: ControlChannelOptions) {
    this.channel = options.channel;
    this.outbox = options.outbox ?? new ControlOutbox({ clock: options.clock, logger: options.logger, logFields: options.logFields });
    this.outbox.attach(this.channel);
    this.channel.onopen = () => this.onOpen();
    this.channel.onmessage = (event) => this.onMessage(event.data);
    if (this.channel.readyState === 'open') this.onOpen();
  }

  get isOpen(): boolean {
    return !this.closed && this.channel.readyState === 'open';
  }

  sendVoiceState(state: VoiceState): void {
    if (this.closed) return;
    this.outbox.send(encodeControlMessage({ type: 'voice.state', muted: state.muted, deafened: state.deafened }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel.onopen = null;
    this.channel.onmessage = null;
    this.outbox.detach(this.channel);
    this.channel.close();
  }

  private onOpen(): void {
    if (this.closed) return;
    this.options.logger.debug(this.options.logFields, 'control channel open');
    this.outbox.flush();
    this.sendVoiceState(this.options.voiceState());
    // The channel's one ping (see above): a pong can only answer this one.
    this.send({ type: 'ping', id: 0, sentAtMs: this.options.clock.now() });
  }

  private onMessage(data: unknown): void {
    if (this.closed) return;
    const result = parseControlMessage(data);
    if (!result.ok) {
      this.options.logger.warn({ ...this.options.logFields, code: result.code, reason: result.message }, 'dropped invalid control frame');
      return;
    }
    this.handle(result.value);
  }

  private handle(message: ControlMessage): void {
    switch (message.type) {
      case 'voice.state':
        this.options.handlers.remoteVoiceState({ muted: message.muted, deafened: message.deafened });
        return;
      case 'ping':
        this.send({ type: 'pong', id: message.id, sentAtMs: message.sentAtMs });
        return;
      case 'pong': {
        const rttMs = this.options.clock.now() - message.sentAtMs;
        if (rttMs >= 0) this.options.handlers.rttMeasured(rttMs);
        return;
      }
      default:
        assertNever(message, 'control message');
    }
  }

  /** Pings and pongs: now or never. */
  private send(message: ControlMessage): void {
    if (!this.isOpen) return;
    this.outbox.sendIfWritable(encodeControlMessage(message));
  }
}
