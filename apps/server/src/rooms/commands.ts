import type { DisplayName, RoomId, ServerMessage, Signal, UserId, VoiceState } from '@parley/protocol';

/**
 * What can happen to the rooms. A socket closing without room.leave is a
 * `disconnect` (the participant turns 'reconnecting'); `expire`, dispatched by
 * the room service once the grace period has passed, removes them unless a
 * `resume` (a new socket with their resume token) came first.
 */
export type RoomCommand =
  | { kind: 'join'; userId: UserId; displayName: DisplayName; roomId: RoomId; voice?: VoiceState | undefined }
  | { kind: 'leave'; userId: UserId }
  | { kind: 'disconnect'; userId: UserId }
  | { kind: 'resume'; userId: UserId }
  | { kind: 'expire'; userId: UserId }
  | { kind: 'signal'; from: UserId; to: UserId; signal: Signal }
  | { kind: 'voiceState'; userId: UserId; muted: boolean; deafened: boolean };

/** A message the transport must deliver to each of `to` that is still connected. */
export type Effect = { to: readonly UserId[]; message: ServerMessage };
