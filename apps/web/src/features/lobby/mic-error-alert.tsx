import type { ReactNode } from 'react';
import { useVoiceSession } from '../../app/session-context';
import { AlertBanner } from '../../components/alert-banner';
import { describeMicError, type MicError } from '../voice/microphone';

/** The microphone failed: say why in plain words and offer to try again (plus any extra actions). */
export function MicErrorAlert({ error, extraActions }: { error: MicError; extraActions?: ReactNode }) {
  const session = useVoiceSession();
  return (
    <AlertBanner
      actions={
        <>
          <button type="button" className="button button--secondary" onClick={() => void session.retryMicrophone()}>
            Try again
          </button>
          {extraActions}
        </>
      }
    >
      {describeMicError(error)}
    </AlertBanner>
  );
}
