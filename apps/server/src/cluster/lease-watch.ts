import type { UserId } from '@parley/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Bus } from './bus';
import type { ParticipantNodes } from './participant-nodes';

/** How often each node looks for nodes whose lease ran out (see redis-bus.ts for the lease itself). */
export const LEASE_CHECK_MS = 1_000;
/**
 * A node is dead after its lease was missing this many looks in a row. One
 * miss is not enough: a Redis restarted empty has lost every lease until
 * each node renews its own (every second).
 */
export const MISSES_BEFORE_DEAD = 3;

export type LeaseWatchDeps = {
  bus: Pick<Bus, 'nodeId' | 'liveNodes'>;
  nodes: ParticipantNodes;
  /** Whether the participant is listed online now (a reconnecting one needs nothing more). */
  isOnline(userId: UserId): boolean;
  /** Turns them 'reconnecting' everywhere, unless they have since come back through another node. */
  disconnect(userId: UserId, ifOn: string): void;
  clock: Clock;
  logger: Logger;
};

/**
 * A node that dies says nothing: its sockets are gone but nobody sent their
 * disconnects. Every node looks, every LEASE_CHECK_MS, at the nodes people
 * are connected through; for one whose lease is gone it sends, for each of
 * its participants still online, the disconnect that node could not send.
 * Several nodes may send the same one: the first turns them reconnecting,
 * the rest change nothing. Grace then runs as after any dropped socket:
 * they are gone unless they resume through another node. Returns the stop function.
 */
export function startLeaseWatch(deps: LeaseWatchDeps): () => void {
  let checking = false;
  const misses = new Map<string, number>();
  const check = async (): Promise<void> => {
    const others = deps.nodes.nodes().filter((node) => node !== deps.bus.nodeId);
    if (checking || others.length === 0) return;
    checking = true;
    try {
      const live = await deps.bus.liveNodes(others);
      if (!live) return;
      for (const node of [...misses.keys()]) if (!others.includes(node)) misses.delete(node);
      for (const node of others) {
        if (live.has(node)) {
          misses.delete(node);
          continue;
        }
        const missed = (misses.get(node) ?? 0) + 1;
        misses.set(node, missed);
        if (missed < MISSES_BEFORE_DEAD) continue;
        const stranded = deps.nodes.on(node).filter((userId) => deps.isOnline(userId));
        if (stranded.length === 0) continue;
        deps.logger.warn({ node, participants: stranded.length }, 'a node stopped renewing its lease: its participants are reconnecting');
        for (const userId of stranded) deps.disconnect(userId, node);
      }
    } catch (err) {
      deps.logger.warn({ err }, 'checking node leases failed');
    } finally {
      checking = false;
    }
  };
  return deps.clock.setInterval(() => void check(), LEASE_CHECK_MS);
}
