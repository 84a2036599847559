import type { DisplayName, Participant, RoomId, ServerMessage, Signal, UserId, VoiceState } from '@parley/protocol';
import type { RoomPolicy } from './state';

/**
 * What the join gate (rooms/join-gate.ts) found out before a join: the
 * room's stored policy when the room is not in memory, and what the joiner's
 * credentials are worth. The pure room logic decides with it; it never hashes
 * or verifies anything itself.
 */
export type Admission = {
  /**
   * The policy the gate decided on (from memory, or from the store for a
   * room nobody is in). What a room nobody is in by the time the join is
   * applied takes, so that a room emptied meanwhile is not reopened without
   * its owner key and password; a room people are in keeps its own.
   */
  stored?: RoomPolicy | undefined;
  /** For a room with no policy at all: the hash of the owner key its creator will be given. */
  newOwnerKeyHash?: string | undefined;
  /** The joiner presented the room's owner key. */
  ownerKey: boolean;
  invite: 'valid' | 'invalid' | 'none';
  password: 'right' | 'wrong' | 'none';
};

/** No credentials: what a join without any gets. */
export const NO_CREDENTIALS: Admission = { ownerKey: false, invite: 'none', password: 'none' };

/** What the owner changes; the password already hashed (null removes it). */
export type PolicyChange = { passwordHash?: string | null; locked?: boolean; listed?: boolean };

/**
 * What can happen to the rooms. A socket closing without room.leave is a
 * `disconnect` (the participant turns 'reconnecting'); `expire`, dispatched by
 * the room service once the grace period has passed, removes them unless a
 * `resume` (a new socket with their resume token) came first. A `resume` may
 * carry the name the new socket said hello with: a different one renames the
 * participant. `configure`, `remove` and `mute` are the owner's. `restore` is
 * a node's, never a client's: after Redis lost commands, the node a participant
 * is connected through says where they are and how they are listed
 * (cluster/reannounce.ts); `policy` and `keyHolder` matter only to a room the
 * others no longer know.
 */
export type RoomCommand =
  | { kind: 'join'; userId: UserId; displayName: DisplayName; roomId: RoomId; voice?: VoiceState | undefined; admission?: Admission }
  | { kind: 'leave'; userId: UserId }
  | { kind: 'disconnect'; userId: UserId }
  | { kind: 'resume'; userId: UserId; displayName?: DisplayName | undefined }
  | { kind: 'expire'; userId: UserId }
  | { kind: 'signal'; from: UserId; to: UserId; signal: Signal }
  | { kind: 'voiceState'; userId: UserId; muted: boolean; deafened: boolean }
  | { kind: 'configure'; userId: UserId; roomId: RoomId; change: PolicyChange }
  | { kind: 'remove'; userId: UserId; roomId: RoomId; target: UserId }
  | { kind: 'mute'; userId: UserId; roomId: RoomId; target: UserId; muted: boolean }
  | {
      kind: 'restore';
      userId: UserId;
      roomId: RoomId;
      participant: Pick<Participant, 'displayName' | 'presence' | 'muted' | 'deafened'>;
      policy: RoomPolicy;
      keyHolder: boolean;
    };

/** A message the transport must deliver to each of `to` that is still connected. */
export type Effect = { to: readonly UserId[]; message: ServerMessage };
