import { useVoiceSession } from '../../app/session-context';
import { selectReplaced } from '../../app/session-slice';
import { useAppStore } from '../../app/store';
import { StatusPill } from '../../components/status-pill';
import { describeConnection } from './describe-connection';

/** The signaling connection; while it waits to reconnect, a way to try at once. */
export function ConnectionStatus() {
  const session = useVoiceSession();
  const connection = useAppStore((s) => s.connection);
  const replaced = useAppStore(selectReplaced);
  const { tone, text, canRetry } = describeConnection(connection, replaced);
  return (
    <div className="connection-status">
      <StatusPill tone={tone}>{text}</StatusPill>
      {canRetry ? (
        <button type="button" className="button button--secondary button--small" onClick={() => session.retryNow()}>
          Retry now
        </button>
      ) : null}
    </div>
  );
}
