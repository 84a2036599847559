import { Router } from 'express';
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

/** `GET /metrics`: the counters in Prometheus text format. */
export function metricsRouter(stats: () => Stats): Router {
  const router = Router();
  router.get('/metrics', (_req, res) => {
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

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
