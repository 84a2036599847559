import { assertNever } from '@parley/protocol';
import type { SessionError } from '../../app/session-slice';

/** What to tell a person about an engine error; `nameOf` resolves a peer's display name. */
export function describeSessionError(error: SessionError, nameOf: (userId: string) => string | undefined): string {
  const peer = (error.peerId && nameOf(error.peerId)) || 'someone in the room';
  switch (error.reason) {
    case 'signalingRejected':
      switch (error.code) {
        case 'room_full':
          return 'This room is full. Leave and try another room.';
        case 'rate_limited':
          return 'Too many requests in a short time. Wait a moment, then try again.';
        case 'not_owner':
          return 'Only the room’s owner can do that, and someone else runs this room now.';
        default:
          return `The server refused a request (${error.code ?? 'unknown reason'}).`;
      }
    case 'unsupportedVersion':
      return 'This page is out of date. Reload it to keep talking.';
    case 'replaced':
      return 'This room is open in another tab or window, so this one was disconnected. You can continue here instead.';
    case 'negotiationFailed':
    case 'dataChannelFailed':
      return `Setting up audio with ${peer} failed. Trying again…`;
    case 'iceFailed':
      return `No network path to ${peer} was found. Trying again…`;
    case 'unexpected':
      return `Something went wrong: ${error.detail}`;
    default:
      return assertNever(error.reason, 'session error reason');
  }
}
