import { useId } from 'react';
import { appStore, useAppStore } from '../../app/store';
import { SettingsIcon } from '../../components/icons';
import { DialogHead, ModalDialog, useDialogOpener } from '../../components/modal-dialog';
import { SoundSettings } from './sound-settings';
import { DeviceSettings } from './device-settings';
import { keyLabel } from './voice-settings-slice';

/** Your own "Settings" button (everyone has one; the owner's "Room settings" is another), and its dialog. */
export function VoiceSettingsButton() {
  const dialog = useDialogOpener();
  return (
    <>
      <button ref={dialog.opener} type="button" className="button button--secondary button--small" aria-haspopup="dialog" onClick={dialog.show}>
        <SettingsIcon />
        Settings
      </button>
      {dialog.open ? <VoiceSettingsDialog onClose={dialog.close} /> : null}
    </>
  );
}

/** Settings this browser keeps for you (voice-settings-storage.ts): push to talk, sounds and notifications. */
export function VoiceSettingsDialog({ onClose }: { onClose(): void }) {
  const settings = useAppStore((s) => s.voiceSettings);
  const ids = { title: useId(), pushToTalkHint: useId() };
  const key = keyLabel(settings.pushToTalkKey);

  return (
    <ModalDialog labelledBy={ids.title} onClose={onClose}>
      <div className="settings">
        <DialogHead titleId={ids.title} title="Settings" onClose={onClose} />
        <DeviceSettings />
        <div className="check-field">
          <label className="check">
            <input
              type="checkbox"
              checked={settings.pushToTalk}
              aria-describedby={ids.pushToTalkHint}
              onChange={(event) => appStore.getState().voiceSettingsChanged({ pushToTalk: event.target.checked })}
            />
            Push to talk
          </label>
          <p id={ids.pushToTalkHint} className="field__hint">
            You are muted unless you hold <kbd>{key}</kbd> (not while typing in a text field).
          </p>
        </div>
        <SoundSettings />
      </div>
    </ModalDialog>
  );
}
