import type { ServerMessage, UserId } from '@parley/protocol';

export type Send = (message: ServerMessage) => void;

/** One socket's hold on a participant. */
export type SessionHandle = {
  send: Send;
  /** Ends this socket because a newer one took the participant over. */
  supersede(): void;
};

/**
 * The connected participants on this node: userId -> the one socket that
 * speaks for them. A resumed session replaces the older socket's handle.
 */
export function createSessions() {
  const byUser = new Map<UserId, SessionHandle>();
  return {
    /** Binds `userId` to `handle`; returns the handle it replaced, if any. */
    add(userId: UserId, handle: SessionHandle): SessionHandle | undefined {
      const previous = byUser.get(userId);
      byUser.set(userId, handle);
      return previous === handle ? undefined : previous;
    },
    /**
     * Unbinds `userId` if it is still bound to `handle`; returns whether it was.
     * False means a newer socket took over: its close is no disconnect.
     */
    remove(userId: UserId, handle: SessionHandle): boolean {
      if (byUser.get(userId) !== handle) return false;
      byUser.delete(userId);
      return true;
    },
    /** Ends this node's socket for `userId`: they are now connected through another node. */
    supersede(userId: UserId): void {
      const handle = byUser.get(userId);
      byUser.delete(userId);
      handle?.supersede();
    },
    /** Whether `userId` is connected to this node. */
    has(userId: UserId): boolean {
      return byUser.has(userId);
    },
    /** Sends to each recipient that is still connected; others are skipped. */
    deliver(to: readonly UserId[], message: ServerMessage): void {
      for (const userId of to) byUser.get(userId)?.send(message);
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
