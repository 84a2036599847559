import type { ErrorCode, RoomId } from '@parley/protocol';
import type { StateCreator } from 'zustand/vanilla';

/** The server's answers to `room.join` that leave you outside the room. */
export const JOIN_REFUSAL_CODES = [
  'password_required',
  'wrong_password',
  'rate_limited',
  'room_locked',
  'invite_invalid',
  'removed',
  'room_full',
] as const satisfies readonly ErrorCode[];
export type JoinRefusalCode = (typeof JOIN_REFUSAL_CODES)[number];

/** Why the last attempt to enter `roomId` ended on the join form again (or the owner put us out). */
export type JoinRefusal = { roomId: RoomId; code: JoinRefusalCode; retryAfterMs?: number };

/**
 * The join form's reason to ask again. Outlives the visit it ended (the
 * visit's own state is reset when it is torn down); the next Join clears it.
 */
export type JoinRefusalSlice = {
  joinRefusal: JoinRefusal | undefined;

  joinRefused(refusal: JoinRefusal): void;
  joinRefusalCleared(): void;
};

export const createJoinRefusalSlice: StateCreator<JoinRefusalSlice, [], [], JoinRefusalSlice> = (set) => ({
  joinRefusal: undefined,

  joinRefused: (refusal) => set({ joinRefusal: { ...refusal } }),
  joinRefusalCleared: () => set((s) => (s.joinRefusal === undefined ? s : { joinRefusal: undefined })),
});
