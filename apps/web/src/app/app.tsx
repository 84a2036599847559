import { Activity, lazy, memo, Suspense, useDeferredValue, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useLayoutWarmup } from '../components/layout-warmup';
import { LobbyPage } from '../features/lobby/lobby-page';
import { RejoinPage } from '../features/lobby/rejoin-page';
import type { RoomId } from '@parley/protocol';
import { useVoiceSession } from './session-context';
import { roomView, StoreSourceProvider, useAppStore } from './store';
import { useRoomReveal } from './use-room-reveal';
import { useRoute } from './use-route';

/**
 * The room, its chat and their styles come in their own chunk: a first visit
 * shows the join form, and the page has it on screen before fetching the
 * room. The hidden room below asks for it at once, so it is there before the
 * user has typed a name.
 */
const RoomPage = lazy(() => import('../features/room/room-page').then((module) => ({ default: module.RoomPage })));

/**
 * The room, rendered ahead while hidden. A memo: App renders again at Join
 * (the room status changes), and that would render the whole hidden room
 * again, in the background but before the server's answer to the join is
 * read (measured: 6.5 ms of a two-person join's first 25 ms, with the
 * offers waiting behind it). Its props are the same then; its view of the
 * store is still.
 */
const HiddenRoom = memo(function HiddenRoom({ roomId, visible }: { roomId: RoomId; visible: boolean }) {
  return (
    <StoreSourceProvider value={roomView.source}>
      <Activity mode={visible ? 'visible' : 'hidden'}>
        <Suspense fallback={null}>
          <RoomPage roomId={roomId} />
        </Suspense>
      </Activity>
    </StoreSourceProvider>
  );
});

/**
 * `/` shows the lobby; `/r/<roomId>` shows the room once you are in it, and
 * until then the lobby form (room prefilled), or "Rejoining…" after a reload.
 * Navigating away from the room you are in (Back button) leaves it.
 *
 * The room is rendered ahead while the form is up, hidden (an Activity:
 * rendered when the page is idle, no effects, display: none), and laid out
 * once as a throwaway copy to warm the fonts. On Join the form stays
 * ("Joining…") until the links are up or REVEAL_WAIT_MS has passed (see
 * useRoomReveal), so the offers and answers have the main thread to
 * themselves; showing the room is then a reveal. Meanwhile the hidden room
 * sees the store as it was at Join (roomView): every roster, link and chat
 * change would otherwise re-render it in the background, and each of those
 * renders was thrown away and started over by the next change (measured:
 * 60 ms of the sixth joiner's first 400 ms). The reveal renders it once, live.
 */
export function App() {
  const route = useRoute();
  const session = useVoiceSession();
  const roomId = useAppStore((s) => s.roomId);
  const roomStatus = useAppStore((s) => s.roomStatus);
  const rejoiningRoomId = useAppStore((s) => s.rejoiningRoomId);
  const inRoute = route.kind === 'room' && roomId !== undefined && roomId === route.roomId;
  const active = roomStatus !== 'idle';
  const reveal = useRoomReveal(active && inRoute);
  const showRoom = useDeferredValue(reveal, false);
  const roomHost = useRef<HTMLDivElement>(null);
  // The room this page shows or is about to show; on the lobby, one whose name is not known yet.
  const preparedRoomId = roomId ?? (route.kind === 'room' ? route.roomId : ('' as RoomId));
  useLayoutWarmup(roomHost, !showRoom);

  useEffect(() => {
    if (active && !inRoute) session.leave({ navigate: false });
  }, [active, inRoute, session]);

  // The form that was pressed stays as it was while the room is entered (the lobby's Join
  // has already moved the address to /r/<room>): same form, same words, "Joining…".
  const [lobbyRoom, setLobbyRoom] = useState('');
  const routeRoom = route.kind === 'room' ? route.roomId : '';
  if (!active && lobbyRoom !== routeRoom) setLobbyRoom(routeRoom);
  // The deferred value lags a Leave by a render: the room hides at once.
  const visible = showRoom && active && inRoute;
  // The room hears what changed since Join a render before it is shown: told while it is still
  // hidden, its catch-up joins the deferred render that shows it, which yields to the signaling.
  // Told once shown, it was a render of its own at blocking priority (1.6 s on a busy sixth joiner).
  const hearing = reveal && active && inRoute;
  useLayoutEffect(() => roomView.setShown(hearing), [hearing]);
  const rejoining = route.kind === 'room' && rejoiningRoomId === route.roomId;
  return (
    <>
      {visible ? null : rejoining ? <RejoinPage roomId={route.roomId} /> : <LobbyPage key={lobbyRoom} initialRoom={lobbyRoom} />}
      <div ref={roomHost} className="room-host">
        <HiddenRoom roomId={preparedRoomId} visible={visible} />
      </div>
    </>
  );
}
