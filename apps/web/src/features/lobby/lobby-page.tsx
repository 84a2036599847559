import { LIMITS } from '@parley/protocol';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { warmUpSignaling } from '../../app/engine';
import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { MicIcon } from '../../components/icons';
import { AlertBanner } from '../../components/alert-banner';
import { LobbyBrand } from './lobby-brand';
import { MicErrorAlert } from './mic-error-alert';
import { DevicePickers } from '../voice/device-pickers';
import { resumeAudio } from '../voice/audio-context';
import { asksForPassword, describeJoinRefusal } from './join-refusal';
import { OpenRooms } from './open-rooms';
import { checkDisplayName } from './display-name';
import { browserStorage } from '../../app/browser-storage';
import { loadDisplayName, saveDisplayName } from './remembered-name';
import { chooseRoom, normalizeRoomId } from './room-name';
import './lobby.css';

type LobbyPageProps = {
  /** From a shared `/r/<roomId>` link; empty on `/`. */
  initialRoom: string;
};

export function LobbyPage({ initialRoom }: LobbyPageProps) {
  const session = useVoiceSession();
  const mic = useAppStore((s) => s.mic);
  const micError = useAppStore((s) => s.micError);
  /** Join was pressed and accepted: the room shows once its links are up (see App). */
  const entering = useAppStore((s) => s.roomStatus !== 'idle');
  const lastRefusal = useAppStore((s) => s.joinRefusal);
  /** Why the server turned us away from this form's room, if it did. */
  const refusal = lastRefusal?.roomId === initialRoom && initialRoom !== '' ? lastRefusal : undefined;
  const ids = { name: useId(), room: useId(), nameError: useId(), roomError: useId(), roomHint: useId(), password: useId() };

  const [displayName, setDisplayName] = useState(() => loadDisplayName(browserStorage('localStorage')));
  const [room, setRoom] = useState(() => normalizeRoomId(initialRoom) || initialRoom);
  const nameInput = useRef<HTMLInputElement>(null);
  const roomInput = useRef<HTMLInputElement>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [roomError, setRoomError] = useState<string | null>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const [password, setPassword] = useState('');
  /** Once a refusal asked for the password, the field stays (through "Joining…" too). */
  const [asksPassword, setAsksPassword] = useState(refusal !== undefined && asksForPassword(refusal.code));
  // Each refusal asks afresh: a wrong password is not offered again.
  const [answered, setAnswered] = useState(refusal);
  if (refusal !== answered) {
    setAnswered(refusal);
    setPassword('');
    if (refusal !== undefined && asksForPassword(refusal.code)) setAsksPassword(true);
  }

  useEffect(() => {
    if (refusal !== undefined && asksForPassword(refusal.code)) passwordInput.current?.focus();
  }, [refusal]);

  // Open the signaling socket, and say hello on it once a name is typed, so Join waits for neither.
  const helloName = checkDisplayName(displayName);
  const greetAs = helloName.ok ? helloName.displayName : undefined;
  useEffect(() => {
    if (!entering) warmUpSignaling(greetAs);
  }, [greetAs, entering]);

  // The check before you join: the microphone opens (the browser may ask) as the form shows, and again
  // after a refusal sent us back here; the stream is the one Join takes. Leaving the form closes it.
  useEffect(() => {
    if (!entering) session.warmUpMicrophone();
  }, [session, entering]);
  useEffect(() => () => session.releaseMicrophonePreview(), [session]);

  /** The user is on the form: open the socket before Join, and let the page's sound start (a gesture). */
  const prepare = () => {
    // Not once Join has its socket: a second one would say hello for nobody.
    if (!entering) warmUpSignaling(greetAs);
    resumeAudio();
  };

  const invited = initialRoom !== '';
  const requesting = mic === 'requesting';
  const normalized = normalizeRoomId(room);
  const showNormalized = room.trim() !== '' && normalized !== '' && normalized !== room;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = checkDisplayName(displayName);
    const choice = chooseRoom(room, (bytes) => window.crypto.getRandomValues(bytes));
    setNameError(name.ok ? null : name.message);
    setRoomError(choice.ok ? null : choice.message);
    if (!name.ok) nameInput.current?.focus();
    else if (!choice.ok) roomInput.current?.focus();
    if (!name.ok || !choice.ok || requesting || entering) return;
    saveDisplayName(browserStorage('localStorage'), name.displayName);
    void session.join(choice.roomId, name.displayName, asksPassword && password !== '' ? { password } : {});
  }

  return (
    <main className="lobby">
      <LobbyBrand />

      <section className="lobby__card" aria-labelledby="lobby-title">
        <h1 id="lobby-title" className="lobby__title">
          {invited ? 'You’re invited to talk' : 'Talk, right in your browser'}
        </h1>
        <p className="lobby__lead">
          {invited
            ? 'Pick the name others will see, then join the room.'
            : 'Start a voice room and share the link. No account, nothing to install.'}
        </p>

        {refusal ? <AlertBanner>{describeJoinRefusal(refusal)}</AlertBanner> : null}

        <form className="lobby__form" noValidate onSubmit={onSubmit} onFocus={prepare} onKeyDown={prepare} onPointerDown={prepare}>
          <div className="field">
            <label className="field__label" htmlFor={ids.name}>
              Display name
            </label>
            <input
              id={ids.name}
              ref={nameInput}
              className="field__input"
              type="text"
              autoComplete="nickname"
              autoFocus
              spellCheck={false}
              placeholder="e.g. Ada Lovelace"
              value={displayName}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? ids.nameError : undefined}
              onChange={(event) => setDisplayName(event.target.value)}
            />
            {nameError ? (
              <p id={ids.nameError} className="field__error">
                {nameError}
              </p>
            ) : null}
          </div>

          <div className="field">
            <label className="field__label" htmlFor={ids.room}>
              Room
            </label>
            <input
              id={ids.room}
              ref={roomInput}
              className="field__input"
              type="text"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              placeholder="Leave empty for a new room"
              value={room}
              aria-invalid={roomError ? true : undefined}
              aria-describedby={roomError ? ids.roomError : ids.roomHint}
              onChange={(event) => setRoom(event.target.value)}
            />
            {roomError ? (
              <p id={ids.roomError} className="field__error">
                {roomError}
              </p>
            ) : (
              <p id={ids.roomHint} className="field__hint">
                {invited && normalized === normalizeRoomId(initialRoom) ? (
                  'You are joining the room from your link.'
                ) : room.trim() === '' ? (
                  'We’ll make up a room name nobody can guess. Share the link to invite people.'
                ) : (
                  <>
                    {showNormalized ? (
                      <>
                        You will join <strong>{normalized}</strong>.{' '}
                      </>
                    ) : null}
                    A name you type is open to anyone who guesses it; leave it empty for one nobody can guess.
                  </>
                )}
              </p>
            )}
          </div>

          {asksPassword ? (
            <div className="field">
              <label className="field__label" htmlFor={ids.password}>
                Room password
              </label>
              <input
                id={ids.password}
                ref={passwordInput}
                className="field__input"
                type="password"
                autoComplete="current-password"
                maxLength={LIMITS.roomPasswordMaxChars}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            </div>
          ) : null}

          <div className="lobby__check">
            <DevicePickers source={session.preview} onMicrophoneChosen={() => session.preview?.reopen()} />
          </div>

          <button type="submit" className="button button--primary button--block" aria-busy={requesting || entering || undefined}>
            <MicIcon />
            {entering ? 'Joining…' : 'Join'}
          </button>

          {requesting ? (
            <p className="lobby__waiting" role="status">
              Waiting for microphone permission…
            </p>
          ) : null}
        </form>

        {mic === 'error' && micError ? <MicErrorAlert error={micError} /> : null}
      </section>

      {invited ? null : <OpenRooms />}

      <p className="lobby__footnote">Up to {LIMITS.maxRoomSize} people per room. Voice travels directly between participants.</p>
    </main>
  );
}
