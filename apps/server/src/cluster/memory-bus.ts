import type { Bus, BusHandlers } from './bus';

/**
 * The bus of a single process: every event is handled at once, inside
 * publish(), exactly as the room service did before there was a bus. There
 * is nobody to catch up with.
 */
export function createMemoryBus(): Bus {
  let handlers: BusHandlers | undefined;
  let closed = false;
  return {
    kind: 'memory',
    nodeId: 'local',
    start(given) {
      handlers = given;
      return Promise.resolve();
    },
    publish(event) {
      if (!handlers) return Promise.reject(new Error('bus not started'));
      handlers.event(event);
      return Promise.resolve();
    },
    ping: () => Promise.resolve(!closed),
    // One process: every participant is on this node, which is alive.
    liveNodes: (nodes) => Promise.resolve(new Set(nodes)),
    close() {
      closed = true;
      handlers = undefined;
      return Promise.resolve();
    },
  };
}
