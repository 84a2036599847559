import type { ConnectionState, MeshError } from '@parley/mesh';
import type { ErrorCode, RoomId, UserId } from '@parley/protocol';
import type { StateCreator } from 'zustand/vanilla';

/** An engine error as data: enough to describe it in plain words later. */
export type SessionError = {
  id: number;
  reason: MeshError['reason'] | 'unexpected';
  recoverable: boolean;
  code?: ErrorCode;
  peerId?: UserId;
  /** A rate limit: when the server will listen again. */
  retryAfterMs?: number;
  /** The client message the server's error answers, when it says. */
  inReplyTo?: string;
  /** The engine's own message, for logs and the unexpected case. */
  detail: string;
};
export type SessionErrorInput = Omit<SessionError, 'id'>;

/** At most this many errors are kept; older ones fall off. */
const MAX_ERRORS = 3;

export type SessionSlice = {
  displayName: string;
  selfId: UserId | undefined;
  connection: ConnectionState;
  errors: SessionError[];
  nextErrorId: number;
  /** Coming back to this room as the participant this tab already was (after a reload). */
  rejoiningRoomId: RoomId | undefined;

  displayNameChosen(displayName: string): void;
  rejoinStarted(roomId: RoomId): void;
  sessionStarted(userId: UserId): void;
  connectionChanged(to: ConnectionState): void;
  errorRaised(error: SessionErrorInput): void;
  errorDismissed(id: number): void;
  sessionEnded(): void;
};

function sameError(a: SessionErrorInput, b: SessionErrorInput): boolean {
  return a.reason === b.reason && a.code === b.code && a.peerId === b.peerId;
}

export const createSessionSlice: StateCreator<SessionSlice, [], [], SessionSlice> = (set) => ({
  displayName: '',
  selfId: undefined,
  connection: 'idle',
  errors: [],
  nextErrorId: 1,
  rejoiningRoomId: undefined,

  displayNameChosen: (displayName) => set({ displayName }),
  rejoinStarted: (roomId) => set({ rejoiningRoomId: roomId }),
  sessionStarted: (userId) => set({ selfId: userId }),
  connectionChanged: (to) => set({ connection: to }),
  errorRaised: (error) =>
    set((s) => ({
      // The same failure again replaces the old entry rather than stacking up.
      errors: [...s.errors.filter((e) => !sameError(e, error)), { ...error, id: s.nextErrorId }].slice(-MAX_ERRORS),
      nextErrorId: s.nextErrorId + 1,
    })),
  errorDismissed: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
  sessionEnded: () => set({ selfId: undefined, connection: 'idle', errors: [], rejoiningRoomId: undefined }),
});

/** This tab's session was taken over by another tab or window that opened the same room. */
export function selectReplaced(state: Pick<SessionSlice, 'connection' | 'errors'>): boolean {
  return state.connection === 'closed' && state.errors.some((error) => error.reason === 'replaced');
}
