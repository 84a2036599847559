import {
  assertNever,
  type ChatHistoryRequest,
  type ChatSend,
  type IceServer,
  type IceTransportPolicy,
  type Participant,
  type RoomId,
  type UserId,
  type VoiceState,
} from '@parley/protocol';
import { Emitter } from './emitter';
import { MeshError } from './errors';
import type { LevelMeter, MeshEnvironment, TimerHandle } from './environment';
import type { MeshEvents } from './events';
import { PeerLink } from './peer-link';
import { mergeRoster } from './roster';
import { exponentialBackoff, type ReconnectPolicy } from './retry-policy';
import { type InboundMessage, SignalClient } from './signal-client';
import { SignalingRtt } from './signaling-rtt';
import { readAudioLevels } from './audio-levels';
import { observationIntervalMs, SPEAKING_POLL_INTERVAL_MS, SpeakingMonitor } from './speaking-monitor';

export type MeshClientOptions = {
  /** The signaling endpoint, e.g. `ws://localhost:8080/ws`. */
  url: string;
  displayName: string;
  env: MeshEnvironment;
  /** From an earlier sessionStarted: come back as the same participant. */
  resumeToken?: string;
  /** Defaults to exponential backoff with jitter from env.random. */
  reconnectPolicy?: ReconnectPolicy;
  speakingPollIntervalMs?: number;
  /**
   * Whether to send our audio to this participant (default: to everyone).
   * Headless participants filling a big room use it to skip each other:
   * each sending path costs an encoder.
   */
  sendAudioTo?(participant: Participant): boolean;
};

function toRtcConfiguration(iceServers: IceServer[], policy: IceTransportPolicy): RTCConfiguration {
  return {
    iceServers: iceServers.map((server) => ({
      urls: server.urls,
      ...(server.username === undefined ? {} : { username: server.username }),
      ...(server.credential === undefined ? {} : { credential: server.credential }),
    })),
    iceTransportPolicy: policy,
  };
}

/**
 * The engine's public face: composes the signaling client and one PeerLink
 * per other participant, keeps the roster, and reports everything as
 * MeshEvents.
 *
 * Voice state: deafened implies muted; unmuting while deafened also undeafens.
 * A peer's voice state arrives both from the server and over the link's
 * control channel; the last one to arrive wins.
 *
 * Reconnecting: losing the server never closes a link; media keeps flowing
 * peer to peer. On every welcome (sessionStarted) the engine resyncs:
 * - resumed in our room: the server sends a fresh roster; we re-send our voice state;
 * - the server no longer has us in a room (it restarted): we send room.join
 *   again; the roster that answers is reconciled with the links we have;
 * - a different user id (the token was refused): we start over (roomLeft, join).
 * Reconciling a roster keeps the participant and link of everyone still
 * there (no new RTCPeerConnection), makes links for newcomers, and drops
 * (peerLeft) the people gone. After a server restart people missing from the
 * first roster may simply not be back yet: they stay, shown `reconnecting`,
 * for `absentGraceMs`, and a `peer.joined` for them updates them in place
 * (peerUpdated, never a second peerJoined). A re-sent roster is reported as
 * roomJoined with the merged roster, which never lists anyone twice.
 *
 * A link may signal only while the server is connected, our roster is
 * current, and the peer is online there; its watchdog waits for that.
 */
export class MeshClient {
  private readonly emitter: Emitter<MeshEvents>;
  private readonly env: MeshEnvironment;
  private readonly signaling: SignalClient;
  private readonly links = new Map<UserId, PeerLink>();
  private readonly participants = new Map<UserId, Participant>();
  private readonly speaking: SpeakingMonitor;
  private userId: UserId | undefined;
  private roomId: RoomId | undefined;
  /** A `room.join` was sent and its `room.joined` has not arrived yet. */
  private joiningRoomId: RoomId | undefined;
  private voice: VoiceState = { muted: false, deafened: false };
  private localStream: MediaStream | null = null;
  private localMeter: LevelMeter | undefined;
  private rtcConfiguration: RTCConfiguration = { iceServers: [] };
  /** A roster arrived since the last welcome: the server and we agree on the room. */
  private rosterCurrent = false;
  /** The room.join in flight re-enters a room the server forgot (restart): keep who is missing for a while. */
  private rejoining = false;
  /** The last welcome resumed an earlier session: peers may hold older links to us. */
  private resumedSession = false;
  private readonly absentTimers = new Map<UserId, TimerHandle>();
  /**
   * After the server lost our room (a restart), how long people missing from
   * the new roster are kept, as `reconnecting`, for them to rejoin too: the
   * server's own grace period, as its welcome announces it.
   */
  private absentGraceMs = 0;
  private readonly sendAudioTo: ((participant: Participant) => boolean) | undefined;
  /** Every link's watchdog waits in units of this (see link-watchdog.ts). */
  private readonly signalingRtt = new SignalingRtt();
  /** When the `room.join` in flight went out on an open session, to time its answer. */
  private joinSentAtMs: number | undefined;

