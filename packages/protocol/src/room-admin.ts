import * as z from 'zod/mini';
import { DisplayName, RoomId, UserId } from './fields';
import { LIMITS } from './limits';

// Who may enter a room and what its owner may do: owner keys, passwords,
// invites, lock, listing, removal and mute-for-everyone.

/** A room password as typed: 1..128 characters, compared exactly (never trimmed). */
export const RoomPassword = z.string().check(
  z.minLength(1, 'password is empty'),
  z.maxLength(LIMITS.roomPasswordMaxChars, `password is longer than ${LIMITS.roomPasswordMaxChars} characters`),
);
export type RoomPassword = z.infer<typeof RoomPassword>;

/**
 * Proof of ownership the server hands the room's creator once (`room.ownerKey`);
 * the creator's browser keeps it and presents it in `room.join` to be the owner again.
 */
export const OwnerKey = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,128}$/, 'owner key must be 16-128 URL-safe characters'));
export type OwnerKey = z.infer<typeof OwnerKey>;

/** A signed invitation into one room, as the invite link's fragment carries it. Opaque to clients. */
export const InviteToken = z.string().check(z.minLength(1), z.maxLength(LIMITS.inviteTokenMaxChars));
export type InviteToken = z.infer<typeof InviteToken>;

/** What the owner may change. An absent field stays as it is; `password: null` removes the password. */
export const RoomSettingsChange = z.object({
  password: z.optional(z.nullable(RoomPassword)),
  locked: z.optional(z.boolean()),
  listed: z.optional(z.boolean()),
});
export type RoomSettingsChange = z.infer<typeof RoomSettingsChange>;

// Client -> server

/** The owner changes the room's settings; everyone in the room gets `room.settings`. */
export const RoomConfigure = z.object({
  type: z.literal('room.configure'),
  roomId: RoomId,
  ...RoomSettingsChange.shape,
});
export type RoomConfigure = z.infer<typeof RoomConfigure>;

/** The owner asks for an invite link's token; answered with `room.invite`. */
export const RoomInviteCreate = z.object({
  type: z.literal('room.invite'),
  roomId: RoomId,
});
export type RoomInviteCreate = z.infer<typeof RoomInviteCreate>;

/** The owner removes a participant: out of every roster, their session for the room revoked. */
export const RoomRemove = z.object({
  type: z.literal('room.remove'),
  roomId: RoomId,
  userId: UserId,
});
export type RoomRemove = z.infer<typeof RoomRemove>;

/** The owner mutes (or lets speak again) a participant for everyone. */
export const RoomMute = z.object({
  type: z.literal('room.mute'),
  roomId: RoomId,
  userId: UserId,
  muted: z.boolean(),
});
export type RoomMute = z.infer<typeof RoomMute>;

/** The owner deletes the room's chat history; everyone in the room gets `chat.cleared`. */
export const ChatClear = z.object({
  type: z.literal('chat.clear'),
  roomId: RoomId,
});
export type ChatClear = z.infer<typeof ChatClear>;

// Server -> client

/**
 * The room's settings as every member sees them; sent after `room.joined` and
 * whenever they change. The password itself is never sent, only whether there is one.
 */
export const RoomSettings = z.object({
  type: z.literal('room.settings'),
  roomId: RoomId,
  /** Who may change settings, remove and mute now: the key holder when present, else the member present longest. */
  ownerId: z.optional(UserId),
  passwordRequired: z.boolean(),
  locked: z.boolean(),
  listed: z.boolean(),
  /** Participants the owner muted for everyone: receivers do not play their audio. */
  silenced: z.array(UserId).check(z.maxLength(LIMITS.maxRoomSize)),
});
export type RoomSettings = z.infer<typeof RoomSettings>;

/** To the room's creator only, once: keep it to be the owner again after leaving. */
export const RoomOwnerKeyIssued = z.object({
  type: z.literal('room.ownerKey'),
  roomId: RoomId,
  ownerKey: OwnerKey,
});
export type RoomOwnerKeyIssued = z.infer<typeof RoomOwnerKeyIssued>;

/** Answer to the owner's `room.invite`. */
export const RoomInvite = z.object({
  type: z.literal('room.invite'),
  roomId: RoomId,
  token: InviteToken,
  /** When the token stops admitting anyone (ms since epoch). */
  expiresAt: z.int(),
});
export type RoomInvite = z.infer<typeof RoomInvite>;

/** To the removed participant: they are out of the room and may not resume it. */
export const RoomRemoved = z.object({
  type: z.literal('room.removed'),
  roomId: RoomId,
});
export type RoomRemoved = z.infer<typeof RoomRemoved>;

/** The room's history was deleted by its owner. */
export const ChatCleared = z.object({
  type: z.literal('chat.cleared'),
  roomId: RoomId,
});
export type ChatCleared = z.infer<typeof ChatCleared>;

/** One listed room as the lobby shows it (GET /api/rooms, a server-sent event stream). */
export const ListedRoom = z.object({
  roomId: RoomId,
  people: z.array(DisplayName).check(z.maxLength(LIMITS.maxRoomSize)),
  passwordRequired: z.boolean(),
  locked: z.boolean(),
});
export type ListedRoom = z.infer<typeof ListedRoom>;

export const ListedRooms = z.object({ rooms: z.array(ListedRoom) });
export type ListedRooms = z.infer<typeof ListedRooms>;
