import type { RoomId, UserId } from '@parley/protocol';
import { removeParticipant } from './membership';
import { ownerOf, withEntry, type Room, type RoomsState } from './state';
import { refuse, type Command, type Transition } from './transition';

type OwnerCommand = Command<'configure'> | Command<'remove'> | Command<'mute'>;

/** The room `command` names, if its sender runs it now; otherwise the refusal to send. */
function ownedRoom(state: RoomsState, command: OwnerCommand): { room: Room } | { refused: Transition } {
  const room = state.rooms.get(command.roomId);
  if (!room || !room.participants.has(command.userId)) {
    return { refused: refuse(state, command, command.userId, 'not_in_room', `join room ${command.roomId} first`) };
  }
  if (ownerOf(room) !== command.userId) {
    return { refused: refuse(state, command, command.userId, 'not_owner', 'only the room owner may do that') };
  }
  return { room };
}

/** The other member `target` of `room`, or the refusal. */
function otherMember(state: RoomsState, command: Command<'remove'> | Command<'mute'>, room: Room): Transition | undefined {
  if (command.target === command.userId || !room.participants.has(command.target)) {
    return refuse(state, command, command.userId, 'peer_not_in_room', `${command.target} is not another participant of room ${room.id}`);
  }
  return undefined;
}

const withRoom = (state: RoomsState, roomId: RoomId, room: Room): RoomsState => ({
  rooms: withEntry(state.rooms, roomId, room),
  roomOf: state.roomOf,
});

/** Password, lock, listing. Who hears of it: everyone, through room.settings (see settings-effects.ts). */
export function configure(state: RoomsState, command: Command<'configure'>): Transition {
  const owned = ownedRoom(state, command);
  if ('refused' in owned) return owned.refused;
  const { room } = owned;
  const { change } = command;
  const policy = {
    ...room.policy,
    ...(change.passwordHash === undefined ? {} : { passwordHash: change.passwordHash }),
    ...(change.locked === undefined ? {} : { locked: change.locked }),
    ...(change.listed === undefined ? {} : { listed: change.listed }),
    revision: room.policy.revision + 1,
  };
  return { state: withRoom(state, room.id, { ...room, policy }), effects: [] };
}

/** Out of the room at once, for everyone; this identity may not come back into it. */
export function remove(state: RoomsState, command: Command<'remove'>): Transition {
  const owned = ownedRoom(state, command);
  if ('refused' in owned) return owned.refused;
  const { room } = owned;
  const refused = otherMember(state, command, room);
  if (refused) return refused;
  const removed = new Set(room.removed).add(command.target);
  const marked = withRoom(state, room.id, { ...room, removed });
  const out = removeParticipant(marked, command.target, 'removed');
  return { state: out.state, effects: [...out.effects, { to: [command.target], message: { type: 'room.removed', roomId: room.id } }] };
}

/** Muted for everyone, or allowed to speak again; receivers enforce it. */
export function mute(state: RoomsState, command: Command<'mute'>): Transition {
  const owned = ownedRoom(state, command);
  if ('refused' in owned) return owned.refused;
  const { room } = owned;
  const refused = otherMember(state, command, room);
  if (refused) return refused;
  const silenced = new Set(room.silenced);
  if (command.muted) silenced.add(command.target);
  else silenced.delete(command.target);
  return { state: withRoom(state, room.id, { ...room, silenced }), effects: [] };
}