  constructor(options: MeshClientOptions) {
    this.env = options.env;
    this.sendAudioTo = options.sendAudioTo;
    const logger = this.env.logger;
    this.emitter = new Emitter((name, error) => logger.error({ event: String(name), error: String(error) }, 'mesh listener threw'));
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
        this.updateReachability();
      }
      this.emitter.emit('connectionStateChanged', change);
    });
    this.signaling.on('error', (payload) => this.emitter.emit('error', payload));
    this.signaling.on('welcome', (welcome) => {
      const previousUserId = this.userId;
      this.userId = welcome.userId;
      this.resumedSession = welcome.resumed;
      this.absentGraceMs = welcome.graceMs;
      this.setRtcConfiguration(toRtcConfiguration(welcome.iceServers, welcome.iceTransportPolicy));
      this.emitter.emit('sessionStarted', { userId: welcome.userId, resumeToken: welcome.resumeToken, resumed: welcome.resumed });
      this.afterWelcome(welcome.userId, previousUserId, welcome.resumed ? welcome.roomId : undefined);
    });
    this.signaling.on('message', (message) => this.onServerMessage(message));
    const visibleIntervalMs = options.speakingPollIntervalMs ?? SPEAKING_POLL_INTERVAL_MS;
    this.speaking = new SpeakingMonitor({
      clock: this.env.clock,
      intervalMs: () =>
        observationIntervalMs({
          visibleMs: visibleIntervalMs,
          hidden: this.env.pageHidden?.() ?? false,
          linkForming: [...this.links.values()].some((link) => link.state === 'new' || link.state === 'connecting'),
        }),
      // A link that never connected has no audio to look at; sampling it while the mesh forms is load for nothing.
      sources: () =>
        [...this.links.values()]
          .filter((link) => link.state === 'connected' || link.state === 'disconnected')
          .map((link) => ({ userId: link.remoteId, sample: () => link.sampleInbound() })),
      selfLevel: () => this.selfLevel(),
      selfId: () => this.userId,
      selfMuted: () => this.voice.muted,
      onChange: (userId, speaking) => this.emitter.emit('speakingChanged', { userId, speaking }),
      onMediaStalled: (userId, stalled) => {
        if (stalled) this.links.get(userId)?.mediaStalled();
        else this.links.get(userId)?.mediaResumed();
      },
    });
  }

  on<K extends keyof MeshEvents>(name: K, listener: (payload: MeshEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  get selfId(): UserId | undefined {
    return this.userId;
  }

  get currentRoomId(): RoomId | undefined {
    return this.roomId;
  }

  connect(): void {
    this.signaling.connect();
  }

  /** If waiting to reconnect to the server, reconnect now (browser back online, "Retry now"). */
  retryNow(): void {
    this.signaling.retryNow();
  }

  /** Sends `room.join` (after the handshake if it is still running); roomJoined follows. */
  join(roomId: RoomId, voice?: VoiceState): void {
    if (voice) this.applyVoice(voice.muted || voice.deafened, voice.deafened);
    if (this.signaling.connectionState === 'idle') this.connect();
    this.sendJoin(roomId);
  }

  private sendJoin(roomId: RoomId): void {
    this.joiningRoomId = roomId;
    const now = this.signaling.connectionState === 'connected' ? this.env.clock.now() : undefined;
    this.signaling.send({ type: 'room.join', roomId, voice: { ...this.voice } });
    this.joinSentAtMs = now;
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
    this.localMeter?.close();
    this.localMeter = undefined;
  }

  /**
   * Chat goes over signaling but is not queued here: the caller keeps an
   * outbox and resends. Each returns false when the session is not up.
   */
  sendChat(message: Omit<ChatSend, 'type'>): boolean {
    return this.signaling.trySend({ type: 'chat.send', ...message });
  }

  requestChatHistory(request: Omit<ChatHistoryRequest, 'type'>): boolean {
    return this.signaling.trySend({ type: 'chat.history', ...request });
  }

  sendTyping(roomId: RoomId): boolean {
    return this.signaling.trySend({ type: 'chat.typing', roomId });
  }

  getRemoteStream(userId: UserId): MediaStream | undefined {
    return this.links.get(userId)?.remoteStream;
  }

  setLocalStream(stream: MediaStream | null): void {
    this.localStream = stream;
    const track = this.localTrack();
    if (track) track.enabled = !this.voice.muted;
    this.localMeter?.close();
    this.localMeter = undefined;
    for (const link of this.links.values()) link.setLocalTrack(this.trackFor(link.remoteId));
  }

  /** Our microphone track for the link to `userId`, or null where we send nothing. */
  private trackFor(userId: UserId): MediaStreamTrack | null {
    const participant = this.participants.get(userId);
    if (this.sendAudioTo && participant && !this.sendAudioTo(participant)) return null;
    return this.localTrack();
  }

  setMuted(muted: boolean): void {
    // Unmuting while deafened undeafens too: you cannot talk without hearing.
    this.applyVoice(muted, muted ? this.voice.deafened : false);
    this.publishVoice();
  }

  setDeafened(deafened: boolean): void {
    this.applyVoice(deafened || this.voice.muted, deafened);
    this.publishVoice();
  }

  /** Both at once, published once: for a caller that keeps its own voice rules (deafened still implies muted). */
  setVoice(voice: VoiceState): void {
    this.applyVoice(voice.muted, voice.deafened);
    this.publishVoice();
  }

  /**
   * Our microphone's level. With a link, what that link says it sends (one
   * getStats a tick); alone, a meter on the track (Web Audio in the
   * browser), opened only then because a running meter costs more than the
   * stats call.
   */
  private async selfLevel(): Promise<number | undefined> {
    if (this.links.size > 0) {
      this.localMeter?.close();
      this.localMeter = undefined;
      const link = [...this.links.values()].find((l) => l.state === 'connected');
      const report = await link?.getStats();
      return report ? readAudioLevels(report).local : undefined;
    }
    const track = this.localTrack();
    if (!track) return undefined;
    this.localMeter ??= this.env.createLevelMeter?.(track);
    return this.localMeter?.level();
  }

  private localTrack(): MediaStreamTrack | null {
    return this.localStream?.getAudioTracks()[0] ?? null;
  }

  private applyVoice(muted: boolean, deafened: boolean): void {
    this.voice = { muted: muted || deafened, deafened };
    const track = this.localTrack();
    if (track) track.enabled = !this.voice.muted;
  }

  private publishVoice(): void {
    const voice = { ...this.voice };
    if (this.roomId !== undefined || this.joiningRoomId !== undefined) {
      this.signaling.send({ type: 'voice.state', ...voice });
    }
    for (const link of this.links.values()) link.sendVoiceState(voice);
    if (this.userId !== undefined) this.updateParticipant(this.userId, voice);
  }

  private onServerMessage(message: InboundMessage): void {
    switch (message.type) {
      case 'ice.servers':
        this.setRtcConfiguration(toRtcConfiguration(message.iceServers, message.iceTransportPolicy));
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
        this.onPeerLeft(message.userId, message.reason);
        return;
      case 'peer.presence':
        this.onPeerPresence(message.userId, message.presence);
        return;
      case 'peer.signal':
        this.onPeerSignal(message.from, message.signal);
        return;
      case 'voice.state':
        if (message.userId === this.userId) return; // our own state is ours to say
        this.updateParticipant(message.userId, { muted: message.muted, deafened: message.deafened });
        return;
      case 'chat.ack':
        this.emitter.emit('chatMessageAcked', { message: message.message });
        return;
      case 'chat.message':
        this.emitter.emit('chatMessageReceived', { message: message.message });
        return;
      case 'chat.history':
        this.emitter.emit('chatHistoryReceived', { roomId: message.roomId, messages: message.messages, hasMore: message.hasMore });
        return;
      case 'chat.typing':
        this.emitter.emit('typingReceived', { roomId: message.roomId, userId: message.userId });
        return;
      case 'error':
        this.env.logger.warn({ code: message.code, inReplyTo: message.inReplyTo }, message.message);
        if (message.inReplyTo === 'chat.send' && message.ref !== undefined) {
          this.emitter.emit('chatMessageRejected', {
            clientId: message.ref,
            code: message.code,
            message: message.message,
            ...(message.retryAfterMs === undefined ? {} : { retryAfterMs: message.retryAfterMs }),
          });
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
        this.emitter.emit('error', { error: MeshError.signalingRejected(message.code, message.message) });
        return;
      default:
        assertNever(message, 'server message');
    }
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
      this.join(roomId);
      return;
    }
    if (resumedRoomId === roomId) {
      // Still in the room on the server: a fresh roster follows. Our voice state may have moved meanwhile.
      this.signaling.send({ type: 'voice.state', ...this.voice });
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
      selfVoice: this.voice,
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
    this.updateReachability();
    for (const participant of roster) {
      const userId = participant.userId;
      if (userId === selfId) continue;
      const known = this.links.get(userId);
      const link = this.ensureLink(userId);
      // A known link that is down gets renegotiated now. A new one after a resumed
      // session: the peer may still hold a link to our previous page, so announce ours.
      if ((known && participant.presence === 'online') || (!known && this.resumedSession)) link?.requestRestart();
    }
    if (reconcile) for (const link of this.links.values()) link.sendVoiceState(this.voice);
    this.speaking.start();
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
      this.updateReachability();
      this.links.get(userId)?.requestRestart();
      if (!this.links.has(userId)) this.ensureLink(userId);
      return;
    }
    this.emitter.emit('peerJoined', { participant });
    this.ensureLink(userId);
  }

  private onPeerPresence(userId: UserId, presence: Participant['presence']): void {
    this.updateParticipant(userId, { presence });
    this.updateReachability();
    if (presence === 'online') this.links.get(userId)?.requestRestart();
  }

  private onPeerLeft(userId: UserId, reason: 'left' | 'disconnected'): void {
    if (!this.participants.has(userId)) return;
    this.removePeer(userId, reason);
  }

  private removePeer(userId: UserId, reason: 'left' | 'disconnected'): void {
    this.clearAbsentTimer(userId);
    this.participants.delete(userId);
    this.links.get(userId)?.close();
    this.links.delete(userId);
    this.speaking.forget(userId);
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

  private canSignalTo(userId: UserId): boolean {
    return this.rosterCurrent && this.signaling.connectionState === 'connected' && this.participants.get(userId)?.presence === 'online';
  }

  private updateReachability(): void {
    for (const [userId, link] of this.links) link.setSignalingAvailable(this.canSignalTo(userId));
  }

  private onPeerSignal(from: UserId, signal: Parameters<PeerLink['handleSignal']>[0]): void {
    if (!this.participants.has(from) || from === this.userId) {
      this.env.logger.debug({ peerId: from }, 'dropped a signal from someone not in the room');
      return;
    }
    this.ensureLink(from)?.handleSignal(signal);
  }

  private ensureLink(userId: UserId): PeerLink | undefined {
    const existing = this.links.get(userId);
    if (existing) return existing;
    const selfId = this.userId;
    if (selfId === undefined) return undefined;
    const link = new PeerLink({
      selfId,
      remoteId: userId,
      env: this.env,
      rtcConfiguration: this.rtcConfiguration,
      localTrack: this.trackFor(userId),
      voiceState: () => ({ ...this.voice }),
      canSignal: this.canSignalTo(userId),
      signalingRtt: this.signalingRtt,
      handlers: {
        signal: (signal) => this.signaling.send({ type: 'peer.signal', to: userId, signal }),
        stateChanged: (from, to) => this.emitter.emit('linkStateChanged', { userId, from, to }),
        remoteTrack: (track, stream) => this.emitter.emit('remoteTrack', { userId, track, stream }),
        remoteVoiceState: (state) => this.updateParticipant(userId, state),
        rttMeasured: (rttMs) => this.emitter.emit('rttMeasured', { userId, rttMs }),
        error: (error) => this.emitter.emit('error', { error }),
      },
    });
    this.links.set(userId, link);
    return link;
  }

  private updateParticipant(userId: UserId, change: Partial<Pick<Participant, 'muted' | 'deafened' | 'presence'>>): void {
    const current = this.participants.get(userId);
    if (!current) return;
    const next: Participant = { ...current, ...change };
    if (next.muted === current.muted && next.deafened === current.deafened && next.presence === current.presence) return;
    this.participants.set(userId, next);
    this.emitter.emit('peerUpdated', { participant: next });
  }

  private setRtcConfiguration(configuration: RTCConfiguration): void {
    this.rtcConfiguration = configuration;
    for (const link of this.links.values()) link.setRtcConfiguration(configuration);
  }

  private leaveLocally(): void {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    this.speaking.stop();
    for (const link of this.links.values()) link.close();
    this.links.clear();
    this.participants.clear();
    for (const timer of this.absentTimers.values()) this.env.clock.clearTimeout(timer);
    this.absentTimers.clear();
    this.rejoining = false;
    this.rosterCurrent = false;
    this.roomId = undefined;
    this.emitter.emit('roomLeft', { roomId });
  }
}
