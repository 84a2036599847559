import { useDeferredValue, useEffect } from 'react';
import { LobbyPage } from '../features/lobby/lobby-page';
import { RejoinPage } from '../features/lobby/rejoin-page';
import { RoomPage } from '../features/room/room-page';
import { useVoiceSession } from './session-context';
import { useAppStore } from './store';
import { useRoute } from './use-route';

/**
 * `/` shows the lobby; `/r/<roomId>` shows the room once you are in it, and
 * until then the lobby form (room prefilled), or "Rejoining…" after a reload.
 * Navigating away from the room you are in (Back button) leaves it.
 */
export function App() {
  const route = useRoute();
  const session = useVoiceSession();
  const roomId = useAppStore((s) => s.roomId);
  const roomStatus = useAppStore((s) => s.roomStatus);
  const rejoiningRoomId = useAppStore((s) => s.rejoiningRoomId);
  const inRoute = route.kind === 'room' && roomId !== undefined && roomId === route.roomId;
  const active = roomStatus !== 'idle';
  // The room's first render is the biggest piece of work a Join causes on the page (70 ms on a
  // busy machine, measured). Deferred, React renders it in slices, so the welcome, the roster and
  // the first offer are handled between them instead of waiting behind it.
  const showRoom = useDeferredValue(active && inRoute, false);

  useEffect(() => {
    if (active && !inRoute) session.leave({ navigate: false });
  }, [active, inRoute, session]);

  if (showRoom && active && inRoute && roomId !== undefined) return <RoomPage roomId={roomId} />;
  if (route.kind === 'room' && rejoiningRoomId === route.roomId) return <RejoinPage roomId={route.roomId} />;
  return <LobbyPage key={route.kind === 'room' ? route.roomId : ''} initialRoom={route.kind === 'room' ? route.roomId : ''} />;
}
