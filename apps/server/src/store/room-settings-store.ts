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
  /** How many times the room's policy has changed (rooms/state.ts RoomPolicy.revision); 1 when it was made. */
  revision: number;
  /** ms since epoch: the last time someone was in the room or its settings changed. */
  lastActiveAt: number;
};

/**
 * Where room settings live between visits: SQLite in one process
 * (sqlite-room-settings-store.ts), or PostgreSQL shared by several nodes
 * (pg-room-settings-store.ts). Every method has committed when its promise
 * settles, and rejects when the storage fails. What it returns is a copy:
 * changing it changes nothing stored.
 *
 * Several nodes write the same settings (each applies every room command,
 * in one order, and stores what changed), some of them late. `put` therefore
 * never replaces settings of a later revision: whichever node writes last,
 * the store ends up with the newest.
 */
export type RoomSettingsStore = {
  get(roomId: RoomId): Promise<StoredRoomSettings | undefined>;
  /** Inserts, or replaces what is stored unless that is of a later revision (then changes nothing). */
  put(settings: StoredRoomSettings): Promise<void>;
  /** Deletes the settings of every room whose lastActiveAt < cutoff, except those in `keep` (rooms people are in now); resolves to their ids, sorted. */
  purgeInactive(cutoff: number, keep: ReadonlySet<RoomId>): Promise<RoomId[]>;
};
