import {
  assertNever,
  type ChatAck,
  type ChatCleared,
  type ChatHistoryPage,
  type ChatMessageDelivered,
  type ChatTyping,
  type ErrorMessage,
  type IceServer,
  type IceTransportPolicy,
  type Participant,
  type RoomId,
  type RoomSettings,
  type RoomSettingsChange,
  type Signal,
  type UserId,
  type VoiceState,
} from '@parley/protocol';
import { Emitter } from './emitter';
import type { MeshEnvironment, TimerHandle } from './environment';
import { MeshError } from './errors';
import type { ConnectionState } from './events';
import { exponentialBackoff, type ReconnectPolicy } from './retry-policy';
import { mergeRoster } from './roster';
import { type InboundMessage, type OutboundMessage, SignalClient } from './signal-client';
import { SignalingRtt } from './signaling-rtt';
import { wireVoice } from './voice-rules';

/** What the server says about ICE: in the welcome, and again before TURN credentials expire. */
export type IceSettings = { iceServers: IceServer[]; iceTransportPolicy: IceTransportPolicy; expiresAt?: number };

/** Server messages that belong to the chat; the session client hands them on as they are. */
export type ChatServerMessage =
  | ChatAck
  | ChatMessageDelivered
  | ChatHistoryPage
  | ChatTyping
  | ChatCleared
  | (ErrorMessage & { inReplyTo: 'chat.send' | 'chat.history' });

/** What lets us into a room that is not open to all: sent with every `room.join` for that room, rejoins included. */
export type RoomAccess = { password?: string; invite?: string; ownerKey?: string };

/** A room's settings as its members see them (`room.settings`). */
export type RoomSettingsState = Omit<RoomSettings, 'type'>;

/** Why someone left the roster. */
export type LeaveReason = 'left' | 'disconnected' | 'removed';

/** Everything the session client reports: to the app (the first eight) and to the parts built on it (the rest). */
export type SessionEvents = {
  connectionStateChanged: { from: ConnectionState; to: ConnectionState };
  sessionStarted: { userId: UserId; resumeToken: string; resumed: boolean };
  roomJoined: { roomId: RoomId; selfId: UserId; participants: Participant[] };
  roomLeft: { roomId: RoomId };
  peerJoined: { participant: Participant };
  /** Voice state or presence of a participant (self included) changed. */
  peerUpdated: { participant: Participant };
  peerLeft: { userId: UserId; reason: LeaveReason };
  error: { error: MeshError };
  /** The room's owner, password, lock, listing and who is muted for everyone; after every roster and every change. */
  roomSettingsChanged: RoomSettingsState;
  /** We created this room: the key that makes us its owner again after we leave. Keep it. */
  ownerKeyIssued: { roomId: RoomId; ownerKey: string };
  /** The answer to createInvite(). */
  inviteCreated: { roomId: RoomId; token: string; expiresAt: number };
  /** The owner removed us: we are out of the room and may not come back as this participant. */
  removedFromRoom: { roomId: RoomId };
  /** Someone who was in the roster before (a server restart, a reload) is back: their link must renegotiate. */
  peerReturned: { userId: UserId };
  /** Whether we may signal to someone may have changed (connection, roster, presence): see canSignalTo. */
  reachabilityChanged: undefined;
  /** `peer.signal` from someone in our room. */
  signalReceived: { from: UserId; signal: Signal };
  iceSettingsChanged: IceSettings;
  chatMessage: ChatServerMessage;
};

/** The events only the mesh and the chat channel listen to. */
export type InternalSessionEvent = 'peerReturned' | 'reachabilityChanged' | 'signalReceived' | 'iceSettingsChanged' | 'chatMessage';

export type SessionClientOptions = {
  /** The signaling endpoint, e.g. `ws://localhost:8080/ws`. */
  url: string;
  displayName: string;
  env: MeshEnvironment;
  /** From an earlier sessionStarted: come back as the same participant. */
  resumeToken?: string;
  /** Defaults to exponential backoff with jitter from env.random. */
  reconnectPolicy?: ReconnectPolicy;
};

