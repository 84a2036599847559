import { useId } from 'react';
import { useAppStore } from '../../app/store';
import { DialogHead, ModalDialog } from '../../components/modal-dialog';
import { SHORTCUTS } from './keyboard-shortcuts';
import { keyLabel } from './voice-settings-slice';

/** What ? opens: the room's shortcuts, and the push-to-talk key. */
export function KeyboardShortcutsDialog({ onClose }: { onClose(): void }) {
  const titleId = useId();
  const settings = useAppStore((s) => s.voiceSettings);

  return (
    <ModalDialog labelledBy={titleId} onClose={onClose}>
      <div className="settings">
        <DialogHead titleId={titleId} title="Keyboard shortcuts" onClose={onClose} />
        <dl className="shortcuts">
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.action} className="shortcuts__row">
              <dt>
                <kbd>{shortcut.key}</kbd>
              </dt>
              <dd>{shortcut.description}</dd>
            </div>
          ))}
          <div className="shortcuts__row">
            <dt>
              Hold <kbd>{keyLabel(settings.pushToTalkKey)}</kbd>
            </dt>
            <dd>{settings.pushToTalk ? 'Talk (push to talk is on)' : 'Talk, once push to talk is on in Settings'}</dd>
          </div>
        </dl>
        <p className="field__hint">Shortcuts do nothing while you type in a text field.</p>
      </div>
    </ModalDialog>
  );
}
