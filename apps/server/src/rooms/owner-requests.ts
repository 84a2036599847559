import type { RoomConfigure, RoomInviteCreate, RoomMute, RoomRemove, UserId } from '@parley/protocol';
import type { Logger } from 'pino';
import type { RateLimit } from '../chat/rate-limiter';
import type { Clock } from '../clock';
import { createLocalBudgets, type Budget, type Budgets } from '../limits/budgets';
import type { InviteTokens } from '../session/invite-token';
import type { PolicyChange } from './commands';
import type { Deliver, RoomService } from './room-service';

/** Each settles once the request is answered or handed to the room logic. */
export type OwnerRequests = {
  configure(userId: UserId, message: RoomConfigure): Promise<void>;
  invite(userId: UserId, message: RoomInviteCreate): Promise<void>;
  remove(userId: UserId, message: RoomRemove): Promise<void>;
  mute(userId: UserId, message: RoomMute): Promise<void>;
};

export type OwnerRequestsDeps = {
  rooms: RoomService;
  invites: InviteTokens;
  hashPassword(password: string): Promise<string>;
  deliver: Deliver;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /** How often one owner may send requests; a person clicking never comes near it. */
  rate?: RateLimit;
  /** Where it is counted: shared by the nodes of a cluster; in this process when not given. */
  budgets?: Budgets;
};

export const OWNER_REQUEST_RATE: RateLimit = { perS: 2, burst: 10 };

/**
 * The owner's requests, as the socket hands them over: settings (a new
 * password is hashed first, off the event loop), invites, removal and
 * mute-for-everyone. Whether the sender is the owner is the room logic's call
 * (owner-commands.ts), except for invites, which change no room state.
 */
export function createOwnerRequests(deps: OwnerRequestsDeps): OwnerRequests {
  const { rooms } = deps;
  const log = deps.logger.child({ component: 'owner' });
  const budgets = deps.budgets ?? createLocalBudgets(deps.clock);
  const perOwner: Budget = { name: 'owner.request', ...(deps.rate ?? OWNER_REQUEST_RATE) };
  const isOwner = (userId: UserId, roomId: string): boolean => rooms.ownerOf(roomId) === userId;

  /** Whether `userId` may send another request now; if not, they hear when. */
  const allowed = async (userId: UserId, inReplyTo: string): Promise<boolean> => {
    const take = await budgets.take([{ budget: perOwner, key: userId }]);
    if (take.ok) return true;
    deps.deliver([userId], { type: 'error', code: 'rate_limited', message: 'too many requests; wait and try again', inReplyTo, retryAfterMs: take.retryAfterMs });
    return false;
  };

  return {
    async configure(userId, { roomId, password, locked, listed }) {
      if (!(await allowed(userId, 'room.configure'))) return;
      const change: PolicyChange = {
        ...(locked === undefined ? {} : { locked }),
        ...(listed === undefined ? {} : { listed }),
      };
      // Hash only for the owner: anyone else is refused by the room logic without costing an scrypt.
      if (password !== undefined && isOwner(userId, roomId)) change.passwordHash = password === null ? null : await deps.hashPassword(password);
      log.info({ userId, roomId, password: password === undefined ? 'unchanged' : password === null ? 'removed' : 'set', locked, listed }, 'room settings');
      rooms.dispatch({ kind: 'configure', userId, roomId, change });
    },
    async invite(userId, { roomId }) {
      if (!(await allowed(userId, 'room.invite'))) return;
      if (!isOwner(userId, roomId)) {
        const code = rooms.roomOf(userId) === roomId ? 'not_owner' : 'not_in_room';
        deps.deliver([userId], { type: 'error', code, message: 'only the room owner may invite', inReplyTo: 'room.invite' });
        return;
      }
      const { token, expiresAt } = deps.invites.issue(roomId);
      deps.deliver([userId], { type: 'room.invite', roomId, token, expiresAt });
    },
    async remove(userId, { roomId, userId: target }) {
      if (!(await allowed(userId, 'room.remove'))) return;
      void rooms.dispatch({ kind: 'remove', userId, roomId, target });
    },
    async mute(userId, { roomId, userId: target, muted }) {
      if (!(await allowed(userId, 'room.mute'))) return;
      void rooms.dispatch({ kind: 'mute', userId, roomId, target, muted });
    },
  };
}
