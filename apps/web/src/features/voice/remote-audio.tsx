import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useVoiceSession } from '../../app/session-context';
import { useAppStore } from '../../app/store';
import { selectRemoteIds } from '../room/room-slice';

/** One hidden <audio> per remote participant; silenced while you are deafened. */
export function RemoteAudio() {
  const remoteIds = useAppStore(useShallow(selectRemoteIds));
  const deafened = useAppStore((s) => s.deafened);
  return (
    <div className="remote-audio" hidden>
      {remoteIds.map((userId) => (
        <PeerAudio key={userId} userId={userId} deafened={deafened} />
      ))}
    </div>
  );
}

function PeerAudio({ userId, deafened }: { userId: string; deafened: boolean }) {
  const session = useVoiceSession();
  const revision = useAppStore((s) => s.audioRevision[userId] ?? 0);
  const ref = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    const stream = session.getRemoteStream(userId) ?? null;
    if (audio.srcObject !== stream) audio.srcObject = stream;
    // The Join click was the user gesture; a refusal here would only be logged noise.
    if (stream) audio.play().catch(() => undefined);
  }, [session, userId, revision]);

  useEffect(() => {
    if (ref.current) ref.current.muted = deafened;
  }, [deafened]);

  return <audio ref={ref} autoPlay muted={deafened} data-user-id={userId} />;
}
