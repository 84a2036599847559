import type { RoomId } from '@parley/protocol';

/** `/` is the lobby; `/r/<roomId>` is a room. Anything else falls back to the lobby. */
export type Route = { kind: 'lobby' } | { kind: 'room'; roomId: string };

const ROOM_PATH = /^\/r\/([^/]+)\/?$/;

export function parseRoute(pathname: string): Route {
  const match = ROOM_PATH.exec(pathname);
  const raw = match?.[1];
  if (raw === undefined) return { kind: 'lobby' };
  try {
    return { kind: 'room', roomId: decodeURIComponent(raw) };
  } catch {
    return { kind: 'room', roomId: raw };
  }
}

export function roomPath(roomId: RoomId): string {
  return `/r/${encodeURIComponent(roomId)}`;
}

export const LOBBY_PATH = '/';
