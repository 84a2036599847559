import type { UserId } from '@parley/protocol';
import type { Effect } from './commands';
import { othersIn, roomOfUser, withEntry, withoutEntry, type RoomsState } from './state';
import type { Transition } from './transition';

/**
 * Leaving a room you are not in changes nothing and says nothing: it is already true.
 * The room goes from memory with its last member (its policy stays in the store).
 */
export function removeParticipant(state: RoomsState, userId: UserId, reason: 'left' | 'disconnected' | 'removed'): Transition {
  const room = roomOfUser(state, userId);
  if (!room) return { state, effects: [] };
  const participants = withoutEntry(room.participants, userId);
  const silenced = new Set(room.silenced);
  silenced.delete(userId);
  const rooms =
    participants.size === 0 ? withoutEntry(state.rooms, room.id) : withEntry(state.rooms, room.id, { ...room, participants, silenced });
  const effects: Effect[] = [{ to: othersIn(room, userId), message: { type: 'peer.left', userId, reason } }];
  if (reason === 'left') effects.push({ to: [userId], message: { type: 'room.left', roomId: room.id } });
  return { state: { rooms, roomOf: withoutEntry(state.roomOf, userId) }, effects };
}

