import * as z from 'zod/mini';
import { ChatAck, ChatHistoryPage, ChatHistoryRequest, ChatMessageDelivered, ChatSend, ChatTyping, ChatTypingSend } from './chat';
import { ERROR_CODES } from './codes';
import {
  DisplayName,
  IceServer,
  IceTransportPolicy,
  Participant,
  Presence,
  ResumeToken,
  RoomId,
  Signal,
  UserId,
  VoiceState,
} from './fields';
import {
  ChatClear,
  ChatCleared,
  InviteToken,
  OwnerKey,
  RoomConfigure,
  RoomInvite,
  RoomInviteCreate,
  RoomMute,
  RoomOwnerKeyIssued,
  RoomPassword,
  RoomRemove,
  RoomRemoved,
  RoomSettings,
} from './room-admin';

// ---------------------------------------------------------------------------
// Client -> server
// ---------------------------------------------------------------------------

/** First frame on every socket. The server answers `session.welcome` or closes. */
export const SessionHello = z.object({
  type: z.literal('session.hello'),
  protocolVersion: z.int().check(z.positive()),
  displayName: DisplayName,
  /** From an earlier `session.welcome`: come back as the same participant. */
  resumeToken: z.optional(ResumeToken),
});
export type SessionHello = z.infer<typeof SessionHello>;

export const RoomJoin = z.object({
  type: z.literal('room.join'),
  roomId: RoomId,
  voice: z.optional(VoiceState),
  /** The room's password, when it has one and the joiner holds no invite. */
  password: z.optional(RoomPassword),
  /** An invite link's token: admits without the password. */
  invite: z.optional(InviteToken),
  /** The key `room.ownerKey` gave this browser for this room: its holder is the owner. */
  ownerKey: z.optional(OwnerKey),
  /**
   * The name to appear under, when it is not the hello's: a join form says
   * hello while the name is still being typed, and the name at Join wins.
   */
  displayName: z.optional(DisplayName),
});
export type RoomJoin = z.infer<typeof RoomJoin>;

export const RoomLeave = z.object({
  type: z.literal('room.leave'),
});
export type RoomLeave = z.infer<typeof RoomLeave>;

/** Relay `signal` to `to`, a member of the sender's room. */
export const PeerSignalSend = z.object({
  type: z.literal('peer.signal'),
  to: UserId,
  signal: Signal,
});
export type PeerSignalSend = z.infer<typeof PeerSignalSend>;

export const VoiceStateSet = z.object({
  type: z.literal('voice.state'),
  ...VoiceState.shape,
});
export type VoiceStateSet = z.infer<typeof VoiceStateSet>;

/**
 * Keepalive. Browser JavaScript cannot see WebSocket pings, so a client that
 * wants to know its socket is alive asks, every `heartbeatIntervalMs` of the
 * welcome; the server answers `session.pong` with the same `seq` at once.
 */
export const SessionPing = z.object({
  type: z.literal('session.ping'),
  seq: z.int().check(z.nonnegative(), z.lte(2 ** 31)),
});
export type SessionPing = z.infer<typeof SessionPing>;

