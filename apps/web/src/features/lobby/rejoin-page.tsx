import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { AlertBanner } from '../../components/alert-banner';
import { LobbyBrand } from './lobby-brand';
import { describeMicError } from '../voice/microphone';
import './lobby.css';

/**
 * After a reload, while this tab comes back to its room as the same
 * participant: no name form, just what is happening and, if the microphone
 * fails, the way to fix it.
 */
export function RejoinPage({ roomId }: { roomId: string }) {
  const session = useVoiceSession();
  const mic = useAppStore((s) => s.mic);
  const micError = useAppStore((s) => s.micError);
  const displayName = useAppStore((s) => s.displayName);

  return (
    <main className="lobby">
      <LobbyBrand />

      <section className="lobby__card" aria-labelledby="rejoin-title">
        <h1 id="rejoin-title" className="lobby__title">
          {roomId}
        </h1>
        {mic === 'error' && micError ? (
          <AlertBanner
            actions={
              <>
                <button type="button" className="button button--secondary" onClick={() => void session.retryMicrophone()}>
                  Try again
                </button>
                <button type="button" className="button button--ghost" onClick={() => session.leave({ navigate: false })}>
                  Cancel
                </button>
              </>
            }
          >
            {describeMicError(micError)}
          </AlertBanner>
        ) : (
          <p className="lobby__lead" role="status">
            Rejoining as <strong>{displayName}</strong>…
          </p>
        )}
      </section>
    </main>
  );
}
