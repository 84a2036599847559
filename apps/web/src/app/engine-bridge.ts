import type { MeshError, RoomEvents } from '@parley/mesh';
import type { RemoteStreams } from '../features/voice/remote-streams';
import type { SessionErrorInput } from './session-slice';
import type { AppState, AppStore } from './store';
import type { Engine } from './engine';

type EventName = keyof RoomEvents;
type Handlers = { [K in EventName]: (payload: RoomEvents[K]) => void };

export function sessionErrorOf(error: MeshError): SessionErrorInput {
  const { details } = error;
  const { retryAfterMs, inReplyTo } = details;
  return {
    reason: error.reason,
    recoverable: error.recoverable,
    detail: error.message,
    ...(details.code === undefined ? {} : { code: details.code }),
    ...(details.peerId === undefined ? {} : { peerId: details.peerId }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
  };
}

/**
 * How every event of the session and the mesh lands in the store. Typed from
 * RoomEvents, so a new event fails to compile here until it is given a home.
 * The chat channel's events go to the chat controller (features/chat), which
 * also acts on them: an ack or a refusal decides what it sends next.
 */
function handlersFor(actions: () => AppState, streams: RemoteStreams): Handlers {
  return {
    connectionStateChanged: ({ to }) => actions().connectionChanged(to),
    sessionStarted: ({ userId }) => actions().sessionStarted(userId),
    roomJoined: (event) => actions().roomJoined(event),
    // The app's own leave unbridges first, so a roomLeft here is the engine rejoining after a reconnect.
    roomLeft: () => actions().roomInterrupted(),
    peerJoined: ({ participant }) => actions().peerJoined(participant),
    peerUpdated: ({ participant }) => actions().peerUpdated(participant),
    peerLeft: ({ userId }) => {
      streams.forget(userId);
      actions().peerLeft(userId);
    },
    linkStateChanged: ({ userId, to }) => actions().linkChanged(userId, to),
    // A stream is not data: it goes to the audio elements, not into the store.
    remoteTrack: ({ userId, stream }) => streams.arrived(userId, stream),
    speakingChanged: ({ userId, speaking }) => actions().speakingChanged(userId, speaking),
    linkQuality: ({ userId, quality }) => actions().linkQualityMeasured(userId, quality),
    // Not for the screen: the round trip it shows comes with linkQuality, from the same stats as loss and jitter.
    rttMeasured: () => {},
    speakingWhileMuted: ({ speaking }) => actions().speakingWhileMutedChanged(speaking),
    error: ({ error }) => actions().errorRaised(sessionErrorOf(error)),
    roomSettingsChanged: (settings) => actions().roomSettingsChanged(settings),
    inviteCreated: (invite) => actions().inviteCreated(invite),
    // Not for the screen: VoiceSession keeps the key in localStorage (OwnerKeys) and sends it with every later join.
    ownerKeyIssued: () => {},
    // The engine has left the room; VoiceSession releases it all as Leave does and tells the join form why.
    removedFromRoom: () => {},
  };
}

/** Runs the store changes one engine event makes. */
export type Offstage = <T>(work: () => T) => T;

/** Runs them as they come: React hears of each at once. */
export const onstage: Offstage = (work) => work();

/**
 * The one place engine events become store actions (and remote streams,
 * playable audio). `offstage` wraps each event's changes: the browser's
 * makes React hear of them later, in the background (see render-pacing).
 * Returns the unsubscribe.
 */
export function bridgeEngine(engine: Pick<Engine, 'on'>, store: AppStore, streams: RemoteStreams, offstage: Offstage = onstage): () => void {
  const handlers = handlersFor(store.getState, streams);
  const subscribe = <K extends EventName>(name: K) => engine.on(name, (payload) => offstage(() => handlers[name](payload)));
  const unsubscribers = (Object.keys(handlers) as EventName[]).map(subscribe);
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
