import { assertNever, type DisplayName, type Participant, type Presence, type UserId } from '@parley/protocol';
import { admit } from './admission';
import { NO_CREDENTIALS, type Effect, type RoomCommand } from './commands';
import { removeParticipant } from './membership';
import { distinctName, nameOnReturn } from './names';
import { configure, mute, remove } from './owner-commands';
import { restore } from './restore';
import { OPEN_POLICY, othersIn, participantOf, roomOfUser, roster, withEntry, withoutEntry, type Room, type RoomsState } from './state';
import { refuse, type Command, type Transition } from './transition';

export type { Transition } from './transition';

/** The whole room logic: state + command -> new state + messages to send. Pure. */
export function applyCommand(state: RoomsState, command: RoomCommand): Transition {
  const next = transition(state, command);
  return { state: next.state, effects: next.effects.filter((effect) => effect.to.length > 0) };
}

function transition(state: RoomsState, command: RoomCommand): Transition {
  switch (command.kind) {
    case 'join':
      return join(state, command);
    case 'leave':
      return removeParticipant(state, command.userId, 'left');
    case 'disconnect':
      return setPresence(state, command.userId, 'reconnecting');
    case 'resume':
      return resume(state, command.userId, command.displayName);
    case 'expire':
      return expire(state, command.userId);
    case 'signal':
      return signal(state, command);
    case 'voiceState':
      return voiceState(state, command);
    case 'configure':
      return configure(state, command);
    case 'remove':
      return remove(state, command);
    case 'mute':
      return mute(state, command);
    case 'restore':
      return restore(state, command);
    default:
      return assertNever(command, 'room command');
  }
}

function join(state: RoomsState, command: Command<'join'>): Transition {
  const { userId, roomId } = command;
  const current = roomOfUser(state, userId);
  // Joining the room you are in again: answer with the roster, never list anyone twice.
  if (current?.id === roomId) return resume(state, userId, command.displayName);
  const target = state.rooms.get(roomId);
  const admission = command.admission ?? NO_CREDENTIALS;
  // A room nobody is in takes its stored policy; one with none is new, and its creator holds the key.
  const creating = !target && admission.stored === undefined;
  const policy = target?.policy ?? admission.stored ?? { ...OPEN_POLICY, ownerKeyHash: admission.newOwnerKeyHash ?? '' };
  const decision = creating ? { ok: true as const, keyHolder: admission.newOwnerKeyHash !== undefined } : admit(target, policy, userId, admission);
  if (!decision.ok) return refuse(state, command, userId, decision.code, decision.message);

  // Leave the current room first; the leaver hears room.left before room.joined.
  const left = current ? removeParticipant(state, userId, 'left') : { state, effects: [] };
  const before = left.state.rooms.get(roomId);
  const participant: Participant = {
    userId,
    // A second "Ada" is listed as "Ada (2)": the roster, the others and the joiner all say so.
    displayName: distinctName(command.displayName, namesIn(before, userId)),
    presence: 'online',
    muted: command.voice?.muted ?? false,
    deafened: command.voice?.deafened ?? false,
  };
  const room: Room = {
    id: roomId,
    participants: withEntry(before?.participants ?? new Map(), userId, participant),
    policy,
    keyHolderId: decision.keyHolder ? userId : before?.keyHolderId,
    silenced: before?.silenced ?? new Set(),
    removed: before?.removed ?? new Set(),
  };
  return {
    state: {
      rooms: withEntry(left.state.rooms, roomId, room),
      roomOf: withEntry(left.state.roomOf, userId, roomId),
    },
    effects: [
      ...left.effects,
      { to: [userId], message: { type: 'room.joined', roomId, selfId: userId, participants: roster(room) } },
      { to: othersIn(room, userId), message: { type: 'peer.joined', participant } },
    ],
  };
}

/** Presence changes are told to the others; setting the presence one already has says nothing. */
function setPresence(state: RoomsState, userId: UserId, presence: Presence): Transition {
  const room = roomOfUser(state, userId);
  const participant = room?.participants.get(userId);
  if (!room || !participant || participant.presence === presence) return { state, effects: [] };
  const updated: Room = { ...room, participants: withEntry(room.participants, userId, { ...participant, presence }) };
  return {
    state: { rooms: withEntry(state.rooms, room.id, updated), roomOf: state.roomOf },
    effects: [{ to: othersIn(room, userId), message: { type: 'peer.presence', userId, presence } }],
  };
}

