import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Clock } from '../clock';

export type Heartbeat = {
  track(socket: WebSocket, connId: string): void;
  stop(): void;
};

/**
 * The ws heartbeat recipe: every interval, a socket that has not answered the
 * previous ping is terminated; the others are marked not-alive and pinged. A
 * vanished client is dropped within two intervals. Only a pong counts: a
 * client that keeps sending but never reads (its pongs would wait behind what
 * it does not read) is not alive to us.
 */
export function startHeartbeat(deps: { clock: Clock; intervalMs: number; logger: Logger }): Heartbeat {
  const tracked = new Map<WebSocket, { connId: string; alive: boolean }>();
  // Shared by every socket (ws calls them with the socket as `this`): a socket costs its entry, not closures of its own.
  function socketOnPong(this: WebSocket): void {
    const entry = tracked.get(this);
    if (entry) entry.alive = true;
  }
  function socketOnClose(this: WebSocket): void {
    tracked.delete(this);
  }

  const stop = deps.clock.setInterval(() => {
    for (const [socket, entry] of tracked) {
      if (!entry.alive) {
        deps.logger.info({ connId: entry.connId }, 'heartbeat missed, terminating socket');
        tracked.delete(socket);
        socket.terminate();
        continue;
      }
      entry.alive = false;
      socket.ping();
    }
  }, deps.intervalMs);

  return {
    track(socket, connId) {
      tracked.set(socket, { connId, alive: true });
      socket.on('pong', socketOnPong);
      socket.on('close', socketOnClose);
    },
    stop,
  };
}
