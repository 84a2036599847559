import type { ConnectionState } from '@parley/mesh';
import { assertNever } from '@parley/protocol';
import type { StatusTone } from '../../components/status-pill';

export type ConnectionView = {
  tone: StatusTone;
  text: string;
  /** Offer "Retry now": the engine is waiting before its next attempt. */
  canRetry: boolean;
};

/** The signaling connection in the words the room's status line uses. */
export function describeConnection(state: ConnectionState, replaced: boolean): ConnectionView {
  switch (state) {
    case 'idle':
    case 'connecting':
      return { tone: 'pending', text: 'Connecting…', canRetry: false };
    case 'connected':
      return { tone: 'ok', text: 'Connected', canRetry: false };
    case 'reconnecting':
      return { tone: 'pending', text: 'Reconnecting…', canRetry: true };
    case 'closed':
      return { tone: 'bad', text: replaced ? 'Open in another tab' : 'Disconnected', canRetry: false };
    default:
      return assertNever(state, 'connection state');
  }
}
