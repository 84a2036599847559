import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { selectRemoteIds } from '../../app/selectors';
import { audioContext } from './audio-context';
import type { AudioPlayback } from './audio-playback';
import { gainOf, selectVolumeChoice } from './personal-volume-slice';
import { routeContextSpeaker } from './context-speaker';
import { routeCues } from './cue-context';
import { openPlaybackStage, type PlaybackStage } from './playback-graph';

/**
 * Plays every remote participant through a stage of their own (see
 * playback-graph.ts): at the volume you chose for them, silent while you are
 * deafened, on the speaker chosen in the settings (as are the room's sounds,
 * cue-context.ts). `playback` starts the
 * stages and remembers those the browser refused to start. Nothing here is
 * rendered: the stages' media elements are made by hand, because React
 * listens to every media event of the elements it renders (several
 * `timeupdate`s a second each), work a busy machine cannot spare.
 */
export function RemoteAudio({ playback }: { playback: AudioPlayback }) {
  const remoteIds = useAppStore(useShallow(selectRemoteIds));
  const deafened = useAppStore((s) => s.deafened);
  const speakerId = useAppStore((s) => s.voiceSettings.speakerId);

  useEffect(() => {
    void routeContextSpeaker(speakerId);
    void routeCues(speakerId);
  }, [speakerId]);

  useEffect(() => {
    // The context may start later than the stages asked it to (a resume that took longer than
    // they waited, or one started by another gesture, a test sound say): whatever was held back plays now.
    const context = audioContext();
    if (!context) return;
    const started = () => {
      if (context.state === 'running') void playback.resumeAll();
    };
    context.addEventListener('statechange', started);
    return () => context.removeEventListener('statechange', started);
  }, [playback]);

  return (
    <>
      {remoteIds.map((userId) => (
        <PeerAudio key={userId} userId={userId} deafened={deafened} speakerId={speakerId} playback={playback} />
      ))}
    </>
  );
}

function PeerAudio({ userId, deafened, speakerId, playback }: { userId: string; deafened: boolean; speakerId: string; playback: AudioPlayback }) {
  const { remoteStreams } = useVoiceSession();
  const subscribe = useCallback((changed: () => void) => remoteStreams.subscribe(userId, changed), [remoteStreams, userId]);
  const entry = useSyncExternalStore(subscribe, () => remoteStreams.get(userId));
  const displayName = useAppStore((s) => s.participants[userId]?.displayName);
  // Applied whenever this person joins or rejoins: the choice is kept by name, not by session.
  // One selector per name: it normalises the name once, not on every store change.
  const selectChoice = useMemo(() => selectVolumeChoice(displayName), [displayName]);
  const chosenGain = useAppStore((s) => gainOf(selectChoice(s)));
  const gain = deafened ? 0 : chosenGain;
  // A new stage starts at the gain already chosen: someone muted for you is never heard for a moment.
  const gainRef = useRef(gain);
  gainRef.current = gain;
  const speakerRef = useRef(speakerId);
  speakerRef.current = speakerId;
  const [stage, setStage] = useState<PlaybackStage | undefined>(undefined);

  useEffect(() => {
    const stream = entry?.stream;
    if (!stream) return;
    const opened = openPlaybackStage(stream, gainRef.current, speakerRef.current);
    setStage(opened);
    // After a reload that rejoined by itself there was no gesture: a refusal shows "Turn on sound".
    void playback.start(opened);
    return () => {
      playback.remove(opened);
      opened.close();
      setStage(undefined);
    };
  }, [entry, playback]);

  useEffect(() => {
    stage?.setGain(gain);
  }, [stage, gain]);

  useEffect(() => {
    stage?.setSpeaker(speakerId);
  }, [stage, speakerId]);

  return null;
}
