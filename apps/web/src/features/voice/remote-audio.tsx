import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { selectRemoteIds } from '../room/room-slice';
import type { AudioPlayback } from './audio-playback';

/**
 * One hidden <audio> per remote participant; silenced while you are deafened.
 * `playback` starts them and remembers those the browser refused to play.
 */
export function RemoteAudio({ playback }: { playback: AudioPlayback }) {
  const remoteIds = useAppStore(useShallow(selectRemoteIds));
  const deafened = useAppStore((s) => s.deafened);
  return (
    <div className="remote-audio" hidden>
      {remoteIds.map((userId) => (
        <PeerAudio key={userId} userId={userId} deafened={deafened} playback={playback} />
      ))}
    </div>
  );
}

function PeerAudio({ userId, deafened, playback }: { userId: string; deafened: boolean; playback: AudioPlayback }) {
  const session = useVoiceSession();
  const revision = useAppStore((s) => s.audioRevision[userId] ?? 0);
  const ref = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    const stream = session.getRemoteStream(userId) ?? null;
    if (audio.srcObject !== stream) audio.srcObject = stream;
    if (!stream) return;
    // After a reload that rejoined by itself there was no gesture: a refusal shows "Turn on sound".
    void playback.start(audio);
    return () => playback.remove(audio);
  }, [session, userId, revision, playback]);

  useEffect(() => {
    if (ref.current) ref.current.muted = deafened;
  }, [deafened]);

  return <audio ref={ref} autoPlay muted={deafened} data-user-id={userId} />;
}
