import type { DisplayName, RoomId, ServerMessage, Signal, UserId, VoiceState } from '@parley/protocol';

/**
 * What can happen to the rooms. `disconnect` is its own command, not a side
 * effect of a socket closing, so a grace period can later delay or cancel it.
 */
export type RoomCommand =
  | { kind: 'join'; userId: UserId; displayName: DisplayName; roomId: RoomId; voice?: VoiceState | undefined }
  | { kind: 'leave'; userId: UserId }
  | { kind: 'disconnect'; userId: UserId }
  | { kind: 'signal'; from: UserId; to: UserId; signal: Signal }
  | { kind: 'voiceState'; userId: UserId; muted: boolean; deafened: boolean };

/** A message the transport must deliver to each of `to` that is still connected. */
export type Effect = { to: readonly UserId[]; message: ServerMessage };
