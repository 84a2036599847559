import type { UserId } from '@parley/protocol';
import type { RoomCommand } from '../rooms/commands';

/**
 * Which node each participant is connected through: the node of their
 * latest join or resume (or of the node that restored them), as the bus carried it. Every node derives the same
 * map from the same commands, so when a node dies every node knows whose
 * presence to turn 'reconnecting'. It never decides room matters: the pure
 * room logic does.
 */
export type ParticipantNodes = {
  /**
   * Whether a command guarded by `ifOn` still concerns where the participant
   * is: they are connected through that node, or through none for `null`.
   */
  accepts(userId: UserId, ifOn: string | null | undefined): boolean;
  /** After `command` (from `node`) was applied; `stillIn` says whether the participant is in a room now. Returns the node they left, if they moved. */
  applied(command: RoomCommand, node: string, stillIn: (userId: UserId) => boolean): string | undefined;
  /** The participants connected through `node`. */
  on(node: string): UserId[];
  /** Every node someone is connected through. */
  nodes(): string[];
  snapshot(): Array<[UserId, string]>;
  restore(entries: ReadonlyArray<readonly [UserId, string]>): void;
};

export function createParticipantNodes(): ParticipantNodes {
  const byUser = new Map<UserId, string>();
  return {
    accepts: (userId, ifOn) => ifOn === undefined || (byUser.get(userId) ?? null) === ifOn,
    applied(command, node, stillIn) {
      if (command.kind === 'signal') return undefined;
      const userId = command.userId;
      const previous = byUser.get(userId);
      if (command.kind === 'join' || command.kind === 'resume' || command.kind === 'restore') {
        if (stillIn(userId)) byUser.set(userId, node);
        return previous !== undefined && previous !== node ? previous : undefined;
      }
      if (!stillIn(userId)) byUser.delete(userId);
      if (command.kind === 'remove' && !stillIn(command.target)) byUser.delete(command.target);
      return undefined;
    },
    on: (node) => [...byUser].filter(([, at]) => at === node).map(([userId]) => userId),
    nodes: () => [...new Set(byUser.values())],
    snapshot: () => [...byUser],
    restore(entries) {
      byUser.clear();
      for (const [userId, node] of entries) byUser.set(userId, node);
    },
  };
}
