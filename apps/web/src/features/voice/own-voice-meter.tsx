import { useSyncExternalStore } from 'react';
import { useVoiceSession } from '../../app/session-context';
import { LevelMeter } from '../../components/level-meter';
import { useTrackLevel } from './use-track-level';

/**
 * How loud you are sending, next to the call controls: it moves while you
 * are alone too, and stays still while muted (the track is off).
 */
export function OwnVoiceMeter() {
  const microphone = useVoiceSession().microphone;
  const track = useSyncExternalStore(microphone.subscribe, microphone.track, microphone.track);
  const level = useTrackLevel(track);
  if (!track) return null;
  return (
    <div className="own-voice-meter">
      <span className="own-voice-meter__bar">
        <LevelMeter label="Your voice level" level={level} />
      </span>
      {/* The meter is named for assistive technology already; this caption is for the eye, like the buttons' labels. */}
      <span className="own-voice-meter__caption" aria-hidden="true">
        Your voice
      </span>
    </div>
  );
}
