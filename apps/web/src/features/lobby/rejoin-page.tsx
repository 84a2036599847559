import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { LobbyBrand } from './lobby-brand';
import { MicErrorAlert } from './mic-error-alert';
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
          <MicErrorAlert
            error={micError}
            extraActions={
              <button type="button" className="button button--ghost" onClick={() => session.leave({ navigate: false })}>
                Cancel
              </button>
            }
          />
        ) : (
          <p className="lobby__lead" role="status">
            Rejoining as <strong>{displayName}</strong>…
          </p>
        )}
      </section>
    </main>
  );
}
