import {
  type ConnectionState,
  exponentialBackoff,
  type LinkState,
  RoomClient,
  type ReconnectPolicy,
} from '@parley/mesh';
import type { Participant, RoomId, UserId } from '@parley/protocol';
import { AudioMeter } from './audio-meter';
import { type AudioSignal, type Microphone, startMicrophone } from './audio-source';
import type { NodeEnvironment } from './node-environment';
import type { BotEvent, BotReport } from './report-line';

/** Before the first welcome, give up on the server after this long: the operator waits for an answer. */
export const FIRST_CONTACT_MS = 5_000;
/** Leaving waits this long at most for the goodbye to reach the server. */
export const GOODBYE_TIMEOUT_MS = 1_000;

/**
 * The engine's backoff; but until the server has welcomed us once, give up
 * after FIRST_CONTACT_MS, so a wrong URL or a server that is down ends the
 * run with a message instead of retrying forever. Once in, a bot rides out
 * outages the way a browser page does.
 */
export function firstContactPolicy(welcomed: () => boolean, random: () => number): ReconnectPolicy {
  const patient = exponentialBackoff({ random });
  const impatient = exponentialBackoff({ random, maxElapsedMs: FIRST_CONTACT_MS });
  return { nextRetryDelayInMs: (context) => (welcomed() ? patient : impatient).nextRetryDelayInMs(context) };
}

export type BotSettings = {
  name: string;
  signalingUrl: string;
  roomId: RoomId;
  muted: boolean;
  /** Send no audio to these participants (the other bots of this process): each sending path costs an encoder. */
  quietTo?: ReadonlySet<string>;
  signal: AudioSignal;
  node: NodeEnvironment;
  /** When the run started, for the `t` of every line. */
  startedAtMs: number;
  /** Every event, in order. */
  emit(event: BotEvent): void;
  /** The bot cannot go on (refused, unreachable, replaced); called once, with what happened ("could not join room ..."). */
  onFatal(message: string): void;
};

/**
 * One headless participant: a RoomClient with a generated microphone and an
 * AudioMeter on every remote track, who knows everyone's display name.
 */
export class Bot {
  private readonly client: RoomClient;
  private readonly meter: AudioMeter;
  private readonly names = new Map<UserId, string>();
  private readonly linkStates = new Map<UserId, LinkState>();
  private microphone: Microphone | undefined;
  private connection: ConnectionState = 'idle';
  private welcomed = false;
  private leaving = false;
  private failed = false;

  constructor(private readonly settings: BotSettings) {
    const env = settings.node.env;
    this.meter = new AudioMeter((track) => settings.node.statsFor(track), () => env.clock.now());
    this.client = new RoomClient({
      url: settings.signalingUrl,
      displayName: settings.name,
      env,
      reconnectPolicy: firstContactPolicy(() => this.welcomed, env.random),
      ...(settings.quietTo ? { sendAudioTo: (p: { displayName: string }) => !settings.quietTo?.has(p.displayName) } : {}),
    });
    this.listen();
  }

  /** Connects and asks to join; `joined` (or a fatal error) follows as an event. */
  start(): void {
    this.microphone = startMicrophone(this.settings.signal, this.settings.node.env.clock);
    this.client.setLocalStream(this.microphone.stream);
    this.client.connect();
    this.client.join(this.settings.roomId, { muted: this.settings.muted, deafened: false });
  }

  /** Leaves the room properly (room.leave, then closing the socket) and stops all audio. */
  async leave(): Promise<void> {
    if (this.leaving) return;
    this.leaving = true;
    const wasIn = this.client.currentRoomId !== undefined;
    this.client.close();
    this.microphone?.stop();
    this.meter.stopAll();
    await this.settings.node.socketsClosed(GOODBYE_TIMEOUT_MS);
    if (wasIn) this.settings.emit({ event: 'left', ...this.common() });
  }

  /** Everyone else in the room and what has been heard from them; starts a new level interval. */
  async report(): Promise<BotReport> {
    const selfId = this.client.selfId;
    const peers = await Promise.all(
      [...this.names]
        .filter(([userId]) => userId !== selfId)
        .map(async ([userId, name]) => ({
          userId,
          name,
          link: this.linkStates.get(userId) ?? 'new',
          ...(await this.meter.take(userId)),
        })),
    );
    return { ...this.common(), connection: this.connection, peers };
  }

  private common(): { t: number; name: string; userId: string | null; room: string } {
    return {
      t: this.settings.node.env.clock.now() - this.settings.startedAtMs,
      name: this.settings.name,
      userId: this.client.selfId ?? null,
      room: this.settings.roomId,
    };
  }

  private person(userId: UserId): { userId: UserId; name: string } {
    return { userId, name: this.names.get(userId) ?? userId };
  }

  private fatal(message: string): void {
    if (this.failed || this.leaving) return;
    this.failed = true;
    this.settings.emit({ event: 'error', ...this.common(), message, fatal: true });
    this.settings.onFatal(message);
  }

  private listen(): void {
    const client = this.client;
    const { roomId, signalingUrl, emit } = this.settings;
    client.on('sessionStarted', () => {
      this.welcomed = true;
    });
    client.on('connectionStateChanged', ({ from, to }) => {
      this.connection = to;
      emit({ event: 'connection', ...this.common(), from, to });
      if (to !== 'closed' || this.leaving) return;
      // A refusal closes the connection just before its error event says why: let that speak first.
      this.settings.node.env.clock.setTimeout(() => {
        const cause = this.settings.node.lastSocketError();
        this.fatal(
          this.welcomed
            ? `lost the signaling server at ${signalingUrl}`
            : `could not reach the signaling server at ${signalingUrl}${cause === undefined ? '' : ` (${cause})`}`,
        );
      }, 0);
    });
    client.on('error', ({ error }) => {
      const refusedJoin = error.reason === 'signalingRejected' && client.currentRoomId === undefined;
      if (refusedJoin) return this.fatal(`could not join room ${roomId}: ${error.message}`);
      if (!error.recoverable) return this.fatal(`gave up: ${error.message}`);
      emit({ event: 'error', ...this.common(), message: error.message, fatal: false });
    });
    client.on('roomJoined', ({ participants }) => {
      this.names.clear();
      for (const participant of participants) this.names.set(participant.userId, participant.displayName);
      const others = participants.filter((p) => p.userId !== client.selfId).map((p) => this.person(p.userId));
      emit({ event: 'joined', ...this.common(), peers: others });
    });
    client.on('roomLeft', () => {
      this.names.clear();
      this.linkStates.clear();
      this.meter.stopAll();
    });
    client.on('peerJoined', ({ participant }) => {
      this.remember(participant);
      emit({ event: 'peerJoined', ...this.common(), peer: this.person(participant.userId) });
    });
    client.on('peerUpdated', ({ participant }) => this.remember(participant));
    client.on('peerLeft', ({ userId, reason }) => {
      const peer = this.person(userId);
      this.names.delete(userId);
      this.linkStates.delete(userId);
      this.meter.detach(userId);
      emit({ event: 'peerLeft', ...this.common(), peer, reason });
    });
    client.on('linkStateChanged', ({ userId, to }) => this.linkStates.set(userId, to));
    client.on('remoteTrack', ({ userId, track }) => {
      if (track.kind === 'audio') this.meter.attach(userId, track);
    });
  }

  private remember(participant: Participant): void {
    this.names.set(participant.userId, participant.displayName);
  }
}
