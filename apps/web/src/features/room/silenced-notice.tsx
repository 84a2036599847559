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
