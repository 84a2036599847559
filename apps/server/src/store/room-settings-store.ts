import type { RoomId } from '@parley/protocol';

/** What the server keeps about a room between visits. Never holds a password or key in clear. */
export type StoredRoomSettings = {
  roomId: RoomId;
  /** SHA-256 (hex) of the owner key handed to the room's creator. */
  ownerKeyHash: string;
  /** scrypt hash string (format chosen by the caller, opaque here), or null: no password. */
  passwordHash: string | null;
  locked: boolean;
  listed: boolean;
  /** ms since epoch: the last time someone was in the room or its settings changed. */
  lastActiveAt: number;
};

/**
 * Where room settings live between visits. Synchronous, like the chat store:
 * each call has committed when it returns. Methods throw when the storage
 * fails. What it returns is a copy: changing it changes nothing stored.
 */
export type RoomSettingsStore = {
  get(roomId: RoomId): StoredRoomSettings | undefined;
  /** Inserts or replaces. */
  put(settings: StoredRoomSettings): void;
  /** Sets lastActiveAt (no-op for a room with no settings). */
  touch(roomId: RoomId, at: number): void;
  /** Deletes the settings of every room whose lastActiveAt < cutoff, except those in `keep` (rooms people are in now); returns their ids. */
  purgeInactive(cutoff: number, keep: ReadonlySet<RoomId>): RoomId[];
};
