import { useState } from 'react';
import { useAppStore } from '../../app/store';
import { AlertBanner } from '../../components/alert-banner';
import { resumeAudio } from './audio-context';
import type { AudioPlayback } from './audio-playback';
import { useResumeOnGesture } from './use-audio-playback';

/** Shown when the browser will not play the call's sound until you click. */
export function PlaybackPrompt({ playback }: { playback: AudioPlayback }) {
  const blocked = useAppStore((s) => s.playbackBlocked);
  const [busy, setBusy] = useState(false);
  useResumeOnGesture(playback);
  if (!blocked) return null;

  const turnOn = () => {
    // Inside the click itself: some browsers (Safari) start a context only from the gesture's own call stack.
    resumeAudio();
    setBusy(true);
    void playback.resumeAll().finally(() => setBusy(false));
  };
  return (
    <AlertBanner
      actions={
        <button type="button" className="button button--primary" aria-busy={busy} onClick={turnOn}>
          Turn on sound
        </button>
      }
    >
      Your browser paused the sound of this call. You can't hear the others until you turn it on.
    </AlertBanner>
  );
}
