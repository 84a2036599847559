import { z } from 'zod';
import { LIMITS, ROOM_ID_PATTERN } from './limits';

// Control characters (C0, DEL, C1) and bidi overrides have no place in a name.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A display name: trimmed, 1..32 characters, printable. */
export const DisplayName = z
  .string()
  .trim()
  .min(1, 'display name is empty')
  .max(LIMITS.displayNameMaxChars, `display name is longer than ${LIMITS.displayNameMaxChars} characters`)
  .refine((s) => !FORBIDDEN_NAME_CHARS.test(s), 'display name contains control characters');
export type DisplayName = z.infer<typeof DisplayName>;

export const RoomId = z
  .string()
  .max(LIMITS.roomIdMaxChars)
  .regex(ROOM_ID_PATTERN, 'room id must be lowercase letters, digits and inner dashes');
export type RoomId = z.infer<typeof RoomId>;

/** Server-assigned participant id. Opaque to clients. */
export const UserId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
export type UserId = z.infer<typeof UserId>;

/** Issued in every `session.welcome`; presented in `session.hello` to come back as the same participant. Opaque to clients. */
export const ResumeToken = z.string().min(1).max(1024);
export type ResumeToken = z.infer<typeof ResumeToken>;

export const VoiceState = z.object({
  muted: z.boolean(),
  deafened: z.boolean(),
});
export type VoiceState = z.infer<typeof VoiceState>;

/** `online`: socket connected. `reconnecting`: socket lost, inside the grace period. */
export const Presence = z.enum(['online', 'reconnecting']);
export type Presence = z.infer<typeof Presence>;

export const Participant = z.object({
  userId: UserId,
  displayName: DisplayName,
  presence: Presence,
  ...VoiceState.shape,
});
export type Participant = z.infer<typeof Participant>;

export const SessionDescription = z.object({
  // Only offers and answers cross the wire; a rollback is always local.
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(LIMITS.sdpMaxChars),
});
export type SessionDescription = z.infer<typeof SessionDescription>;

export const IceCandidate = z.object({
  candidate: z.string().max(LIMITS.candidateMaxChars),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
export type IceCandidate = z.infer<typeof IceCandidate>;

/**
 * What one peer's link engine says to another through the server.
 * `epoch` names the sender's RTCPeerConnection incarnation for this link:
 * a receiver that sees a newer epoch knows the sender rebuilt its connection.
 * `restart` asks the peer that leads negotiation (the impolite side) to find
 * a new path: rebuild for a newer epoch, resend an unanswered offer, or
 * restart ICE. The polite side sends it instead of offering itself. Its
 * `reason` tells a slow negotiation from a broken path: `unheard` means "I
 * have not heard from your current connection yet; resend what you sent",
 * which never costs an ICE restart; `path` (or no reason, from older
 * clients) means the media path is down.
 */
export const Signal = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('description'),
    epoch: z.number().int().nonnegative(),
    description: SessionDescription,
  }),
  z.object({
    kind: z.literal('candidate'),
    epoch: z.number().int().nonnegative(),
    candidate: IceCandidate,
  }),
  z.object({
    kind: z.literal('restart'),
    epoch: z.number().int().nonnegative(),
    reason: z.enum(['unheard', 'path']).optional(),
  }),
]);
export type Signal = z.infer<typeof Signal>;

export const IceServer = z.object({
  urls: z.union([z.string().max(512), z.array(z.string().max(512)).max(16)]),
  username: z.string().max(512).optional(),
  credential: z.string().max(512).optional(),
});
export type IceServer = z.infer<typeof IceServer>;

export const IceTransportPolicy = z.enum(['all', 'relay']);
export type IceTransportPolicy = z.infer<typeof IceTransportPolicy>;
