import { useEffect, useState } from 'react';
import { appStore } from '../../app/store';
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

/**
 * While sound is held back, any click or key press on the page is a gesture
 * that may start it. The page's AudioContext too: the voices' elements may
 * be allowed to play while it is not (it is not theirs), and the meters, the
 * noise suppression and the room's sounds wait for it.
 */
export function useResumeOnGesture(playback: AudioPlayback): void {
  useEffect(() => {
    const resume = () => {
      resumeAudio();
      if (appStore.getState().playbackBlocked) void playback.resumeAll();
    };
    document.addEventListener('click', resume);
    document.addEventListener('keydown', resume);
    return () => {
      document.removeEventListener('click', resume);
      document.removeEventListener('keydown', resume);
    };
  }, [playback]);
}
