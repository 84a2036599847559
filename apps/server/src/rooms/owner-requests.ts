import type { RoomConfigure, RoomInviteCreate, RoomMute, RoomRemove, UserId } from '@parley/protocol';
import type { Logger } from 'pino';
import type { InviteTokens } from '../session/invite-token';
import type { PolicyChange } from './commands';
import type { Deliver, RoomService } from './room-service';

export type OwnerRequests = {
  configure(userId: UserId, message: RoomConfigure): Promise<void>;
  invite(userId: UserId, message: RoomInviteCreate): void;
  remove(userId: UserId, message: RoomRemove): void;
  mute(userId: UserId, message: RoomMute): void;
};

export type OwnerRequestsDeps = {
  rooms: RoomService;
  invites: InviteTokens;
  hashPassword(password: string): Promise<string>;
  deliver: Deliver;
  logger: Logger;
};

/**
 * The owner's requests, as the socket hands them over: settings (a new
 * password is hashed first, off the event loop), invites, removal and
 * mute-for-everyone. Whether the sender is the owner is the room logic's call
 * (owner-commands.ts), except for invites, which change no room state.
 */
export function createOwnerRequests(deps: OwnerRequestsDeps): OwnerRequests {
  const { rooms } = deps;
  const log = deps.logger.child({ component: 'owner' });
  const isOwner = (userId: UserId, roomId: string): boolean => rooms.ownerOf(roomId) === userId;

  return {
    async configure(userId, { roomId, password, locked, listed }) {
      const change: PolicyChange = {
        ...(locked === undefined ? {} : { locked }),
        ...(listed === undefined ? {} : { listed }),
      };
      // Hash only for the owner: anyone else is refused by the room logic without costing an scrypt.
      if (password !== undefined && isOwner(userId, roomId)) change.passwordHash = password === null ? null : await deps.hashPassword(password);
      log.info({ userId, roomId, password: password === undefined ? 'unchanged' : password === null ? 'removed' : 'set', locked, listed }, 'room settings');
      rooms.dispatch({ kind: 'configure', userId, roomId, change });
    },
    invite(userId, { roomId }) {
      if (!isOwner(userId, roomId)) {
        const code = rooms.roomOf(userId) === roomId ? 'not_owner' : 'not_in_room';
        deps.deliver([userId], { type: 'error', code, message: 'only the room owner may invite', inReplyTo: 'room.invite' });
        return;
      }
      const { token, expiresAt } = deps.invites.issue(roomId);
      deps.deliver([userId], { type: 'room.invite', roomId, token, expiresAt });
    },
    remove(userId, { roomId, userId: target }) {
      rooms.dispatch({ kind: 'remove', userId, roomId, target });
    },
    mute(userId, { roomId, userId: target, muted }) {
      rooms.dispatch({ kind: 'mute', userId, roomId, target, muted });
    },
  };
}
