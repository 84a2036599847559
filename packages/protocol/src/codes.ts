/**
 * Error codes carried by `{type: 'error'}` frames. A client can switch on them;
 * the `message` beside them is for people and logs.
 */
export const ERROR_CODES = [
  /** The frame was not valid JSON. */
  'bad_json',
  /** Valid JSON, but not a message this protocol defines (unknown type, bad fields). */
  'invalid_message',
  /** The frame exceeded LIMITS.maxFrameBytes. */
  'frame_too_large',
  /** `session.hello` named a protocol version the server does not speak. */
  'unsupported_version',
  /** A message other than `session.hello` arrived before the handshake. */
  'not_authenticated',
  /** A second `session.hello` on a socket that already completed one. */
  'already_authenticated',
  /** The message needs a room and the sender is in none. */
  'not_in_room',
  /** `peer.signal` named a user who is not in the sender's room. */
  'peer_not_in_room',
  /** The room already holds LIMITS.maxRoomSize participants. */
  'room_full',
  /** The room has a password and `room.join` carried none (and no invite). */
  'password_required',
  /** `room.join` carried a password that is not the room's. Attempts are limited (then `rate_limited`). */
  'wrong_password',
  /** The room is locked: only people already in it (or resuming) get in. */
  'room_locked',
  /** The owner removed this participant from the room; this identity may not rejoin it. */
  'removed',
  /** Only the room's owner may do that. */
  'not_owner',
  /** The invite token is forged, malformed, for another room, or expired. */
  'invite_invalid',
  /** Too many messages; `retryAfterMs` says when to try again. */
  'rate_limited',
  /** The server failed; the message changed nothing. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Application WebSocket close codes (RFC 6455 reserves 4000-4999 for
 * applications). 1000 and 1001 keep their standard meaning: normal closure,
 * and server going away (shutdown).
 */
export const CLOSE_CODES = {
  /** The client's protocol version is not supported; reconnecting will not help. */
  unsupportedVersion: 4000,
  /** No `session.hello` arrived within the handshake timeout. */
  handshakeTimeout: 4001,
  /** Another socket resumed this session; this one is superseded. Do not reconnect. */
  replaced: 4002,
  /** Repeated invalid, refused or rate-limited frames. Do not reconnect at once. */
  policyViolation: 4003,
  /** The client did not read what the server sent: more than LIMITS.maxBufferedBytes waited to go out. */
  tooSlow: 4004,
} as const;
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