/**
 * Who we are and who is in our room, as the server says: the signaling
 * connection, the welcome and the resync after it, the roster with presence
 * and absent timers, and the timings the server announces. It owns the
 * answer to "am I connected and is my roster current" (`readyRoomId`,
 * `canSignalTo`); the peer mesh and the chat channel build on it.
 *
 * Resync after every welcome (sessionStarted):
 * - resumed in our room: the server sends a fresh roster; we re-send our voice state;
 * - the server no longer has us in a room (it restarted): we send room.join
 *   again; the roster that answers is reconciled with the people we know;
 * - a different user id (the token was refused): we start over (roomLeft, join).
 * Reconciling a roster keeps everyone still there, adds newcomers and drops
 * (peerLeft) the people gone. After a server restart people missing from the
 * first roster may simply not be back yet: they stay, shown `reconnecting`,
 * for the grace period the server's welcome announced, and a `peer.joined`
 * for them updates them in place (peerUpdated, never a second peerJoined). A
 * re-sent roster is reported as roomJoined with the merged roster, which
 * never lists anyone twice.
 *
 * Voice state: the caller applies the voice rules (voice-rules.ts) and says
 * the result with setVoice(); this only keeps deafened implying muted.
 */
export class SessionClient {
  private readonly emitter: Emitter<SessionEvents>;
  private readonly env: MeshEnvironment;
  private readonly signaling: SignalClient;
  private readonly participants = new Map<UserId, Participant>();
  private readonly absentTimers = new Map<UserId, TimerHandle>();
  private userId: UserId | undefined;
  private roomId: RoomId | undefined;
  /** A `room.join` was sent and its `room.joined` has not arrived yet. */
  private joiningRoomId: RoomId | undefined;
  private ownVoice: VoiceState = { muted: false, deafened: false };
  /** What admits us to the room we are in or joining; re-sent with every rejoin. */
  private access: RoomAccess = {};
  private settings: RoomSettingsState | undefined;
  /** A roster arrived since the last welcome: the server and we agree on the room. */
  private rosterCurrent = false;
  /** The room.join in flight re-enters a room the server forgot (restart): keep who is missing for a while. */
  private rejoining = false;
  /** The last welcome resumed an earlier session: peers may hold older links to us. */
  private resumedSession = false;
  /** This session's generation, as the welcome announces it (link epochs are numbered from it). */
  private sessionGeneration = 0;
  /** The server's grace period, as its welcome announces it: how long people missing after a restart are kept. */
  private absentGraceMs = 0;
  /** When the `room.join` in flight went out on an open session, to time its answer. */
  private joinSentAtMs: number | undefined;
  /** The signaling round trip, sampled from `room.join` to `room.joined`; the peer links add theirs. */
  readonly signalingRtt = new SignalingRtt();
  private readonly displayName: string;

  constructor(options: SessionClientOptions) {
    this.env = options.env;
    this.displayName = options.displayName;
    const logger = this.env.logger;
    this.emitter = new Emitter((name, error) => logger.error({ event: String(name), error: String(error) }, 'session listener threw'));
    this.signaling = new SignalClient({
      url: options.url,
      displayName: options.displayName,
      env: this.env,
      reconnectPolicy: options.reconnectPolicy ?? exponentialBackoff({ random: () => this.env.random() }),
      ...(options.resumeToken === undefined ? {} : { resumeToken: options.resumeToken }),
    });
    this.signaling.on('stateChanged', (change) => {
      if (change.to !== 'connected') {
        this.rosterCurrent = false;
        this.emitter.emit('reachabilityChanged', undefined);
      }
      this.emitter.emit('connectionStateChanged', change);
    });
    this.signaling.on('error', (payload) => this.emitter.emit('error', payload));
    this.signaling.on('welcome', (welcome) => {
      const previousUserId = this.userId;
      this.userId = welcome.userId;
      this.resumedSession = welcome.resumed;
      this.sessionGeneration = welcome.generation;
      this.absentGraceMs = welcome.graceMs;
      this.emitIceSettings(welcome);
      this.emitter.emit('sessionStarted', { userId: welcome.userId, resumeToken: welcome.resumeToken, resumed: welcome.resumed });
      this.afterWelcome(welcome.userId, previousUserId, welcome.resumed ? welcome.roomId : undefined);
    });
    this.signaling.on('message', (message) => this.onServerMessage(message));
  }

