import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { selectRemoteIds } from '../../app/selectors';
import type { AudioPlayback } from './audio-playback';

/**
 * One <audio> element per remote participant, silenced while you are
 * deafened. `playback` starts them and remembers those the browser refused
 * to play. The elements are made here by hand and never rendered by React:
 * React listens to every media event of the media elements it renders
 * (several `timeupdate`s a second each), work a busy machine cannot spare.
 */
export function RemoteAudio({ playback }: { playback: AudioPlayback }) {
  const remoteIds = useAppStore(useShallow(selectRemoteIds));
  const deafened = useAppStore((s) => s.deafened);
  return (
    <>
      {remoteIds.map((userId) => (
        <PeerAudio key={userId} userId={userId} deafened={deafened} playback={playback} />
      ))}
    </>
  );
}

function PeerAudio({ userId, deafened, playback }: { userId: string; deafened: boolean; playback: AudioPlayback }) {
  const { remoteStreams } = useVoiceSession();
  const subscribe = useCallback((changed: () => void) => remoteStreams.subscribe(userId, changed), [remoteStreams, userId]);
  const entry = useSyncExternalStore(subscribe, () => remoteStreams.get(userId));
  const [audio] = useState(() => {
    const element = document.createElement('audio');
    element.autoplay = true;
    return element;
  });

  useEffect(() => {
    const stream = entry?.stream ?? null;
    if (audio.srcObject !== stream) audio.srcObject = stream;
    if (!stream) return;
    // After a reload that rejoined by itself there was no gesture: a refusal shows "Turn on sound".
    void playback.start(audio);
    return () => playback.remove(audio);
  }, [audio, entry, playback]);

  useEffect(() => {
    audio.muted = deafened;
  }, [audio, deafened]);

  useEffect(
    () => () => {
      audio.pause();
      audio.srcObject = null;
    },
    [audio],
  );

  return null;
}
