import type { RoomId, RoomSettings, UserId } from '@parley/protocol';
import type { Effect, RoomCommand } from './commands';
import { ownerOf, type Room, type RoomsState } from './state';

/** A room's settings as its members see them: never the password, only whether there is one. */
export function settingsOf(room: Room): RoomSettings {
  const ownerId = ownerOf(room);
  return {
    type: 'room.settings',
    roomId: room.id,
    ...(ownerId === undefined ? {} : { ownerId }),
    passwordRequired: room.policy.passwordHash !== null,
    locked: room.policy.locked,
    listed: room.policy.listed,
    silenced: [...room.silenced].filter((userId) => room.participants.has(userId)),
  };
}

/** The rooms a command may have changed. */
export function roomsTouched(before: RoomsState, after: RoomsState, command: RoomCommand): RoomId[] {
  if (command.kind === 'signal') return [];
  const ids = [before.roomOf.get(command.userId), after.roomOf.get(command.userId)];
  if ('roomId' in command) ids.push(command.roomId);
  return [...new Set(ids.filter((id): id is RoomId => id !== undefined))];
}

const same = (a: RoomSettings | undefined, b: RoomSettings): boolean => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/**
 * The `room.settings` a command calls for: to everyone in a room whose
 * settings (owner, password, lock, listing, who is muted for everyone)
 * changed, and to whoever just got a roster (a join, a resume), who needs
 * them beside it. Pure, like the room logic it follows.
 */
export function settingsEffects(before: RoomsState, after: RoomsState, command: RoomCommand): Effect[] {
  const effects: Effect[] = [];
  for (const roomId of roomsTouched(before, after, command)) {
    const room = after.rooms.get(roomId);
    if (!room) continue;
    const previous = before.rooms.get(roomId);
    const now = settingsOf(room);
    const changed = !same(previous && settingsOf(previous), now);
    const gotRoster: UserId[] =
      (command.kind === 'join' || command.kind === 'resume') && after.roomOf.get(command.userId) === roomId ? [command.userId] : [];
    const to = changed ? [...room.participants.keys()] : gotRoster;
    if (to.length > 0) effects.push({ to, message: now });
  }
  return effects;
}
