import type { Participant, RoomId, UserId } from '@parley/protocol';
import type { Room, RoomPolicy, RoomsState } from '../rooms/state';

/** A Room as JSON can carry it: its maps and sets as arrays, in their order. */
type RoomJson = {
  id: RoomId;
  participants: Participant[];
  policy: RoomPolicy;
  keyHolderId?: UserId;
  silenced: UserId[];
  removed: UserId[];
};

/** The rooms state as JSON (join order kept): what a starting node gets from the others. */
export function encodeRoomsState(state: RoomsState): RoomJson[] {
  return [...state.rooms.values()].map((room) => ({
    id: room.id,
    participants: [...room.participants.values()],
    policy: room.policy,
    ...(room.keyHolderId === undefined ? {} : { keyHolderId: room.keyHolderId }),
    silenced: [...room.silenced],
    removed: [...room.removed],
  }));
}

/** The inverse of encodeRoomsState. Comes from the other nodes of the cluster, which the node trusts like itself. */
export function decodeRoomsState(json: unknown): RoomsState {
  if (!Array.isArray(json)) throw new Error('rooms snapshot is not an array');
  const rooms = new Map<RoomId, Room>();
  const roomOf = new Map<UserId, RoomId>();
  for (const entry of json as RoomJson[]) {
    const participants = new Map(entry.participants.map((p) => [p.userId, p] as const));
    rooms.set(entry.id, {
      id: entry.id,
      participants,
      policy: entry.policy,
      ...(entry.keyHolderId === undefined ? {} : { keyHolderId: entry.keyHolderId }),
      silenced: new Set(entry.silenced),
      removed: new Set(entry.removed),
    });
    for (const userId of participants.keys()) roomOf.set(userId, entry.id);
  }
  return { rooms, roomOf };
}
