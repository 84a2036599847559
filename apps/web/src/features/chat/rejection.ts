import { assertNever, type ErrorCode } from '@parley/protocol';
import { CHAT_TIMING } from './chat-config';

/**
 * What a `chat.send` rejection means for the outbox entry:
 * - `retry`: send it again after `delayMs` (rate limits);
 * - `wait`: keep it pending and resend once we are in the room again;
 * - `fail`: show "Failed" and let the user press Retry.
 */
export type RejectionOutcome = { kind: 'retry'; delayMs: number } | { kind: 'wait' } | { kind: 'fail' };

export function classifyRejection(code: ErrorCode, retryAfterMs: number | undefined): RejectionOutcome {
  switch (code) {
    case 'rate_limited':
      return { kind: 'retry', delayMs: Math.max(0, retryAfterMs ?? CHAT_TIMING.defaultRetryAfterMs) };
    case 'not_in_room':
    case 'not_authenticated':
      // A reconnect raced the send: the session or room membership is coming back.
      return { kind: 'wait' };
    case 'bad_json':
    case 'invalid_message':
    case 'frame_too_large':
    case 'unsupported_version':
    case 'already_authenticated':
    case 'peer_not_in_room':
    case 'room_full':
    case 'password_required':
    case 'wrong_password':
    case 'room_locked':
    case 'removed':
    case 'not_owner':
    case 'invite_invalid':
    case 'internal':
      return retryAfterMs === undefined ? { kind: 'fail' } : { kind: 'retry', delayMs: Math.max(0, retryAfterMs) };
    default:
      return assertNever(code, 'error code');
  }
}
