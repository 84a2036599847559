import type { UserId } from '@parley/protocol';
import type { RoomCommand } from '../rooms/commands';
import { sameListing } from '../rooms/restore';
import { roomOfUser, type RoomsState } from '../rooms/state';

/** A node's copy of the rooms and of where each participant is connected (participant-nodes.ts). */
export type Lineage = { rooms: RoomsState; nodes: ReadonlyMap<UserId, string> };

/** A command a node publishes about its own participants, guarded like BusEvent's `ifOn`. */
export type Reannouncement = { command: RoomCommand; ifOn: string | null };

/**
 * What node `self` tells the others after it adopted their state (`agreed`)
 * in place of its own (`mine`), both as of the same entry of the stream:
 * Redis lost commands that some nodes had read and others had not, and every
 * node now holds one node's copy. `self` is the authority on the
 * participants connected through it, so for each of them that the agreed
 * state lists otherwise (missing, in another room, on another node, with
 * another voice state or presence) it restores them as it had them; for
 * those the agreed state says are connected through it but its own copy does
 * not, it sends what it would have: a leave, or a disconnect when it knew
 * them on another node (that node restores them, or their grace runs out).
 *
 * Each carries the guard of what the agreed state said, so a command applied
 * since (they moved, they were removed, they expired) is not undone. Pure.
 */
export function reannounce(self: string, mine: Lineage, agreed: Lineage): Reannouncement[] {
  const out: Reannouncement[] = [];
  for (const [userId, node] of mine.nodes) {
    if (node !== self) continue;
    const room = roomOfUser(mine.rooms, userId);
    const listed = room?.participants.get(userId);
    if (!room || !listed) continue;
    const there = roomOfUser(agreed.rooms, userId);
    const theirs = there?.participants.get(userId);
    const at = agreed.nodes.get(userId) ?? null;
    if (at === self && there?.id === room.id && theirs !== undefined && sameListing(theirs, listed)) continue;
    const { displayName, presence, muted, deafened } = listed;
    out.push({
      command: {
        kind: 'restore',
        userId,
        roomId: room.id,
        participant: { displayName, presence, muted, deafened },
        policy: room.policy,
        keyHolder: room.keyHolderId === userId,
      },
      ifOn: at,
    });
  }
  for (const [userId, node] of agreed.nodes) {
    if (node !== self || mine.nodes.get(userId) === self) continue;
    const elsewhere = mine.rooms.roomOf.has(userId);
    out.push({ command: elsewhere ? { kind: 'disconnect', userId } : { kind: 'leave', userId }, ifOn: self });
  }
  return out;
}
