import { lazy, Suspense } from 'react';
import { SettingsIcon } from '../../components/icons';
import { useDialogOpener } from '../../components/modal-dialog';

/** The dialog's code (pickers, processing, sounds) is fetched the first time someone opens it. */
const VoiceSettingsDialog = lazy(() => import('./voice-settings-dialog').then((module) => ({ default: module.VoiceSettingsDialog })));

/** Your own "Settings" button (everyone has one; the owner's "Room settings" is another), and its dialog. */
export function VoiceSettingsButton() {
  const dialog = useDialogOpener();
  return (
    <>
      <button ref={dialog.opener} type="button" className="button button--secondary button--small" aria-haspopup="dialog" onClick={dialog.show}>
        <SettingsIcon />
        Settings
      </button>
      {dialog.open ? (
        <Suspense fallback={null}>
          <VoiceSettingsDialog onClose={dialog.close} />
        </Suspense>
      ) : null}
    </>
  );
}
