import type { RoomId, ServerMessage, UserId } from '@parley/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { applyCommand } from './apply-command';
import type { RoomCommand } from './commands';
import { emptyRoomsState, othersIn, roomOfUser, type RoomsState } from './state';

export type Deliver = (to: readonly UserId[], message: ServerMessage) => void;

export type RoomService = {
  dispatch(command: RoomCommand): void;
  /** The room `userId` is a member of (online or reconnecting), if any. */
  roomOf(userId: UserId): RoomId | undefined;
  /** Everyone in `roomId` (online or reconnecting), in join order; empty for a room nobody is in. */
  /** Everyone in `roomId` but `userId`, reconnecting members included, in join order. */
  othersIn(roomId: RoomId, userId: UserId): UserId[];
  counts(): { rooms: number; participants: number };
  /** Cancels pending grace timers; for shutdown. */
  stop(): void;
};

export type RoomServiceDeps = {
  deliver: Deliver;
  logger: Logger;
  clock: Clock;
  /** How long a 'reconnecting' participant keeps their place before `expire` removes them. */
  graceMs: number;
};

/**
 * Holds the rooms state and runs commands through the pure room logic, handing
 * every resulting message to `deliver`. Knows nothing about sockets. Runs the
 * grace timers: one per 'reconnecting' participant, started when they turn
 * reconnecting and cancelled when they are online again or gone.
 */
export function createRoomService(deps: RoomServiceDeps): RoomService {
  let state: RoomsState = emptyRoomsState;
  const graceTimers = new Map<UserId, () => void>();

  const cancelGrace = (userId: UserId): void => {
    graceTimers.get(userId)?.();
    graceTimers.delete(userId);
  };

  /** Makes the timers match the state for `userId` after a command. */
  const reconcileGrace = (userId: UserId): void => {
    const reconnecting = roomOfUser(state, userId)?.participants.get(userId)?.presence === 'reconnecting';
    if (!reconnecting) return cancelGrace(userId);
    if (graceTimers.has(userId)) return;
    const cancel = deps.clock.setTimeout(() => {
      graceTimers.delete(userId);
      try {
        dispatch({ kind: 'expire', userId });
      } catch (err) {
        deps.logger.error({ err, userId }, 'grace expiry failed');
      }
    }, deps.graceMs);
    graceTimers.set(userId, cancel);
  };

  const dispatch = (command: RoomCommand): void => {
    const before = state;
    const next = applyCommand(state, command);
    state = next.state;
    logTransition(deps.logger, command, before, state);
    if (command.kind !== 'signal') reconcileGrace(command.userId);
    for (const effect of next.effects) deps.deliver(effect.to, effect.message);
  };

  return {
    dispatch,
    roomOf: (userId) => state.roomOf.get(userId),
    othersIn: (roomId, userId) => {
      const room = state.rooms.get(roomId);
      return room ? othersIn(room, userId) : [];
    },
    counts: () => ({ rooms: state.rooms.size, participants: state.roomOf.size }),
    stop() {
      for (const userId of [...graceTimers.keys()]) cancelGrace(userId);
    },
  };
}

function logTransition(logger: Logger, command: RoomCommand, before: RoomsState, after: RoomsState): void {
  if (command.kind === 'signal') {
    // Signals carry SDP and ICE candidates, which carry IP addresses: trace only.
    logger.trace({ userId: command.from, to: command.to, signal: command.signal }, 'signal');
    return;
  }
  const userId = command.userId;
  const from = before.roomOf.get(userId);
  const to = after.roomOf.get(userId);
  const presenceBefore = roomOfUser(before, userId)?.participants.get(userId)?.presence;
  const presenceAfter = roomOfUser(after, userId)?.participants.get(userId)?.presence;
  if (from !== to) {
    logger.info({ userId, roomId: to ?? from, command: command.kind }, `room ${from ?? '(none)'} -> ${to ?? '(none)'}`);
  } else if (presenceBefore !== presenceAfter) {
    logger.info({ userId, roomId: to, command: command.kind }, `presence ${presenceBefore ?? '(none)'} -> ${presenceAfter ?? '(none)'}`);
  } else {
    logger.debug({ userId, roomId: to, command: command.kind }, 'room command');
  }
}
