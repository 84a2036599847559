import type { Participant } from '@parley/protocol';
import { useAppStore } from '../../app/store';
import { Avatar } from '../../components/avatar';
import { HeadphonesOffIcon, MicOffIcon } from '../../components/icons';
import { ConnectionQuality } from './connection-quality';
import { PersonalVolumeControl } from './personal-volume-control';
import { selectIsSpeaking } from './room-slice';

/** What the room's owner can do to someone else. */
export type ParticipantManagement = {
  remove(): void;
  setSilenced(silenced: boolean): void;
};

type ParticipantTileProps = {
  participant: Participant;
  isSelf: boolean;
  /** For yourself the buttons are the truth (they act at once); for others, the server's word. */
  muted: boolean;
  deafened: boolean;
  /** This participant runs the room. */
  isOwner?: boolean;
  /** The owner muted this participant for everyone. */
  silenced?: boolean;
  /** Given to the owner, for everyone but themselves. */
  manage?: ParticipantManagement | undefined;
};

export function ParticipantTile({ participant, isSelf, muted, deafened, isOwner = false, silenced = false, manage }: ParticipantTileProps) {
  const { userId, displayName, presence } = participant;
  const speaking = useAppStore(selectIsSpeaking(userId)) && !muted;
  const who = isSelf ? 'You are' : `${displayName} is`;

  return (
    <li
      className="tile"
      data-speaking={speaking ? 'true' : 'false'}
      data-self={isSelf ? 'true' : undefined}
      data-presence={presence}
    >
      <div className="tile__avatar">
        <Avatar name={displayName} />
      </div>
      <div className="tile__name">
        <span className="tile__display-name">{displayName}</span>
        {isSelf ? <span className="tile__you"> (you)</span> : null}
        {isOwner ? (
          <>
            {' '}
            <span className="tile__owner">owner</span>
          </>
        ) : null}
      </div>
      <div className="tile__badges">
        {muted ? (
          <span className="badge" role="img" aria-label={`${who} muted`} title={`${who} muted`}>
            <MicOffIcon width={16} height={16} />
          </span>
        ) : null}
        {deafened ? (
          <span className="badge" role="img" aria-label={`${who} deafened`} title={`${who} deafened`}>
            <HeadphonesOffIcon width={16} height={16} />
          </span>
        ) : null}
        {silenced ? <span className="tile__note tile__note--silenced">muted by owner</span> : null}
        {presence === 'reconnecting' ? (
          <span className="tile__note" role="img" aria-label={`${who} reconnecting`} title={`${who} reconnecting`}>
            Reconnecting…
          </span>
        ) : null}
      </div>
      {!isSelf ? (
        <div className="tile__listen">
          <ConnectionQuality userId={userId} displayName={displayName} />
          <PersonalVolumeControl displayName={displayName} />
        </div>
      ) : null}
      {manage ? (
        <div className="tile__manage">
          <button
            type="button"
            className="button button--ghost button--small"
            aria-label={`${silenced ? 'Unmute' : 'Mute'} ${displayName} for everyone`}
            title={silenced ? `Let everyone hear ${displayName} again` : `Nobody hears ${displayName} until you unmute them`}
            onClick={() => manage.setSilenced(!silenced)}
          >
            {silenced ? 'Unmute' : 'Mute'}
          </button>
          <button
            type="button"
            className="button button--ghost button--small tile__remove"
            aria-label={`Remove ${displayName}`}
            title={`Remove ${displayName} from the room`}
            onClick={() => manage.remove()}
          >
            Remove
          </button>
        </div>
      ) : null}
    </li>
  );
}
