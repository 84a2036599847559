import { ListedRooms, type ListedRoom } from '@parley/protocol';

/** The server's live list of listed rooms: a server-sent event stream, a full list per event. */
export const LISTED_ROOMS_URL = '/api/rooms';

/** The part of EventSource the lobby uses. */
export type EventSourceLike = {
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
};

/** One event's data as the rooms it lists; anything else (not JSON, another shape) is ignored. */
export function parseListedRooms(data: unknown): ListedRoom[] | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = ListedRooms.safeParse(value);
  return parsed.success ? parsed.data.rooms : undefined;
}

/**
 * Hands every list the stream sends to `onRooms`. EventSource reconnects by
 * itself after a drop, and the first event after that is the whole list
 * again. Returns the stop, which closes the stream.
 */
export function watchListedRooms(source: EventSourceLike, onRooms: (rooms: ListedRoom[]) => void): () => void {
  source.onmessage = (event) => {
    const rooms = parseListedRooms(event.data);
    if (rooms) onRooms(rooms);
  };
  return () => {
    source.onmessage = null;
    source.close();
  };
}
