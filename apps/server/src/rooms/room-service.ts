import type { ServerMessage, UserId } from '@parley/protocol';
import type { Logger } from 'pino';
import { applyCommand } from './apply-command';
import type { RoomCommand } from './commands';
import { emptyRoomsState, type RoomsState } from './state';

export type Deliver = (to: readonly UserId[], message: ServerMessage) => void;

export type RoomService = {
  dispatch(command: RoomCommand): void;
  counts(): { rooms: number; participants: number };
};

/**
 * Holds the rooms state and runs commands through the pure room logic, handing
 * every resulting message to `deliver`. Knows nothing about sockets.
 */
export function createRoomService(deps: { deliver: Deliver; logger: Logger }): RoomService {
  let state: RoomsState = emptyRoomsState;
  return {
    dispatch(command) {
      const before = state;
      const next = applyCommand(state, command);
      state = next.state;
      logTransition(deps.logger, command, before, state);
      for (const effect of next.effects) deps.deliver(effect.to, effect.message);
    },
    counts: () => ({ rooms: state.rooms.size, participants: state.roomOf.size }),
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
  if (from !== to) {
    logger.info({ userId, roomId: to ?? from, command: command.kind }, `room ${from ?? '(none)'} -> ${to ?? '(none)'}`);
  } else {
    logger.debug({ userId, roomId: to, command: command.kind }, 'room command');
  }
}