  on<K extends keyof SessionEvents>(name: K, listener: (payload: SessionEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  get selfId(): UserId | undefined {
    return this.userId;
  }

  get currentRoomId(): RoomId | undefined {
    return this.roomId;
  }

  get connectionState(): ConnectionState {
    return this.signaling.connectionState;
  }

  /** The room we are in when the session is up and our roster is current (the server and we agree); otherwise undefined. */
  get readyRoomId(): RoomId | undefined {
    return this.rosterCurrent && this.signaling.connectionState === 'connected' ? this.roomId : undefined;
  }

  /** The last welcome resumed an earlier session (a reconnect, a reload): peers may hold older links to us. */
  get resumed(): boolean {
    return this.resumedSession;
  }

  /** The generation of the current session (0 before the first welcome): see link-epochs.ts. */
  get generation(): number {
    return this.sessionGeneration;
  }

  get voice(): VoiceState {
    return { ...this.ownVoice };
  }

  participant(userId: UserId): Participant | undefined {
    return this.participants.get(userId);
  }

  /** Whether a signal to `userId` can be relayed now: our roster is current and they are online in it. */
  canSignalTo(userId: UserId): boolean {
    return this.readyRoomId !== undefined && this.participants.get(userId)?.presence === 'online';
  }

  connect(): void {
    this.signaling.connect();
  }

  /** If waiting to reconnect to the server, reconnect now (browser back online, "Retry now"). */
  retryNow(): void {
    this.signaling.retryNow();
  }

  /** The current room's settings, once the server has said them. */
  get roomSettings(): RoomSettingsState | undefined {
    return this.settings;
  }

  /**
   * Sends `room.join` (after the handshake if it is still running); roomJoined follows, or an
   * error (password_required, wrong_password, room_locked, removed, invite_invalid, room_full).
   * `access` goes with this join and every automatic rejoin of the same room.
   */
  join(roomId: RoomId, voice?: VoiceState, access: RoomAccess = {}): void {
    if (voice) this.ownVoice = wireVoice(voice);
    this.access = { ...access };
    if (this.signaling.connectionState === 'idle') this.connect();
    this.sendJoin(roomId);
  }

  /** Owner only: change the password (null removes it), the lock or the listing. */
  configureRoom(change: RoomSettingsChange): void {
    const roomId = this.roomId;
    if (roomId !== undefined) this.signaling.send({ type: 'room.configure', roomId, ...change });
  }

  /** Owner only: ask for an invite token; inviteCreated answers. */
  createInvite(): void {
    const roomId = this.roomId;
    if (roomId !== undefined) this.signaling.send({ type: 'room.invite', roomId });
  }

  /** Owner only: remove `userId` from the room. */
  removeParticipant(userId: UserId): void {
    const roomId = this.roomId;
    if (roomId !== undefined) this.signaling.send({ type: 'room.remove', roomId, userId });
  }

  /** Owner only: mute `userId` for everyone, or let them speak again. */
  muteForEveryone(userId: UserId, muted: boolean): void {
    const roomId = this.roomId;
    if (roomId !== undefined) this.signaling.send({ type: 'room.mute', roomId, userId, muted });
  }

  /** Owner only: delete the room's chat history. */
  clearChat(): void {
    const roomId = this.roomId;
    if (roomId !== undefined) this.signaling.send({ type: 'chat.clear', roomId });
  }

  leave(): void {
    this.joiningRoomId = undefined;
    this.rejoining = false;
    if (this.roomId === undefined) return;
    this.signaling.send({ type: 'room.leave' });
    this.leaveLocally();
  }

  close(): void {
    this.leave();
    this.signaling.close();
  }

  /** Queued until the session is up (signals, joins). */
  send(message: OutboundMessage): void {
    this.signaling.send(message);
  }

  /** Sent now or not at all: for callers that keep their own outbox (chat). */
  trySend(message: OutboundMessage): boolean {
    return this.signaling.trySend(message);
  }

  /** Our voice state: to the server, and into our own roster entry. */
  setVoice(voice: VoiceState): void {
    this.ownVoice = wireVoice(voice);
    if (this.roomId !== undefined || this.joiningRoomId !== undefined) {
      this.signaling.send({ type: 'voice.state', ...this.ownVoice });
    }
    if (this.userId !== undefined) this.updateParticipant(this.userId, this.ownVoice);
  }

  /** A peer's voice state as their link's control channel says it: the last one to arrive wins. */
  peerVoiceReported(userId: UserId, voice: VoiceState): void {
    this.updateParticipant(userId, voice);
  }

  private sendJoin(roomId: RoomId): void {
    this.joiningRoomId = roomId;
    const now = this.signaling.connectionState === 'connected' ? this.env.clock.now() : undefined;
    // Our name goes with every join: the socket may have said hello before the name was final (GreetedSocket).
    this.signaling.send({ type: 'room.join', roomId, voice: { ...this.ownVoice }, ...this.access, displayName: this.displayName });
    this.joinSentAtMs = now;
  }

  private emitIceSettings(settings: { iceServers: IceServer[]; iceTransportPolicy: IceTransportPolicy; iceServersExpireAt?: number | undefined }): void {
    this.emitter.emit('iceSettingsChanged', {
      iceServers: settings.iceServers,
      iceTransportPolicy: settings.iceTransportPolicy,
      ...(settings.iceServersExpireAt === undefined ? {} : { expiresAt: settings.iceServersExpireAt }),
    });
  }

  private onServerMessage(message: InboundMessage): void {
    switch (message.type) {
      case 'ice.servers':
        this.emitIceSettings(message);
        return;
      case 'room.joined':
        this.onRoomJoined(message.roomId, message.selfId, message.participants);
        return;
      case 'room.left':
        if (message.roomId === this.roomId) this.leaveLocally();
        return;
      case 'peer.joined':
        this.onPeerJoined(message.participant);
        return;
      case 'peer.left':
        if (this.participants.has(message.userId)) this.removePeer(message.userId, message.reason);
        return;
      case 'peer.presence':
        this.updateParticipant(message.userId, { presence: message.presence });
        this.emitter.emit('reachabilityChanged', undefined);
        if (message.presence === 'online' && this.participants.has(message.userId)) this.emitter.emit('peerReturned', { userId: message.userId });
        return;
      case 'peer.signal':
        if (!this.participants.has(message.from) || message.from === this.userId) {
          this.env.logger.debug({ peerId: message.from }, 'dropped a signal from someone not in the room');
          return;
        }
        this.emitter.emit('signalReceived', { from: message.from, signal: message.signal });
        return;
      case 'voice.state':
        if (message.userId === this.userId) return; // our own state is ours to say
        this.updateParticipant(message.userId, { muted: message.muted, deafened: message.deafened });
        return;
      case 'chat.ack':
      case 'chat.message':
      case 'chat.history':
      case 'chat.typing':
      case 'chat.cleared':
        this.emitter.emit('chatMessage', message);
        return;
      case 'room.settings': {
        if (message.roomId !== this.roomId && message.roomId !== this.joiningRoomId) return;
        const { type: _type, ...settings } = message;
        this.settings = settings;
        this.emitter.emit('roomSettingsChanged', settings);
        return;
      }
      case 'room.ownerKey':
        if (message.roomId === this.roomId || message.roomId === this.joiningRoomId) this.access = { ...this.access, ownerKey: message.ownerKey };
        this.emitter.emit('ownerKeyIssued', { roomId: message.roomId, ownerKey: message.ownerKey });
        return;
      case 'room.invite':
        this.emitter.emit('inviteCreated', { roomId: message.roomId, token: message.token, expiresAt: message.expiresAt });
        return;
      case 'room.removed':
        if (message.roomId !== this.roomId && message.roomId !== this.joiningRoomId) return;
        // Out for good as this participant: no rejoin after a reconnect.
        this.joiningRoomId = undefined;
        this.rejoining = false;
        this.access = {};
        this.leaveLocally();
        this.emitter.emit('removedFromRoom', { roomId: message.roomId });
        return;
      case 'error':
        this.onError(message);
        return;
      default:
        assertNever(message, 'server message');
    }
  }

  private onError(message: ErrorMessage): void {
    this.env.logger.warn({ code: message.code, inReplyTo: message.inReplyTo }, message.message);
    const inReplyTo = message.inReplyTo;
    if (inReplyTo === 'chat.send' || inReplyTo === 'chat.history') {
      this.emitter.emit('chatMessage', { ...message, inReplyTo });
      return;
    }
    // Signals queued during an outage may name people who have not rejoined yet.
    if (message.inReplyTo === 'peer.signal') return;
    if (message.inReplyTo === 'room.join') {
      this.joiningRoomId = undefined;
      if (this.rejoining) {
        this.rejoining = false;
        this.leaveLocally();
      }
    }
    const context = {
      ...(message.inReplyTo === undefined ? {} : { inReplyTo: message.inReplyTo }),
      ...(message.retryAfterMs === undefined ? {} : { retryAfterMs: message.retryAfterMs }),
    };
    this.emitter.emit('error', { error: MeshError.signalingRejected(message.code, message.message, context) });
  }

  /** Resync after every welcome; see the class comment. */
  private afterWelcome(userId: UserId, previousUserId: UserId | undefined, resumedRoomId: RoomId | undefined): void {
    // A join sent before the first welcome is still queued; one sent on a socket that died may be lost.
    const roomId = this.roomId ?? (previousUserId === undefined ? undefined : this.joiningRoomId);
    if (roomId === undefined) return;
    if (previousUserId !== undefined && previousUserId !== userId) {
      // The server did not take our token back: everyone knows us by the old id.
      this.env.logger.warn({ previousUserId, userId }, 'came back with a new identity; joining afresh');
      this.leaveLocally();
      // The new identity needs the same way in (a password room would turn it away without).
      this.join(roomId, undefined, this.access);
      return;
    }
    if (resumedRoomId === roomId) {
      // Still in the room on the server: a fresh roster follows. Our voice state may have moved meanwhile.
      this.signaling.send({ type: 'voice.state', ...this.ownVoice });
      return;
    }
    this.env.logger.info({ roomId }, 'the server lost our room; joining it again');
    this.rejoining = this.roomId === roomId;
    this.sendJoin(roomId);
  }

  private onRoomJoined(roomId: RoomId, selfId: UserId, roster: Participant[]): void {
    if (this.joinSentAtMs !== undefined) this.signalingRtt.sample(this.env.clock.now() - this.joinSentAtMs);
    this.joinSentAtMs = undefined;
    if (this.roomId !== undefined && (this.roomId !== roomId || this.userId !== selfId)) this.leaveLocally();
    const reconcile = this.roomId === roomId;
    const merge = mergeRoster({
      known: reconcile ? this.participants : new Map(),
      roster,
      selfId,
      selfVoice: this.ownVoice,
      keepMissing: this.rejoining,
    });
    this.roomId = roomId;
    this.joiningRoomId = undefined;
    this.rejoining = false;
    this.userId = selfId;
    this.rosterCurrent = this.signaling.connectionState === 'connected';
    for (const userId of merge.gone) this.removePeer(userId, 'disconnected');
    this.participants.clear();
    for (const [userId, participant] of merge.participants) this.participants.set(userId, participant);
    for (const userId of merge.missing) this.startAbsentTimer(userId);
    for (const participant of roster) this.clearAbsentTimer(participant.userId);
    this.emitter.emit('roomJoined', { roomId, selfId, participants: [...this.participants.values()] });
    this.emitter.emit('reachabilityChanged', undefined);
  }

  private onPeerJoined(participant: Participant): void {
    const userId = participant.userId;
    if (this.roomId === undefined || userId === this.userId) return;
    const known = this.participants.has(userId);
    this.participants.set(userId, participant);
    this.clearAbsentTimer(userId);
    if (known) {
      // Back after a server restart (or a reload): the same person, and the same link.
      this.emitter.emit('peerUpdated', { participant });
      this.emitter.emit('reachabilityChanged', undefined);
      this.emitter.emit('peerReturned', { userId });
      return;
    }
    this.emitter.emit('peerJoined', { participant });
  }

  private removePeer(userId: UserId, reason: LeaveReason): void {
    this.clearAbsentTimer(userId);
    this.participants.delete(userId);
    this.emitter.emit('peerLeft', { userId, reason });
  }

  private startAbsentTimer(userId: UserId): void {
    if (this.absentTimers.has(userId)) return;
    this.absentTimers.set(
      userId,
      this.env.clock.setTimeout(() => {
        this.absentTimers.delete(userId);
        this.env.logger.info({ peerId: userId }, 'did not come back after the server restart');
        this.removePeer(userId, 'disconnected');
      }, this.absentGraceMs),
    );
  }

  private clearAbsentTimer(userId: UserId): void {
    const timer = this.absentTimers.get(userId);
    if (timer === undefined) return;
    this.env.clock.clearTimeout(timer);
    this.absentTimers.delete(userId);
  }

  private updateParticipant(userId: UserId, change: Partial<Pick<Participant, 'muted' | 'deafened' | 'presence'>>): void {
    const current = this.participants.get(userId);
    if (!current) return;
    const next: Participant = { ...current, ...change };
    if (next.muted === current.muted && next.deafened === current.deafened && next.presence === current.presence) return;
    this.participants.set(userId, next);
    this.emitter.emit('peerUpdated', { participant: next });
  }

  private leaveLocally(): void {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    this.participants.clear();
    for (const timer of this.absentTimers.values()) this.env.clock.clearTimeout(timer);
    this.absentTimers.clear();
    this.rejoining = false;
    this.rosterCurrent = false;
    this.roomId = undefined;
    this.settings = undefined;
    this.emitter.emit('roomLeft', { roomId });
  }
}
