import type { ListedRoom } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { LISTED_ROOMS_URL, watchListedRooms, type EventSourceLike } from './listed-rooms';

const openBrowserSource = (url: string): EventSourceLike => new EventSource(url);

/** The listed rooms, live while the lobby is on screen; undefined until the server's first list. */
export function useListedRooms(open: (url: string) => EventSourceLike = openBrowserSource): ListedRoom[] | undefined {
  const [rooms, setRooms] = useState<ListedRoom[]>();
  useEffect(() => {
    return watchListedRooms(open(LISTED_ROOMS_URL), setRooms);
  }, [open]);
  return rooms;
}
