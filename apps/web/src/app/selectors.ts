import type { ErrorCode, UserId } from '@parley/protocol';
import type { SessionError } from './session-slice';
import type { AppState } from './store';

// Selectors that read more than one slice. A slice's own selectors live beside it.

/**
 * Refusals that come from races the engine recovers from by itself (a signal
 * to a peer who just left or has not rejoined yet): nothing a person can act on.
 */
const QUIET_CODES: ReadonlySet<ErrorCode> = new Set(['peer_not_in_room', 'not_in_room']);

/**
 * Errors worth showing now: a per-peer failure disappears once that peer's
 * link is connected again, or once the peer has left.
 */
export function selectVisibleErrors(state: Pick<AppState, 'errors' | 'participants' | 'links'>): SessionError[] {
  return state.errors.filter((error) => {
    if (error.code !== undefined && QUIET_CODES.has(error.code)) return false;
    if (error.peerId === undefined) return true;
    return state.participants[error.peerId] !== undefined && state.links[error.peerId] !== 'connected';
  });
}

/** Everyone but you: whose audio this page plays. */
export function selectRemoteIds(state: Pick<AppState, 'order' | 'selfId'>): UserId[] {
  return state.order.filter((userId) => userId !== state.selfId);
}

/** Whether you run the room you are in: change its settings, invite, remove and mute people for everyone. */
export function selectIsOwner(state: Pick<AppState, 'selfId' | 'roomId' | 'roomSettings'>): boolean {
  const settings = state.roomSettings;
  return state.selfId !== undefined && settings !== undefined && settings.roomId === state.roomId && settings.ownerId === state.selfId;
}

/** Whether the owner muted you for everyone: nobody hears you, whatever your own Mute says. */
export function selectSilencedSelf(state: Pick<AppState, 'selfId' | 'roomSettings'>): boolean {
  return state.selfId !== undefined && (state.roomSettings?.silenced.includes(state.selfId) ?? false);
}
