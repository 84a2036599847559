import type { ListedRoom, RoomId } from '@parley/protocol';
import { useId, type MouseEvent } from 'react';
import { roomPath } from '../../app/routes';
import { navigate } from '../../app/use-route';
import { LockIcon } from '../../components/icons';
import { useListedRooms } from './use-listed-rooms';

/** The lobby's live list of the rooms their owners chose to list. */
export function OpenRooms() {
  const rooms = useListedRooms();
  return <OpenRoomsList rooms={rooms} onOpen={(roomId) => navigate(roomPath(roomId))} />;
}

type OpenRoomsListProps = {
  /** undefined until the first list arrives. */
  rooms: readonly ListedRoom[] | undefined;
  onOpen(roomId: RoomId): void;
};

function peopleCount(count: number): string {
  return count === 1 ? '1 person' : `${count} people`;
}

export function OpenRoomsList({ rooms, onOpen }: OpenRoomsListProps) {
  const titleId = useId();
  // A plain click stays in the page; a modified one (new tab, new window) is the browser's.
  const onClick = (event: MouseEvent<HTMLAnchorElement>, roomId: RoomId) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(roomId);
  };

  return (
    <section className="open-rooms" aria-labelledby={titleId}>
      <h2 id={titleId} className="open-rooms__title">
        Open rooms
      </h2>
      <ul className="open-rooms__list" aria-labelledby={titleId}>
        {(rooms ?? []).map((room) => (
          <li key={room.roomId} className="open-rooms__item">
            <a className="open-rooms__link" href={roomPath(room.roomId)} onClick={(event) => onClick(event, room.roomId)}>
              <span className="open-rooms__head">
                <span className="open-rooms__name">{room.roomId}</span>
                <span className="open-rooms__count">{peopleCount(room.people.length)}</span>
              </span>
              <span className="open-rooms__people">{room.people.join(', ')}</span>
              {room.passwordRequired || room.locked ? (
                <span className="open-rooms__tags">
                  {room.passwordRequired ? (
                    <span className="open-rooms__tag">
                      <LockIcon width={14} height={14} />
                      password
                    </span>
                  ) : null}
                  {room.locked ? <span className="open-rooms__tag">locked</span> : null}
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
      {rooms?.length === 0 ? <p className="open-rooms__empty">No open rooms right now</p> : null}
    </section>
  );
}
