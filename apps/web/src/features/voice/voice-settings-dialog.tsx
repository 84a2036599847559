import { useId } from 'react';
import { appStore, useAppStore } from '../../app/store';
import { DialogHead, ModalDialog } from '../../components/modal-dialog';
import { SoundSettings } from './sound-settings';
import { DeviceSettings } from './device-settings';
import { keyLabel } from './voice-settings-slice';

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
