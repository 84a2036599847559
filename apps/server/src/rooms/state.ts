import type { Participant, RoomId, UserId } from '@parley/protocol';

/** One room: its participants in join order. */
export type Room = {
  readonly id: RoomId;
  readonly participants: ReadonlyMap<UserId, Participant>;
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

export function roster(room: Room): Participant[] {
  return [...room.participants.values()];
}

export function othersIn(room: Room, userId: UserId): UserId[] {
  return [...room.participants.keys()].filter((id) => id !== userId);
}
