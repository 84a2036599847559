import * as z from 'zod/mini';
import { LIMITS, ROOM_ID_PATTERN } from './limits';

/**
 * Bidi controls: the marks (U+200E, U+200F, U+061C), embeddings and overrides
 * (U+202A-U+202E) and isolates (U+2066-U+2069). They reorder what is shown
 * around them, so a name could pass for another or flip the text after it.
 */
const BIDI_CONTROLS = String.raw`\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069`;

/**
 * Characters that show nothing by themselves: zero-width ones (U+200B-U+200D,
 * U+2060, U+FEFF), fillers that render blank (U+115F, U+1160, U+3164, U+FFA0,
 * the braille blank U+2800), and a few more of the same kind (soft hyphen,
 * combining grapheme joiner, Mongolian vowel separator, invisible operators,
 * Khmer inherent vowels, variation selectors). Some have honest uses inside a
 * name (a zero-width joiner builds an emoji), so they are allowed there, but a
 * name made only of them and spaces is empty.
 */
const INVISIBLE = String.raw`\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200d\u2060-\u2064\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0`;

/** Tag characters (U+E0000-U+E007F), as UTF-16: invisible too. */
const TAG = String.raw`\udb40[\udc00-\udc7f]`;

/** C0 controls, DEL, C1 controls, the line and paragraph separators, and bidi controls: refused anywhere in a name. */
const FORBIDDEN_NAME_CHARS = new RegExp(String.raw`[\u0000-\u001f\u007f-\u009f\u2028\u2029${BIDI_CONTROLS}]`);

/** Half of a surrogate pair without its other half: not a character, and no valid UTF-8 on the way out. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const ALL_BIDI_CONTROLS = new RegExp(`[${BIDI_CONTROLS}]`, 'g');
const ALL_INVISIBLE = new RegExp(`[${INVISIBLE}]|${TAG}`, 'g');

/** `text` without its bidi controls. */
export function stripBidiControls(text: string): string {
  return text.replace(ALL_BIDI_CONTROLS, '');
}

/** Whether `name` shows nothing: nothing but white space and invisible characters. */
export function isBlankName(name: string): boolean {
  return name.replace(ALL_INVISIBLE, '').trim().length === 0;
}

/**
 * Names people would take for one another have the same key: NFC-normalised,
 * without invisible characters, trimmed, lower-cased. (Look-alikes from other
 * scripts, "Аda" with a Cyrillic A, are not caught.)
 */
export function displayNameKey(name: string): string {
  return name.normalize('NFC').replace(ALL_INVISIBLE, '').trim().toLowerCase();
}

/**
 * A display name: trimmed, 1..32 characters (UTF-16 code units), printable:
 * no control, line-separator or bidi characters and no lone surrogates
 * anywhere, and something visible once invisible characters (zero-width,
 * fillers) are set aside.
 */
export const DisplayName = z.string().check(
  z.trim(),
  z.minLength(1, 'display name is empty'),
  z.maxLength(LIMITS.displayNameMaxChars, `display name is longer than ${LIMITS.displayNameMaxChars} characters`),
  z.refine((s) => !FORBIDDEN_NAME_CHARS.test(s), 'display name contains control characters'),
  z.refine((s) => !LONE_SURROGATE.test(s), 'display name contains a broken character'),
  z.refine((s) => s.length === 0 || !isBlankName(s), 'display name has nothing visible in it'),
);
export type DisplayName = z.infer<typeof DisplayName>;

export const RoomId = z.string().check(
  z.maxLength(LIMITS.roomIdMaxChars),
  z.regex(ROOM_ID_PATTERN, 'room id must be lowercase letters, digits and inner dashes'),
);
export type RoomId = z.infer<typeof RoomId>;

/** Server-assigned participant id. Opaque to clients. */
export const UserId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/));
export type UserId = z.infer<typeof UserId>;

/** Issued in every `session.welcome`; presented in `session.hello` to come back as the same participant. Opaque to clients. */
export const ResumeToken = z.string().check(z.minLength(1), z.maxLength(1024));
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
  sdp: z.string().check(z.maxLength(LIMITS.sdpMaxChars)),
});
export type SessionDescription = z.infer<typeof SessionDescription>;

export const IceCandidate = z.object({
  candidate: z.string().check(z.maxLength(LIMITS.candidateMaxChars)),
  sdpMid: z.optional(z.nullable(z.string().check(z.maxLength(64)))),
  sdpMLineIndex: z.optional(z.nullable(z.int().check(z.gte(0), z.lte(255)))),
  usernameFragment: z.optional(z.nullable(z.string().check(z.maxLength(256)))),
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
    epoch: z.int().check(z.nonnegative()),
    description: SessionDescription,
  }),
  z.object({
    kind: z.literal('candidate'),
    epoch: z.int().check(z.nonnegative()),
    candidate: IceCandidate,
  }),
  z.object({
    kind: z.literal('restart'),
    epoch: z.int().check(z.nonnegative()),
    reason: z.optional(z.enum(['unheard', 'path'])),
  }),
]);
export type Signal = z.infer<typeof Signal>;

export const IceServer = z.object({
  urls: z.union([z.string().check(z.maxLength(512)), z.array(z.string().check(z.maxLength(512))).check(z.maxLength(16))]),
  username: z.optional(z.string().check(z.maxLength(512))),
  credential: z.optional(z.string().check(z.maxLength(512))),
});
export type IceServer = z.infer<typeof IceServer>;

export const IceTransportPolicy = z.enum(['all', 'relay']);
export type IceTransportPolicy = z.infer<typeof IceTransportPolicy>;
