import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { EventLoopReading } from '../event-loop-delay';
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

/** The event loop's lateness since the previous scrape (event-loop-delay.ts): gauges. */
const EVENT_LOOP_HELP: Record<keyof EventLoopReading, [name: string, help: string]> = {
  p99Seconds: ['parley_event_loop_delay_p99_seconds', 'How late the event loop ran, 99th percentile, since the previous scrape.'],
  maxSeconds: ['parley_event_loop_delay_max_seconds', 'How late the event loop ran at worst since the previous scrape.'],
};

/**
 * `GET /metrics`: the counters in Prometheus text format, and how late the
 * event loop ran since the previous scrape, for a scraper that sends
 * `Authorization: Bearer <token>` (anyone else gets 401). Without a token
 * configured the endpoint is off: 404, like any path that is not there.
 */
export function metricsRouter(stats: () => Stats, token: string | undefined, eventLoop: () => EventLoopReading): Router {
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
    const reading = eventLoop();
    for (const key of Object.keys(EVENT_LOOP_HELP) as (keyof EventLoopReading)[]) {
      const [name, help] = EVENT_LOOP_HELP[key];
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${reading[key]}`);
    }
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
