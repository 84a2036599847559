import type { Participant, RoomId, UserId } from '@parley/protocol';

/** What decides who gets into a room; kept between visits (store/room-settings-store.ts). */
export type RoomPolicy = {
  /** SHA-256 (hex) of the owner key its creator holds; '' when nobody holds one. */
  readonly ownerKeyHash: string;
  /** scrypt hash (rooms/password-hash.ts), or null: no password. */
  readonly passwordHash: string | null;
  /** Nobody new gets in; members and people resuming their own session still do. */
  readonly locked: boolean;
  /** Shown, with who is in it, in every lobby's "Open rooms". */
  readonly listed: boolean;
  /**
   * 1 when the room is made, one more for each change of its owner's. Every
   * node counts alike (same commands, same order), so a stored copy can tell
   * a late write of an older policy from a newer one and keep the newer.
   */
  readonly revision: number;
};

export const OPEN_POLICY: RoomPolicy = { ownerKeyHash: '', passwordHash: null, locked: false, listed: false, revision: 1 };

/** One room: its participants in join order, its policy, and what its owner decided about people. */
export type Room = {
  readonly id: RoomId;
  readonly participants: ReadonlyMap<UserId, Participant>;
  readonly policy: RoomPolicy;
  /** The participant who holds the owner key (created the room, or presented the key), while they are in it. */
  readonly keyHolderId?: UserId | undefined;
  /** Muted for everyone by the owner: receivers do not play them. */
  readonly silenced: ReadonlySet<UserId>;
  /** Removed by the owner: these identities may not join or resume the room again. */
  readonly removed: ReadonlySet<UserId>;
};

/** Every room on this server, and which room each participant is in. Immutable. */
export type RoomsState = {
  readonly rooms: ReadonlyMap<RoomId, Room>;
  readonly roomOf: ReadonlyMap<UserId, RoomId>;
};

export const emptyRoomsState: RoomsState = { rooms: new Map(), roomOf: new Map() };

export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  const next = new Map(map);
  next.set(key, value);
  return next;
}

export function withoutEntry<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  const next = new Map(map);
  next.delete(key);
  return next;
}

/** The room a participant is in, if any. */
export function roomOfUser(state: RoomsState, userId: UserId): Room | undefined {
  const roomId = state.roomOf.get(userId);
  return roomId === undefined ? undefined : state.rooms.get(roomId);
}

/** How a participant is listed in their room (name, presence, voice), if they are in one. */
export function participantOf(state: RoomsState, userId: UserId): Participant | undefined {
  return roomOfUser(state, userId)?.participants.get(userId);
}

export function roster(room: Room): Participant[] {
  return [...room.participants.values()];
}

/**
 * Who may run the room now: the key holder while they are in it, otherwise
 * the member present longest (join order). Undefined only for an empty room.
 */
export function ownerOf(room: Room): UserId | undefined {
  if (room.keyHolderId !== undefined && room.participants.has(room.keyHolderId)) return room.keyHolderId;
  return room.participants.keys().next().value;
}

export function othersIn(room: Room, userId: UserId): UserId[] {
  return [...room.participants.keys()].filter((id) => id !== userId);
}
