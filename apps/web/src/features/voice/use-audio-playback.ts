import { useEffect, useState } from 'react';
import { appStore, useAppStore } from '../../app/store';
import { resumeAudio } from './audio-context';
import { createAudioPlayback, type AudioPlayback } from './audio-playback';

/** One playback per room page, reporting to the store; shared by the <audio> elements and the prompt. */
export function useAudioPlayback(): AudioPlayback {
  const [playback] = useState(() =>
    createAudioPlayback({
      refused: () => appStore.getState().playbackRefused(),
      resumed: () => appStore.getState().playbackResumed(),
      failed: (error) => console.warn('remote audio did not start', error),
    }),
  );
  return playback;
}

/** While sound is held back, any click or key press on the page is a gesture that may start it. */
export function useResumeOnGesture(playback: AudioPlayback): void {
  const blocked = useAppStore((s) => s.playbackBlocked);
  useEffect(() => {
    if (!blocked) return;
    const resume = () => {
      resumeAudio();
      void playback.resumeAll();
    };
    document.addEventListener('click', resume);
    document.addEventListener('keydown', resume);
    return () => {
      document.removeEventListener('click', resume);
      document.removeEventListener('keydown', resume);
    };
  }, [blocked, playback]);
}
