import type { ConnectionState } from '@parley/mesh';
import { assertNever } from '@parley/protocol';
import { useAppStore } from '../../app/store';
import { StatusPill, type StatusTone } from '../../components/status-pill';

function describeConnection(state: ConnectionState): { tone: StatusTone; text: string } {
  switch (state) {
    case 'idle':
    case 'connecting':
      return { tone: 'pending', text: 'Connecting…' };
    case 'connected':
      return { tone: 'ok', text: 'Connected' };
    case 'reconnecting':
    case 'closed':
      return { tone: 'bad', text: 'Connection lost' };
    default:
      return assertNever(state, 'connection state');
  }
}

export function ConnectionStatus() {
  const connection = useAppStore((s) => s.connection);
  const { tone, text } = describeConnection(connection);
  return (
    <div className="connection-status">
      <StatusPill tone={tone}>{text}</StatusPill>
      {connection === 'reconnecting' ? <span className="connection-status__hint">Reconnecting…</span> : null}
    </div>
  );
}
