import { useShallow } from 'zustand/react/shallow';
import { useVoiceSession } from '../../app/session-context';
import { selectVisibleErrors } from '../../app/selectors';
import { useAppStore } from '../../app/store';
import { AlertBanner } from '../../components/alert-banner';
import { describeSessionError } from './describe-error';

/** Engine errors in plain words, each with the action that makes sense for it. */
export function SessionErrors() {
  const session = useVoiceSession();
  const errors = useAppStore(useShallow(selectVisibleErrors));
  const participants = useAppStore((s) => s.participants);
  const dismiss = useAppStore((s) => s.errorDismissed);
  if (errors.length === 0) return null;

  const nameOf = (userId: string) => participants[userId]?.displayName;
  return (
    <div className="session-errors">
      {errors.map((error) => (
        <AlertBanner
          key={error.id}
          actions={
            error.reason === 'replaced' ? (
              <>
                <button type="button" className="button button--secondary" onClick={() => session.takeBack()}>
                  Use this tab
                </button>
                <button type="button" className="button button--ghost" onClick={() => session.leave()}>
                  Back to lobby
                </button>
              </>
            ) : error.reason === 'unsupportedVersion' ? (
              <button type="button" className="button button--secondary" onClick={() => window.location.reload()}>
                Reload
              </button>
            ) : error.recoverable && error.code !== 'room_full' ? (
              <button type="button" className="button button--ghost" onClick={() => dismiss(error.id)}>
                Dismiss
              </button>
            ) : (
              <button type="button" className="button button--secondary" onClick={() => session.leave()}>
                Back to lobby
              </button>
            )
          }
        >
          {describeSessionError(error, nameOf)}
        </AlertBanner>
      ))}
    </div>
  );
}
