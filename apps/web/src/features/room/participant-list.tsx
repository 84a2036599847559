import { useShallow } from 'zustand/react/shallow';
import type { UserId } from '@parley/protocol';
import { useVoiceSession } from '../../app/session-context';
import { selectIsOwner } from '../../app/selectors';
import { useAppStore } from '../../app/store';
import { ParticipantTile, type ParticipantManagement } from './participant-tile';
import { selectParticipants } from './room-slice';
import { selectOwnerId, selectSilenced } from './room-settings-slice';

export function ParticipantList() {
  const session = useVoiceSession();
  const participants = useAppStore(useShallow(selectParticipants));
  const selfId = useAppStore((s) => s.selfId);
  const status = useAppStore((s) => s.roomStatus);
  const localMuted = useAppStore((s) => s.muted);
  const localDeafened = useAppStore((s) => s.deafened);
  const ownerId = useAppStore(selectOwnerId);
  const silenced = useAppStore(selectSilenced);
  const youRunTheRoom = useAppStore(selectIsOwner);
  const alone = status === 'joined' && participants.length === 1;

  const manage = (userId: UserId): ParticipantManagement => ({
    remove: () => session.removeParticipant(userId),
    setSilenced: (muted) => session.muteForEveryone(userId, muted),
  });

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
              isOwner={participant.userId === ownerId}
              silenced={silenced.includes(participant.userId)}
              manage={youRunTheRoom && !isSelf ? manage(participant.userId) : undefined}
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
