import type { ErrorCode, UserId } from '@parley/protocol';
import type { Effect, RoomCommand } from './commands';
import type { RoomsState } from './state';

export type Transition = { state: RoomsState; effects: Effect[] };

export type Command<K extends RoomCommand['kind']> = Extract<RoomCommand, { kind: K }>;

/** The client message type each command answers, for `inReplyTo` on errors. */
const REPLY_TO = {
  join: 'room.join',
  leave: 'room.leave',
  disconnect: undefined,
  resume: undefined,
  expire: undefined,
  signal: 'peer.signal',
  voiceState: 'voice.state',
  configure: 'room.configure',
  remove: 'room.remove',
  mute: 'room.mute',
  restore: undefined,
} as const satisfies Record<RoomCommand['kind'], string | undefined>;

/** Changes nothing and tells `to` why. */
export function refuse(state: RoomsState, command: RoomCommand, to: UserId, code: ErrorCode, message: string): Transition {
  const inReplyTo = REPLY_TO[command.kind];
  return {
    state,
    effects: [{ to: [to], message: { type: 'error', code, message, ...(inReplyTo ? { inReplyTo } : {}) } }],
  };
}
