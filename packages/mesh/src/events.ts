import type { ChatMessage, ErrorCode, Participant, RoomId, UserId } from '@parley/protocol';
import type { MeshError } from './errors';

/** The signaling connection as a user would describe it. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** One peer link's lifecycle. */
export type LinkState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'restarting' | 'failed' | 'closed';

/**
 * Every event the engine emits, with its payload. The emitter, `on()` and the
 * web app's bridge are all typed from this one map.
 */
export type MeshEvents = {
  connectionStateChanged: { from: ConnectionState; to: ConnectionState };
  sessionStarted: { userId: UserId; resumeToken: string; resumed: boolean };
  roomJoined: { roomId: RoomId; selfId: UserId; participants: Participant[] };
  roomLeft: { roomId: RoomId };
  peerJoined: { participant: Participant };
  /** Voice state or presence of a participant (self included) changed. */
  peerUpdated: { participant: Participant };
  peerLeft: { userId: UserId; reason: 'left' | 'disconnected' };
  linkStateChanged: { userId: UserId; from: LinkState; to: LinkState };
  remoteTrack: { userId: UserId; track: MediaStreamTrack; stream: MediaStream };
  /** Voice activity of a participant (self included), from audio levels. */
  speakingChanged: { userId: UserId; speaking: boolean };
  rttMeasured: { userId: UserId; rttMs: number };
  error: { error: MeshError };
  /** Our own chat message is stored (also the answer to a resend). */
  chatMessageAcked: { message: ChatMessage };
  /** Someone else's chat message. */
  chatMessageReceived: { message: ChatMessage };
  chatHistoryReceived: { roomId: RoomId; messages: ChatMessage[]; hasMore: boolean };
  chatMessageRejected: { clientId: string; code: ErrorCode; message: string; retryAfterMs?: number };
  typingReceived: { roomId: RoomId; userId: UserId };
};

export type MeshEventName = keyof MeshEvents;
