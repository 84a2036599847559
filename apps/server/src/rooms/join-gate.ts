import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DisplayName, RoomJoin, UserId } from '@parley/protocol';
import type { Logger } from 'pino';
import type { RateLimit } from '../chat/rate-limiter';
import type { Clock } from '../clock';
import { createLocalBudgets, type Budget, type Budgets } from '../limits/budgets';
import type { InviteTokens } from '../session/invite-token';
import { NO_CREDENTIALS, type Admission } from './commands';
import type { Deliver, RoomService } from './room-service';

/** Wrong passwords: per address, and per room whoever tries (a spread-out guesser). */
export const PASSWORD_ATTEMPTS = {
  perAddress: { perS: 1 / 12, burst: 5 } satisfies RateLimit,
  perRoom: { perS: 1 / 3, burst: 20 } satisfies RateLimit,
} as const;

export type JoinRequest = { userId: UserId; displayName: DisplayName; address: string; message: RoomJoin };

export type JoinGate = {
  /** Admits or refuses one `room.join`; resolves once the join has been decided (a password costs an scrypt). */
  join(request: JoinRequest): Promise<void>;
};

export type JoinGateDeps = {
  rooms: RoomService;
  invites: InviteTokens;
  verifyPassword(stored: string, password: string): Promise<boolean>;
  deliver: Deliver;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  limits?: typeof PASSWORD_ATTEMPTS;
  /** New rooms one address may create per minute (PARLEY_MAX_ROOMS_PER_MIN). */
  roomsPerMin: number;
  /** Where wrong passwords and new rooms are counted: shared by the nodes of a cluster; in this process when not given. */
  budgets?: Budgets;
};

export const ownerKeyHash = (key: string): string => createHash('sha256').update(key).digest('hex');

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * The way into a room: finds the room's policy (in memory, or stored from an
 * earlier visit), works out what the joiner's owner key, invite and password
 * are worth, and hands the pure room logic a join it can decide
 * (admission.ts), carrying that policy. The room's creator gets its owner key here. Wrong passwords
 * are limited per address and per room before any scrypt runs, so guessing
 * costs the guesser time and the server little. Never logs a password.
 */
export function createJoinGate(deps: JoinGateDeps): JoinGate {
  const { rooms } = deps;
  const limits = deps.limits ?? PASSWORD_ATTEMPTS;
  const budgets = deps.budgets ?? createLocalBudgets(deps.clock);
  const wrongPerAddress: Budget = { name: 'join.wrong-password.address', ...limits.perAddress };
  const wrongPerRoom: Budget = { name: 'join.wrong-password.room', ...limits.perRoom };
  const creations: Budget = { name: 'join.new-room.address', perS: deps.roomsPerMin / 60, burst: deps.roomsPerMin };
  const log = deps.logger.child({ component: 'join-gate' });

  /** Resolves once this node has applied the join (the bus may carry it to other nodes first). */
  const dispatch = async (request: JoinRequest, admission: Admission): Promise<void> => {
    const { userId, displayName, message } = request;
    await rooms.dispatch({ kind: 'join', userId, displayName, roomId: message.roomId, voice: message.voice, admission });
  };

  /** Whether the password may be tried now; if not, the joiner hears when to try again. */
  const mayTry = async (request: JoinRequest): Promise<boolean> => {
    const { address, message } = request;
    const check = await budgets.peek([
      { budget: wrongPerAddress, key: address },
      { budget: wrongPerRoom, key: message.roomId },
    ]);
    if (check.ok) return true;
    log.info({ userId: request.userId, roomId: message.roomId }, 'password attempts limited');
    deps.deliver([request.userId], {
      type: 'error',
      code: 'rate_limited',
      message: 'too many wrong passwords; wait and try again',
      inReplyTo: 'room.join',
      retryAfterMs: check.retryAfterMs,
    });
    return false;
  };

  return {
    async join(request) {
      const { userId, message } = request;
      const { roomId } = message;
      // Already in it (a second join, a resync): nothing to check.
      if (rooms.roomOf(userId) === roomId) return dispatch(request, NO_CREDENTIALS);
      const policy = await rooms.policyOf(roomId);
      if (!policy) {
        // A room costs a row that outlives its visit: one address creates only so many.
        const created = await budgets.take([{ budget: creations, key: request.address }]);
        if (!created.ok) {
          log.info({ userId, roomId }, 'room creation limited');
          deps.deliver([userId], { type: 'error', code: 'rate_limited', message: 'too many new rooms; wait and try again', inReplyTo: 'room.join', retryAfterMs: created.retryAfterMs });
          return;
        }
        const ownerKey = randomBytes(24).toString('base64url');
        const hash = ownerKeyHash(ownerKey);
        await dispatch(request, { ...NO_CREDENTIALS, newOwnerKeyHash: hash });
        // Someone else (through another node) may have created the room first: then this key opens nothing.
        if (rooms.roomOf(userId) === roomId && (await rooms.policyOf(roomId))?.ownerKeyHash === hash) {
          deps.deliver([userId], { type: 'room.ownerKey', roomId, ownerKey });
        }
        return;
      }
      const ownerKey = message.ownerKey !== undefined && sameHash(ownerKeyHash(message.ownerKey), policy.ownerKeyHash);
      const invite = message.invite === undefined ? 'none' : deps.invites.verify(message.invite, roomId).ok ? 'valid' : 'invalid';
      const passwordMatters = policy.passwordHash !== null && !ownerKey && !policy.locked && invite !== 'valid';
      // The join carries the policy it was decided on: should the room empty before the join is
      // applied (another node's leave first on the bus), the room it reopens keeps that policy.
      if (!(passwordMatters && message.password !== undefined)) {
        return dispatch(request, { stored: policy, ownerKey, invite, password: 'none' });
      }
      if (!(await mayTry(request))) return;
      const checked = policy.passwordHash;
      const right = await deps.verifyPassword(checked, message.password);
      // The room may have changed while we hashed (its password, or someone else creating it in memory): read again.
      const current = await rooms.policyOf(roomId);
      const password = right && current?.passwordHash === checked ? 'right' : 'wrong';
      if (password === 'wrong') {
        // Each counts whether or not the other still had room.
        await Promise.all([budgets.take([{ budget: wrongPerAddress, key: request.address }]), budgets.take([{ budget: wrongPerRoom, key: roomId }])]);
      }
      await dispatch(request, { stored: current, ownerKey, invite, password });
    },
  };
}
