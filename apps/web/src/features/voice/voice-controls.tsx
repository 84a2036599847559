import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { ControlButton } from '../../components/control-button';
import { HeadphonesIcon, HeadphonesOffIcon, LeaveIcon, MicIcon, MicOffIcon } from '../../components/icons';
import { OwnVoiceMeter } from './own-voice-meter';
import { toggleMuteUnlessPushToTalk } from './use-room-keyboard';
import { keyLabel } from './voice-settings-slice';

/**
 * Mute, Deafen, Leave, and how loud you are sending. Toggles keep their names; aria-pressed and the icon
 * carry the state. With push to talk on, Mute shows whether you are heard
 * but is unavailable: the key decides (see push-to-talk.ts).
 */
export function VoiceControls() {
  const session = useVoiceSession();
  const muted = useAppStore((s) => s.muted);
  const deafened = useAppStore((s) => s.deafened);
  const voiceSettings = useAppStore((s) => s.voiceSettings);

  return (
    <nav className="voice-controls" aria-label="Call controls">
      <ControlButton
        label="Mute"
        hint={
          voiceSettings.pushToTalk
            ? `Push to talk is on: hold ${keyLabel(voiceSettings.pushToTalkKey)} to talk (turn it off in Settings)`
            : muted
              ? 'Unmute your microphone'
              : 'Mute your microphone'
        }
        pressed={muted}
        unavailable={voiceSettings.pushToTalk}
        icon={muted ? <MicOffIcon /> : <MicIcon />}
        onClick={() => toggleMuteUnlessPushToTalk(session)}
      />
      <ControlButton
        label="Deafen"
        hint={deafened ? 'Hear the room again' : 'Hear nobody and mute yourself'}
        pressed={deafened}
        icon={deafened ? <HeadphonesOffIcon /> : <HeadphonesIcon />}
        onClick={() => session.toggleDeafen()}
      />
      <ControlButton label="Leave" tone="danger" icon={<LeaveIcon />} onClick={() => session.leave()} />
      <OwnVoiceMeter />
    </nav>
  );
}