/** The names of everyone in `room` but `userId`. */
function namesIn(room: Room | undefined, userId: UserId): DisplayName[] {
  return room ? [...room.participants.values()].filter((p) => p.userId !== userId).map((p) => p.displayName) : [];
}

/**
 * Back on a socket: online again, and a fresh roster for the returning participant.
 * Back under another name: renamed (told apart from the others like a joiner),
 * and the others hear it as a `peer.joined` for someone they know, which clients
 * take as an update in place (presence included, so no `peer.presence` as well).
 */
function resume(state: RoomsState, userId: UserId, displayName?: DisplayName): Transition {
  const renamed = displayName === undefined ? undefined : rename(state, userId, displayName);
  if (renamed) return renamed;
  const online = setPresence(state, userId, 'online');
  const room = roomOfUser(online.state, userId);
  if (!room) return online;
  return {
    state: online.state,
    effects: [
      ...online.effects,
      { to: [userId], message: { type: 'room.joined', roomId: room.id, selfId: userId, participants: roster(room) } },
    ],
  };
}

/** A returning participant under another name; undefined when the name stays as it is. */
function rename(state: RoomsState, userId: UserId, requested: DisplayName): Transition | undefined {
  const room = roomOfUser(state, userId);
  const participant = room?.participants.get(userId);
  if (!room || !participant) return undefined;
  const displayName = nameOnReturn(participant.displayName, requested, namesIn(room, userId));
  if (displayName === participant.displayName) return undefined;
  const renamed: Participant = { ...participant, displayName, presence: 'online' };
  const updated: Room = { ...room, participants: withEntry(room.participants, userId, renamed) };
  return {
    state: { rooms: withEntry(state.rooms, room.id, updated), roomOf: state.roomOf },
    effects: [
      { to: othersIn(room, userId), message: { type: 'peer.joined', participant: renamed } },
      { to: [userId], message: { type: 'room.joined', roomId: room.id, selfId: userId, participants: roster(updated) } },
    ],
  };
}

/** The grace period ran out: gone for good, unless they came back in the meantime. */
function expire(state: RoomsState, userId: UserId): Transition {
  const participant = participantOf(state, userId);
  if (participant?.presence !== 'reconnecting') return { state, effects: [] };
  return removeParticipant(state, userId, 'disconnected');
}

function signal(state: RoomsState, command: Command<'signal'>): Transition {
  const { from, to } = command;
  const room = roomOfUser(state, from);
  if (!room) return refuse(state, command, from, 'not_in_room', 'join a room before signalling');
  const target = room.participants.get(to);
  if (to === from || !target) {
    return refuse(state, command, from, 'peer_not_in_room', `${to} is not another participant of room ${room.id}`);
  }
  // Still a member, but without a socket: the signal has nowhere to go. The sender
  // renegotiates once it sees the target online again.
  if (target.presence === 'reconnecting') return { state, effects: [] };
  return { state, effects: [{ to: [to], message: { type: 'peer.signal', from, signal: command.signal } }] };
}

function voiceState(state: RoomsState, command: Command<'voiceState'>): Transition {
  const { userId, muted, deafened } = command;
  const room = roomOfUser(state, userId);
  const participant = room?.participants.get(userId);
  if (!room || !participant) return refuse(state, command, userId, 'not_in_room', 'join a room before setting voice state');
  if (participant.muted === muted && participant.deafened === deafened) return { state, effects: [] };
  const updated: Room = { ...room, participants: withEntry(room.participants, userId, { ...participant, muted, deafened }) };
  return {
    state: { rooms: withEntry(state.rooms, room.id, updated), roomOf: state.roomOf },
    // The sender already shows its own state; echoing it back could undo a quick second toggle.
    effects: [{ to: othersIn(room, userId), message: { type: 'voice.state', userId, muted, deafened } }],
  };
}
