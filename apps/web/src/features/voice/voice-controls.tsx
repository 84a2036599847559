import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { ControlButton } from '../../components/control-button';
import { HeadphonesIcon, HeadphonesOffIcon, LeaveIcon, MicIcon, MicOffIcon } from '../../components/icons';

/** Mute, Deafen, Leave. Toggles keep their names; aria-pressed and the icon carry the state. */
export function VoiceControls() {
  const session = useVoiceSession();
  const muted = useAppStore((s) => s.muted);
  const deafened = useAppStore((s) => s.deafened);

  return (
    <nav className="voice-controls" aria-label="Call controls">
      <ControlButton
        label="Mute"
        hint={muted ? 'Unmute your microphone' : 'Mute your microphone'}
        pressed={muted}
        icon={muted ? <MicOffIcon /> : <MicIcon />}
        onClick={() => session.toggleMute()}
      />
      <ControlButton
        label="Deafen"
        hint={deafened ? 'Hear the room again' : 'Hear nobody and mute yourself'}
        pressed={deafened}
        icon={deafened ? <HeadphonesOffIcon /> : <HeadphonesIcon />}
        onClick={() => session.toggleDeafen()}
      />
      <ControlButton label="Leave" tone="danger" icon={<LeaveIcon />} onClick={() => session.leave()} />
    </nav>
  );
}
