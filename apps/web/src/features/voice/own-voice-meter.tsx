import { useRef, useSyncExternalStore } from 'react';
import { useVoiceSession } from '../../app/session-context';
import { appStore } from '../../app/store';
import { selectLinkForming } from '../room/room-slice';
import { LevelMeter } from '../../components/level-meter';
import { useLiveLevel } from './use-live-level';

/**
 * Readings per second of the in-room meter. It is on screen all call long and
 * every reading that moves it costs the page a frame. Measured here with two
 * pages in a room (software compositing, as on these machines): 15 readings
 * a second with the bar's 60 ms transition took about 60 % of a core, 8 a
 * second without the transition (voice.css) about 33 %, no meter 22 %. Not a
 * divisor of the test microphone's 5 Hz beep, so readings do not all land on
 * its silences. What is drawn is fewer still (meter-ballistics.ts: held peaks,
 * coarse steps): the test microphone's beep now holds the bar on one drawing.
 */
const READINGS_PER_SECOND = 8;

/**
 * How loud you are sending, next to the call controls: it moves while you
 * are alone too, and stays still while muted (the track is off).
 */
const NO_MICROPHONE = { subscribe: () => () => undefined, track: () => undefined };

/**
 * Still while a link forms: six pages drawing their meters made a sixth joiner
 * wait 1.9-2.3 s for all 30 paths instead of 1.1 s (bench:mesh, sixth joiner
 * into five). Read from the store at each reading, so the meters stop the
 * moment the newcomer's link appears (see useLiveLevel).
 */
const linkForming = () => selectLinkForming(appStore.getState());

export function OwnVoiceMeter() {
  // No microphone API at all (an insecure origin): nothing to measure.
  const microphone = useVoiceSession().microphone ?? NO_MICROPHONE;
  const track = useSyncExternalStore(microphone.subscribe, microphone.track, microphone.track);
  const meter = useRef<HTMLDivElement>(null);
  useLiveLevel(meter, track, READINGS_PER_SECOND, linkForming);
  if (!track) return null;
  return (
    <div className="own-voice-meter">
      <span className="own-voice-meter__bar">
        <LevelMeter ref={meter} label="Your voice level" level={0} />
      </span>
      {/* The meter is named for assistive technology already; this caption is for the eye, like the buttons' labels. */}
      <span className="own-voice-meter__caption" aria-hidden="true">
        Your voice
      </span>
    </div>
  );
}
