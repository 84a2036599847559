import type { ServerMessage, UserId } from '@parley/protocol';

export type Send = (message: ServerMessage) => void;

/** The connected participants on this node: userId -> how to reach their socket. */
export function createSessions() {
  const byUser = new Map<UserId, Send>();
  return {
    add(userId: UserId, send: Send): void {
      byUser.set(userId, send);
    },
    /** Removes `userId` only if it is still bound to `send` (a later resume may have replaced it). */
    remove(userId: UserId, send: Send): void {
      if (byUser.get(userId) === send) byUser.delete(userId);
    },
    /** Sends to each recipient that is still connected; others are skipped. */
    deliver(to: readonly UserId[], message: ServerMessage): void {
      for (const userId of to) byUser.get(userId)?.(message);
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
