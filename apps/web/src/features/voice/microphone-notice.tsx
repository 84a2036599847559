import { appStore, useAppStore } from '../../app/store';
import './devices.css';

/** The microphone changed by itself (unplugged, or another one would not open): said where the user looks, until dismissed. */
export function MicrophoneNotice() {
  const notice = useAppStore((s) => s.microphoneNotice);
  if (!notice) return null;
  return (
    <div className="microphone-notice" role="status">
      <p>{notice}</p>
      <button type="button" className="button button--ghost button--small" onClick={() => appStore.getState().microphoneNoticeDismissed()}>
        Dismiss
      </button>
    </div>
  );
}
