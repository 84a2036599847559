import { useEffect, useId, useRef, useState } from 'react';
import { inviteLink } from '../../app/invite-link';
import { useVoiceSession } from '../../app/session-context';
import { selectIsOwner } from '../../app/selectors';
import { useAppStore } from '../../app/store';
import { SettingsIcon } from '../../components/icons';
import { ModalDialog, useDialogOpener } from '../../components/modal-dialog';
import { RoomSettingsForm, type InviteCopyState } from './room-settings-form';

/** The owner's "Room settings" button, and the dialog it opens. Nobody else sees either. */
export function RoomSettingsButton() {
  const owner = useAppStore(selectIsOwner);
  const dialog = useDialogOpener();
  // Someone else runs the room now (its key holder came back): the dialog goes with the button.
  if (!owner && dialog.open) dialog.dismiss();
  if (!owner) return null;

  return (
    <>
      <button ref={dialog.opener} type="button" className="button button--secondary button--small" aria-haspopup="dialog" onClick={dialog.show}>
        <SettingsIcon />
        Room settings
      </button>
      {dialog.open ? <RoomSettingsDialog onClose={dialog.close} /> : null}
    </>
  );
}

/** A modal dialog (Escape closes it) over the owner's settings, wired to the session. */
export function RoomSettingsDialog({ onClose }: { onClose(): void }) {
  const session = useVoiceSession();
  const settings = useAppStore((s) => s.roomSettings);
  const invite = useAppStore((s) => s.roomInvite);
  const titleId = useId();
  const [inviteCopy, setInviteCopy] = useState<InviteCopyState>('idle');
  /** The invite shown when "Copy invite link" was pressed: the answer is the next one. */
  const inviteBefore = useRef<string | undefined>(undefined);

  const link = invite && settings && invite.roomId === settings.roomId ? inviteLink(window.location.origin, invite.roomId, invite.token) : undefined;

  useEffect(() => {
    if (inviteCopy !== 'creating' || link === undefined || invite?.token === inviteBefore.current) return;
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) {
      setInviteCopy('notCopied');
      return;
    }
    clipboard.writeText(link).then(
      () => setInviteCopy('copied'),
      () => setInviteCopy('notCopied'),
    );
  }, [inviteCopy, link, invite?.token]);

  if (!settings) return null;
  return (
    <ModalDialog labelledBy={titleId} onClose={onClose}>
      <RoomSettingsForm
        titleId={titleId}
        settings={settings}
        invite={link === undefined || invite === undefined ? undefined : { link, expiresAt: invite.expiresAt }}
        inviteCopy={inviteCopy}
        onSave={(change) => session.configureRoom(change)}
        onCopyInvite={() => {
          inviteBefore.current = invite?.token;
          setInviteCopy('creating');
          session.createInvite();
        }}
        onClearChat={() => session.clearChat()}
        onClose={onClose}
      />
    </ModalDialog>
  );
}
