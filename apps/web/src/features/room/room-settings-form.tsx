import { useId, useState, type FormEvent } from 'react';
import type { RoomSettingsState } from '@parley/mesh';
import { LIMITS, type RoomSettingsChange } from '@parley/protocol';
import { DialogHead } from '../../components/modal-dialog';
import { changeFrom, isNoChange, UNTOUCHED, type SettingsDraft } from './settings-draft';

/** Where "Copy invite link" is: asked the server, copied, or left to the user (no clipboard, or refused). */
export type InviteCopyState = 'idle' | 'creating' | 'copied' | 'notCopied';

export type RoomSettingsFormProps = {
  titleId: string;
  settings: Pick<RoomSettingsState, 'passwordRequired' | 'locked' | 'listed'>;
  /** The latest invite link, once the server made one. */
  invite: { link: string; expiresAt: number } | undefined;
  inviteCopy: InviteCopyState;
  onSave(change: RoomSettingsChange): void;
  onCopyInvite(): void;
  onClearChat(): void;
  onClose(): void;
};

const COPY_TEXT: Record<InviteCopyState, string> = {
  idle: '',
  creating: 'Creating a link…',
  copied: 'Invite link copied.',
  notCopied: 'Copy the link from the field below.',
};

function untilText(expiresAt: number): string {
  return new Date(expiresAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** The owner's settings: password, lock, listing; an invite link; clearing the chat. */
export function RoomSettingsForm({ titleId, settings, invite, inviteCopy, onSave, onCopyInvite, onClearChat, onClose }: RoomSettingsFormProps) {
  const ids = { password: useId(), passwordHint: useId(), lockHint: useId(), listHint: useId(), invite: useId(), inviteHint: useId() };
  const [draft, setDraft] = useState<SettingsDraft>(UNTOUCHED);
  const [saved, setSaved] = useState('');
  const [confirmingClear, setConfirmingClear] = useState(false);
  const [cleared, setCleared] = useState(false);

  const removing = draft.removePassword && settings.passwordRequired;
  const edit = (next: Partial<SettingsDraft>) => {
    setDraft((d) => ({ ...d, ...next }));
    setSaved('');
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const change = changeFrom(draft, settings);
    if (isNoChange(change)) {
      setSaved('Nothing to save.');
      return;
    }
    onSave(change);
    // The lock and listing keep showing what was chosen; the password is never shown again.
    setDraft((d) => ({ ...d, password: '', removePassword: false }));
    setSaved('Saved.');
  }

  return (
    <div className="settings">
      <DialogHead titleId={titleId} title="Room settings" onClose={onClose} />

      <form className="settings__form" noValidate onSubmit={onSubmit}>
        <div className="field">
          <label className="field__label" htmlFor={ids.password}>
            Room password
          </label>
          <input
            id={ids.password}
            className="field__input"
            type="password"
            autoComplete="new-password"
            maxLength={LIMITS.roomPasswordMaxChars}
            placeholder={settings.passwordRequired ? 'A password is set' : 'No password'}
            value={removing ? '' : draft.password}
            disabled={removing}
            aria-describedby={ids.passwordHint}
            onChange={(event) => edit({ password: event.target.value })}
          />
          <p id={ids.passwordHint} className="field__hint">
            {settings.passwordRequired
              ? 'People need the password (or an invite link) to join. Type a new one to change it.'
              : 'Anyone with the room’s address can join. Type a password to ask for one.'}
          </p>
        </div>
        {settings.passwordRequired ? (
          <label className="check">
            <input type="checkbox" checked={draft.removePassword} onChange={(event) => edit({ removePassword: event.target.checked })} />
            Remove password
          </label>
        ) : null}
        <div className="check-field">
          <label className="check">
            <input
              type="checkbox"
              checked={draft.locked ?? settings.locked}
              aria-describedby={ids.lockHint}
              onChange={(event) => edit({ locked: event.target.checked })}
            />
            Lock room
          </label>
          <p id={ids.lockHint} className="field__hint">
            Nobody new can join, not even with the password; everyone here stays.
          </p>
        </div>
        <div className="check-field">
          <label className="check">
            <input
              type="checkbox"
              checked={draft.listed ?? settings.listed}
              aria-describedby={ids.listHint}
              onChange={(event) => edit({ listed: event.target.checked })}
            />
            List in lobby
          </label>
          <p id={ids.listHint} className="field__hint">
            The lobby shows this room and who is in it.
          </p>
        </div>
        <div className="settings__row">
          <button type="submit" className="button button--primary">
            Save
          </button>
          <span className="settings__result" aria-live="polite">
            {saved}
          </span>
        </div>
      </form>

      <section className="settings__section" aria-label="Invite">
        <div className="settings__row">
          <button type="button" className="button button--secondary" onClick={onCopyInvite}>
            Copy invite link
          </button>
          <span className="settings__result" aria-live="polite">
            {COPY_TEXT[inviteCopy]}
          </span>
        </div>
        {invite ? (
          <div className="field">
            <label className="field__label" htmlFor={ids.invite}>
              Invite link
            </label>
            <input
              id={ids.invite}
              className="field__input"
              type="text"
              readOnly
              value={invite.link}
              aria-describedby={ids.inviteHint}
              onFocus={(event) => event.currentTarget.select()}
            />
            <p id={ids.inviteHint} className="field__hint">
              Lets anyone who has it in without the password until {untilText(invite.expiresAt)}.
            </p>
          </div>
        ) : null}
      </section>

      <section className="settings__section" aria-label="Chat history">
        {confirmingClear ? (
          <div className="settings__confirm">
            <p>Delete every message in this room, for everyone? This cannot be undone.</p>
            <div className="settings__row">
              <button
                type="button"
                className="button button--danger"
                onClick={() => {
                  onClearChat();
                  setConfirmingClear(false);
                  setCleared(true);
                }}
              >
                Delete all messages
              </button>
              <button type="button" className="button button--ghost" onClick={() => setConfirmingClear(false)}>
                Keep them
              </button>
            </div>
          </div>
        ) : (
          <div className="settings__row">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setConfirmingClear(true);
                setCleared(false);
              }}
            >
              Clear chat history
            </button>
            <span className="settings__result" aria-live="polite">
              {cleared ? 'Chat history cleared.' : ''}
            </span>
          </div>
        )}
      </section>
    </div>
  );
}
