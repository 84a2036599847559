import type { Participant } from '@parley/protocol';
import type { Effect } from './commands';
import { removeParticipant } from './membership';
import { distinctName } from './names';
import { othersIn, roomOfUser, withEntry, type Room, type RoomsState } from './state';
import type { Command, Transition } from './transition';

/**
 * A node says where one of its participants is and how they are listed, after
 * Redis lost commands that some nodes had read and others had not
 * (cluster/reannounce.ts). The participant is put there: moved out of another
 * room, added at the end of this one (which is created with the node's policy
 * if nobody else knew it), or updated in place. The others hear it as they
 * would have heard the lost commands; the participant's own page already
 * shows it, so it hears nothing. Someone the owner has removed stays out, and
 * is told so again. Pure.
 */
export function restore(state: RoomsState, command: Command<'restore'>): Transition {
  const { userId, roomId, participant: said } = command;
  const target = state.rooms.get(roomId);
  if (target?.removed.has(userId)) return { state, effects: [{ to: [userId], message: { type: 'room.removed', roomId } }] };
  const current = roomOfUser(state, userId);
  const left = current && current.id !== roomId ? removeParticipant(state, userId, 'left') : { state, effects: [] };
  const before = left.state.rooms.get(roomId);
  const known = before?.participants.get(userId);
  const others = before ? [...before.participants.values()].filter((p) => p.userId !== userId).map((p) => p.displayName) : [];
  const participant: Participant = {
    userId,
    displayName: distinctName(said.displayName, others),
    presence: said.presence,
    muted: said.muted,
    deafened: said.deafened,
  };
  if (known && sameListing(known, participant)) return left;

  const keyHolderIn = (room: Room): boolean => room.keyHolderId !== undefined && room.participants.has(room.keyHolderId);
  const room: Room = before
    ? {
        ...before,
        participants: withEntry(before.participants, userId, participant),
        keyHolderId: command.keyHolder && !keyHolderIn(before) ? userId : before.keyHolderId,
      }
    : {
        id: roomId,
        participants: new Map([[userId, participant]]),
        policy: command.policy,
        keyHolderId: command.keyHolder ? userId : undefined,
        silenced: new Set(),
        removed: new Set(),
      };
  return {
    state: { rooms: withEntry(left.state.rooms, roomId, room), roomOf: withEntry(left.state.roomOf, userId, roomId) },
    effects: [...left.effects, ...toOthers(othersIn(room, userId), known, participant)],
  };
}

/** Whether two listings of one participant read alike on a page: name, presence and voice state. */
export function sameListing(a: Participant, b: Participant): boolean {
  return a.displayName === b.displayName && a.presence === b.presence && a.muted === b.muted && a.deafened === b.deafened;
}

/** What the others would have heard: a joiner (or a rename) as peer.joined, otherwise just what changed. */
function toOthers(to: Participant['userId'][], known: Participant | undefined, now: Participant): Effect[] {
  if (!known || known.displayName !== now.displayName) return [{ to, message: { type: 'peer.joined', participant: now } }];
  const effects: Effect[] = [];
  if (known.presence !== now.presence) effects.push({ to, message: { type: 'peer.presence', userId: now.userId, presence: now.presence } });
  if (known.muted !== now.muted || known.deafened !== now.deafened) {
    effects.push({ to, message: { type: 'voice.state', userId: now.userId, muted: now.muted, deafened: now.deafened } });
  }
  return effects;
}
