import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../app/store';
import { ParticipantTile } from './participant-tile';
import { selectParticipants } from './room-slice';

export function ParticipantList() {
  const participants = useAppStore(useShallow(selectParticipants));
  const selfId = useAppStore((s) => s.selfId);
  const status = useAppStore((s) => s.roomStatus);
  const localMuted = useAppStore((s) => s.muted);
  const localDeafened = useAppStore((s) => s.deafened);
  const alone = status === 'joined' && participants.length === 1;

  return (
    <section className="roster-section" aria-labelledby="roster-title">
      <h2 id="roster-title" className="roster-section__title">
        In the room <span className="roster-section__count">{participants.length}</span>
      </h2>
      {status === 'joining' ? <p className="roster-section__note">Joining the room…</p> : null}
      <ul className="roster" aria-label="Participants">
        {participants.map((participant) => {
          const isSelf = participant.userId === selfId;
          return (
            <ParticipantTile
              key={participant.userId}
              participant={participant}
              isSelf={isSelf}
              muted={isSelf ? localMuted : participant.muted}
              deafened={isSelf ? localDeafened : participant.deafened}
            />
          );
        })}
      </ul>
      {alone ? (
        <p className="roster-section__note">
          It’s just you for now. Copy the link and send it to whoever you want to talk to.
        </p>
      ) : null}
    </section>
  );
}
