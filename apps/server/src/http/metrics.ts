import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Stats } from '../metrics';

const HELP: Record<keyof Stats, [type: 'gauge' | 'counter', help: string]> = {
  rooms: ['gauge', 'Rooms with at least one participant.'],
  participants: ['gauge', 'Participants in a room.'],
  socketsOpen: ['gauge', 'Open signaling sockets.'],
  socketsAccepted: ['counter', 'Signaling sockets accepted since start.'],
  messagesIn: ['counter', 'Frames received since start, valid or not.'],
  errorsSent: ['counter', 'Error frames sent since start.'],
  chatMessagesStored: ['counter', 'Chat messages stored since start.'],
  chatRateLimited: ['counter', 'Chat messages refused as rate-limited since start.'],
  chatStoreFailures: ['counter', 'Chat store reads or writes that failed since start.'],
};

/**
 * `GET /metrics`: the counters in Prometheus text format, for a scraper that
 * sends `Authorization: Bearer <token>` (anyone else gets 401). Without a token
 * configured the endpoint is off: 404, like any path that is not there.
 */
export function metricsRouter(stats: () => Stats, token: string | undefined): Router {
  const router = Router();
  if (token === undefined) {
    router.get('/metrics', (_req, res) => void res.status(404).type('text/plain').send('Not Found\n'));
    return router;
  }
  router.get('/metrics', requireBearer(token), (_req, res) => {
    const values = stats();
    const lines = (Object.keys(HELP) as (keyof Stats)[]).flatMap((key) => {
      const [type, help] = HELP[key];
      const name = `parley_${snakeCase(key)}`;
      return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${values[key]}`];
    });
    res.set('Cache-Control', 'no-store').type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
  return router;
}

function requireBearer(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const presented = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (timingSafeEqual(digest(presented), expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer realm="parley metrics"').type('text/plain').send('Unauthorized\n');
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
