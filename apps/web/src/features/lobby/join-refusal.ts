import { assertNever, type RoomId } from '@parley/protocol';
import type { SessionErrorInput } from '../../app/session-slice';
import type { JoinRefusal, JoinRefusalCode } from './join-refusal-slice';

/**
 * Whether an engine error means the server turned our join away. Every code
 * but `rate_limited` answers only `room.join`; `rate_limited` can answer other
 * messages too, so it counts only when it answers `room.join` (or, where the
 * error does not say, while our join waits for its answer: `joining`).
 */
export function joinRefusalOf(error: SessionErrorInput, roomId: RoomId, joining: boolean): JoinRefusal | undefined {
  if (error.reason !== 'signalingRejected') return undefined;
  switch (error.code) {
    case 'password_required':
    case 'wrong_password':
    case 'room_locked':
    case 'invite_invalid':
    case 'removed':
    case 'room_full':
      return { roomId, code: error.code };
    case 'rate_limited':
      if (error.inReplyTo === undefined ? !joining : error.inReplyTo !== 'room.join') return undefined;
      return { roomId, code: error.code, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
    default:
      return undefined;
  }
}

/** Refusals a password (typed on the join form) can get past. */
export function asksForPassword(code: JoinRefusalCode): boolean {
  return code === 'password_required' || code === 'wrong_password' || code === 'rate_limited' || code === 'invite_invalid';
}

/** What the join form tells a person who was turned away. */
export function describeJoinRefusal(refusal: Pick<JoinRefusal, 'code' | 'retryAfterMs'>): string {
  switch (refusal.code) {
    case 'password_required':
      return 'This room needs a password. Type it below, then press Join.';
    case 'wrong_password':
      return 'Wrong password for this room. Check it and try again.';
    case 'rate_limited':
      return refusal.retryAfterMs === undefined
        ? 'Too many wrong passwords; try again in a little while.'
        : `Too many wrong passwords; try again in ${Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))} s.`;
    case 'room_locked':
      return 'This room is locked: nobody new can join.';
    case 'invite_invalid':
      return 'This invite link is invalid or has expired. Ask for a new one, or type the room password.';
    case 'removed':
      return 'You were removed from the room by its owner.';
    case 'room_full':
      return 'This room is full. Try again later, or pick another room.';
    default:
      return assertNever(refusal.code, 'join refusal');
  }
}