export const ClientMessage = z.discriminatedUnion('type', [
  SessionHello,
  SessionPing,
  RoomJoin,
  RoomLeave,
  PeerSignalSend,
  VoiceStateSet,
  ChatSend,
  ChatHistoryRequest,
  ChatTypingSend,
  ChatClear,
  RoomConfigure,
  RoomInviteCreate,
  RoomRemove,
  RoomMute,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];

// ---------------------------------------------------------------------------
// Server -> client
// ---------------------------------------------------------------------------

export const SessionWelcome = z.object({
  type: z.literal('session.welcome'),
  protocolVersion: z.int().check(z.positive()),
  userId: UserId,
  /** Present on reconnect (or page reload) as `session.hello.resumeToken`. */
  resumeToken: ResumeToken,
  /** True when the hello's resume token brought back an existing participant. */
  resumed: z.boolean(),
  /**
   * This session's number among the sessions of this identity: one more than
   * the session whose token was resumed, 1 for a new identity. Clients number
   * their peer connections from it (link epochs), so a reloaded page's are
   * newer than the old page's whatever the clocks say.
   */
  generation: z.int().check(z.positive(), z.lte(2 ** 31)),
  /** The room the resumed participant is still in, if any. */
  roomId: z.optional(RoomId),
  iceServers: z.array(IceServer).check(z.maxLength(16)),
  iceTransportPolicy: IceTransportPolicy,
  /** Time after which TURN credentials in `iceServers` expire (ms since epoch). */
  iceServersExpireAt: z.optional(z.int()),
  /** How often the server pings the socket, and how often a client should send `session.ping`. */
  heartbeatIntervalMs: z.int().check(z.positive()),
  /** How long a participant whose socket dropped stays listed as reconnecting before leaving (PARLEY_GRACE_MS). */
  graceMs: z.int().check(z.nonnegative()),
});
export type SessionWelcome = z.infer<typeof SessionWelcome>;

/** Fresh ICE servers (new TURN credentials) before the old ones expire. */
export const IceServersUpdated = z.object({
  type: z.literal('ice.servers'),
  iceServers: z.array(IceServer).check(z.maxLength(16)),
  iceTransportPolicy: IceTransportPolicy,
  iceServersExpireAt: z.optional(z.int()),
});
export type IceServersUpdated = z.infer<typeof IceServersUpdated>;

/** Answer to `room.join`: the whole roster, the joiner included. */
export const RoomJoined = z.object({
  type: z.literal('room.joined'),
  roomId: RoomId,
  selfId: UserId,
  participants: z.array(Participant),
});
export type RoomJoined = z.infer<typeof RoomJoined>;

/** Answer to `room.leave`. */
export const RoomLeft = z.object({
  type: z.literal('room.left'),
  roomId: RoomId,
});
export type RoomLeft = z.infer<typeof RoomLeft>;

export const PeerJoined = z.object({
  type: z.literal('peer.joined'),
  participant: Participant,
});
export type PeerJoined = z.infer<typeof PeerJoined>;

export const PeerLeft = z.object({
  type: z.literal('peer.left'),
  userId: UserId,
  /** `left`: pressed Leave. `disconnected`: socket gone past the grace period. `removed`: by the owner. */
  reason: z.enum(['left', 'disconnected', 'removed']),
});
export type PeerLeft = z.infer<typeof PeerLeft>;

export const PeerPresence = z.object({
  type: z.literal('peer.presence'),
  userId: UserId,
  presence: Presence,
});
export type PeerPresence = z.infer<typeof PeerPresence>;

/** A signal relayed by the server; `from` is stamped by the server, never the client. */
export const PeerSignalRelay = z.object({
  type: z.literal('peer.signal'),
  from: UserId,
  signal: Signal,
});
export type PeerSignalRelay = z.infer<typeof PeerSignalRelay>;

export const VoiceStateChanged = z.object({
  type: z.literal('voice.state'),
  userId: UserId,
  ...VoiceState.shape,
});
export type VoiceStateChanged = z.infer<typeof VoiceStateChanged>;

export const ErrorMessage = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** The `type` of the client message that caused the error, when known. */
  inReplyTo: z.optional(z.string().check(z.maxLength(64))),
  /** Identifies the refused request when its type is not enough (a chat message's clientId). */
  ref: z.optional(z.string().check(z.maxLength(64))),
  retryAfterMs: z.optional(z.int().check(z.nonnegative())),
});
export type ErrorMessage = z.infer<typeof ErrorMessage>;

/** Answer to `session.ping`. */
export const SessionPong = z.object({
  type: z.literal('session.pong'),
  seq: z.int().check(z.nonnegative(), z.lte(2 ** 31)),
});
export type SessionPong = z.infer<typeof SessionPong>;

export const ServerMessage = z.discriminatedUnion('type', [
  SessionWelcome,
  SessionPong,
  IceServersUpdated,
  RoomJoined,
  RoomLeft,
  PeerJoined,
  PeerLeft,
  PeerPresence,
  PeerSignalRelay,
  VoiceStateChanged,
  ChatAck,
  ChatMessageDelivered,
  ChatHistoryPage,
  ChatTyping,
  ChatCleared,
  RoomSettings,
  RoomOwnerKeyIssued,
  RoomInvite,
  RoomRemoved,
  ErrorMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageType = ServerMessage['type'];

