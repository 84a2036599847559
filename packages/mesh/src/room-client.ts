import type { Participant, RoomId, RoomSettingsChange, UserId, VoiceState } from '@parley/protocol';
import { ChatChannel } from './chat-channel';
import type { MeshEnvironment } from './environment';
import type { RoomEvents } from './events';
import { PeerMesh } from './peer-mesh';
import type { ReconnectPolicy } from './retry-policy';
import { SessionClient, type RoomAccess } from './session-client';

export type RoomClientOptions = {
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

/** Which part emits each event; a Record over every event, so a new one does not compile until it is placed here. */
const EMITTED_BY: Record<keyof RoomEvents, 'session' | 'mesh' | 'both'> = {
  connectionStateChanged: 'session',
  sessionStarted: 'session',
  roomJoined: 'session',
  roomLeft: 'session',
  peerJoined: 'session',
  peerUpdated: 'session',
  peerLeft: 'session',
  roomSettingsChanged: 'session',
  ownerKeyIssued: 'session',
  inviteCreated: 'session',
  removedFromRoom: 'session',
  error: 'both',
  linkStateChanged: 'mesh',
  remoteTrack: 'mesh',
  speakingChanged: 'mesh',
  rttMeasured: 'mesh',
  linkQuality: 'mesh',
  speakingWhileMuted: 'mesh',
};

/**
 * One participant's client of a voice room, as the web app and a Node
 * participant (apps/bot) use it: the engine's three parts composed, and the
 * few commands that touch more than one of them.
 * - `session` (session-client.ts): signaling, the welcome and resync, the
 *   roster; "am I connected and is my roster current";
 * - `mesh` (peer-mesh.ts): the peer links, fed by the session's roster and
 *   signals; our microphone; speaking and stalled audio;
 * - `chat` (chat-channel.ts): chat on the session, never through the mesh.
 * Dependencies point one way: the mesh and the chat channel build on the
 * session, and neither knows the other.
 */
export class RoomClient {
  readonly session: SessionClient;
  readonly mesh: PeerMesh;
  readonly chat: ChatChannel;

  constructor(options: RoomClientOptions) {
    this.session = new SessionClient({
      url: options.url,
      displayName: options.displayName,
      env: options.env,
      ...(options.resumeToken === undefined ? {} : { resumeToken: options.resumeToken }),
      ...(options.reconnectPolicy === undefined ? {} : { reconnectPolicy: options.reconnectPolicy }),
    });
    // Made first, so the links follow every roster change before anyone else hears of it.
    this.mesh = new PeerMesh({
      session: this.session,
      env: options.env,
      ...(options.speakingPollIntervalMs === undefined ? {} : { speakingPollIntervalMs: options.speakingPollIntervalMs }),
      ...(options.sendAudioTo === undefined ? {} : { sendAudioTo: options.sendAudioTo }),
    });
    this.chat = new ChatChannel(this.session, options.env.logger);
  }

  /** The session's and the mesh's events in one map (`error` from both), for callers that want one subscription. */
  on<K extends keyof RoomEvents>(name: K, listener: (payload: RoomEvents[K]) => void): () => void {
    type Listen = (name: K, listener: (payload: RoomEvents[K]) => void) => () => void;
    const fromMesh = (this.mesh.on as unknown as Listen).bind(this.mesh);
    const fromSession = (this.session.on as unknown as Listen).bind(this.session);
    const from = EMITTED_BY[name];
    if (from === 'mesh') return fromMesh(name, listener);
    if (from === 'session') return fromSession(name, listener);
    const offs = [fromSession(name, listener), fromMesh(name, listener)];
    return () => offs.forEach((off) => off());
  }

  get selfId(): UserId | undefined {
    return this.session.selfId;
  }

  get currentRoomId(): RoomId | undefined {
    return this.session.currentRoomId;
  }

  connect(): void {
    this.session.connect();
  }

  /** If waiting to reconnect to the server, reconnect now (browser back online, "Retry now"). */
  retryNow(): void {
    this.session.retryNow();
  }

  /** Sends `room.join` (after the handshake if it is still running); roomJoined follows. See SessionClient.join. */
  join(roomId: RoomId, voice?: VoiceState, access?: RoomAccess): void {
    this.session.join(roomId, voice, access);
    this.mesh.voiceChanged();
  }

  /** The owner's commands: see SessionClient. */
  configureRoom(change: RoomSettingsChange): void {
    this.session.configureRoom(change);
  }

  createInvite(): void {
    this.session.createInvite();
  }

  removeParticipant(userId: UserId): void {
    this.session.removeParticipant(userId);
  }

  muteForEveryone(userId: UserId, muted: boolean): void {
    this.session.muteForEveryone(userId, muted);
  }

  clearChat(): void {
    this.session.clearChat();
  }

  leave(): void {
    this.session.leave();
  }

  close(): void {
    this.session.close();
    this.mesh.close();
  }

  getRemoteStream(userId: UserId): MediaStream | undefined {
    return this.mesh.getRemoteStream(userId);
  }

  setLocalStream(stream: MediaStream | null): void {
    this.mesh.setLocalStream(stream);
  }

  /** Our voice state, as the caller's voice rules (voice-rules.ts) made it: to the server, to every peer, and to our microphone. */
  setVoice(voice: VoiceState): void {
    this.session.setVoice(voice);
    this.mesh.voiceChanged({ tellPeers: true });
  }
}
