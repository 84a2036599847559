import type { PeerMeshEvents } from './peer-mesh';
import type { InternalSessionEvent, SessionEvents } from './session-client';

/** The signaling connection as a user would describe it. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** One peer link's lifecycle. */
export type LinkState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'restarting' | 'failed' | 'closed';

/**
 * Every event of the session client and the peer mesh, with its payload, in
 * one map: RoomClient.on() and callers that want one subscription are typed
 * from it. The chat's events are its own (ChatEvents in chat-channel.ts).
 */
export type RoomEvents = Omit<SessionEvents, InternalSessionEvent> & PeerMeshEvents;

export type RoomEventName = keyof RoomEvents;
