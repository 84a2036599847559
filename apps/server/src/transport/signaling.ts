import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, type WebSocketServer } from 'ws';
import { acceptConnection, type ConnectionDeps } from './connection';
import { startHeartbeat } from './heartbeat';

export const SIGNALING_PATH = '/ws';

/** How long close() waits for clients to answer the 1001 close frame before cutting them off. */
const CLOSE_GRACE_MS = 2_000;

export type Signaling = {
  /** Stop accepting sockets, close every open one with 1001, resolve when all are gone. */
  close(): Promise<void>;
};

/** Serves WebSocket upgrades on `/ws` of `httpServer`; every other upgrade is refused. */
export function attachSignaling(httpServer: Server, wss: WebSocketServer, deps: ConnectionDeps): Signaling {
  const log: Logger = deps.logger;
  const heartbeat = startHeartbeat({ clock: deps.clock, intervalMs: deps.config.heartbeatIntervalMs, logger: log });
  let accepting = true;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (err) => log.debug({ err: err.message }, 'upgrade socket error'));
    if (!accepting) return refuseUpgrade(socket, 503);
    if (pathOf(req.url) !== SIGNALING_PATH) return refuseUpgrade(socket, 404);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connId = deps.ids.connId();
      heartbeat.track(ws, connId);
      acceptConnection(ws, connId, req.socket.remoteAddress ?? 'unknown', deps);
    });
  };
  httpServer.on('upgrade', onUpgrade);

  return {
    async close() {
      accepting = false;
      heartbeat.stop();
      httpServer.off('upgrade', onUpgrade);
      await closeAll([...wss.clients], deps.clock);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

function refuseUpgrade(socket: Duplex, status: 404 | 503): void {
  const text = STATUS_CODES[status] ?? '';
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

async function closeAll(sockets: WebSocket[], clock: ConnectionDeps['clock']): Promise<void> {
  const closed = sockets.map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1001, 'server shutting down');
      }),
  );
  let cancel = (): void => {};
  const timedOut = new Promise<void>((resolve) => {
    cancel = clock.setTimeout(resolve, CLOSE_GRACE_MS);
  });
  await Promise.race([Promise.all(closed), timedOut]);
  cancel();
  for (const socket of sockets) if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
}
