import { selectSilencedSelf } from '../../app/selectors';
import { useAppStore } from '../../app/store';

/** Told to the one the owner muted for everyone: their own Mute says nothing about it. */
export function SilencedNotice() {
  const silenced = useAppStore(selectSilencedSelf);
  if (!silenced) return null;
  return (
    <p className="silenced-notice" role="alert">
      The owner muted you for everyone: nobody in the room hears you until they unmute you.
    </p>
  );
}

/** Speaking into a muted microphone (the engine hears it on a copy of the track): say so, quietly. */
export function MutedSpeechNotice() {
  const show = useAppStore((s) => s.speakingWhileMuted && s.muted && !s.deafened);
  return (
    <p className="muted-speech-notice" role="status" hidden={!show}>
      {show ? 'You are muted: unmute (M) to be heard.' : ''}
    </p>
  );
}
