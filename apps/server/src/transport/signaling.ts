import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, type WebSocketServer } from 'ws';
import type { Config } from '../config';
import { addressKey, clientAddress, proxyTrust } from '../http/client-address';
import { connectionAcceptor, type ConnectionDeps } from './connection';
import { startHeartbeat } from './heartbeat';
import { createUpgradeLimits, originAllowed } from './upgrade-gate';

export const SIGNALING_PATH = '/ws';

/** How long close() waits for clients to answer the 1001 close frame before cutting them off. */
const CLOSE_GRACE_MS = 2_000;

export type Signaling = {
  /** Stop accepting sockets, close every open one with 1001, resolve when all are gone. */
  close(): Promise<void>;
};

export type SignalingDeps = ConnectionDeps & {
  config: ConnectionDeps['config'] &
    Pick<Config, 'allowedOrigins' | 'trustProxy' | 'maxSocketsPerAddress' | 'maxHandshakesPerMin'>;
};

/**
 * Serves WebSocket upgrades on `/ws` of `httpServer`; every other upgrade is
 * refused. Before any socket exists, an upgrade must come from an allowed
 * Origin (403) and its client address (behind PARLEY_TRUST_PROXY proxies, the
 * forwarded one) must be within its handshake rate and open-socket count (429
 * with Retry-After). That address is the one the connection limits by.
 */
export function attachSignaling(httpServer: Server, wss: WebSocketServer, deps: SignalingDeps): Signaling {
  const log: Logger = deps.logger;
  const { config } = deps;
  const heartbeat = startHeartbeat({ clock: deps.clock, intervalMs: config.heartbeatIntervalMs, logger: log });
  const trust = proxyTrust(config.trustProxy);
  const limits = createUpgradeLimits(config, deps.clock);
  const acceptConnection = connectionAcceptor(deps);
  let accepting = true;
  // One listener for every raw socket, not one made per upgrade.
  const onSocketError = (err: Error): void => log.debug({ err: err.message }, 'upgrade socket error');

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', onSocketError);
    if (!accepting) return refuseUpgrade(socket, 503);
    if (pathOf(req.url) !== SIGNALING_PATH) return refuseUpgrade(socket, 404);
    const { origin, host } = req.headers;
    if (!originAllowed(origin, host, config.allowedOrigins)) {
      log.info({ origin, host }, 'upgrade refused: origin not allowed (see PARLEY_ALLOWED_ORIGINS)');
      return refuseUpgrade(socket, 403);
    }
    const address = addressKey(clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trust));
    const admission = limits.admit(address);
    if (!admission.ok) {
      log.debug({ address, reason: admission.reason }, 'upgrade refused: over the per-address limit');
      return refuseUpgrade(socket, 429, admission.retryAfterS);
    }
    // The raw socket closes whichever way this ends (handshake refused by ws, socket closed, terminated),
    // and only once: `on`, not `once`, which would wrap the listener for every socket.
    socket.on('close', admission.release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connId = deps.ids.connId();
      heartbeat.track(ws, connId);
      acceptConnection(ws, connId, address);
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

function refuseUpgrade(socket: Duplex, status: 403 | 404 | 429 | 503, retryAfterS?: number): void {
  const text = STATUS_CODES[status] ?? '';
  const retryAfter = retryAfterS === undefined ? '' : `Retry-After: ${retryAfterS}\r\n`;
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${retryAfter}Content-Length: 0\r\n\r\n`);
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
