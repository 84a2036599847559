import type { ListedRoom } from '@parley/protocol';
import { Router, type Response } from 'express';

/** Lobbies watching at once; more are answered 503 until some go. */
export const MAX_WATCHERS = 1_000;
/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 25_000;

export type ListedRoomsSource = {
  listedRooms(): ListedRoom[];
  /** Called after every change to the rooms; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
};

/**
 * `GET /api/rooms`: the lobby's "Open rooms", as a server-sent event stream.
 * Every event is the whole list (`{"rooms":[{roomId, people, passwordRequired,
 * locked}]}`), sent at once and again whenever it changes. Only rooms their
 * owner listed appear; an unlisted room's name never leaves the server.
 */
export function listedRoomsRouter(source: ListedRoomsSource): Router {
  const router = Router();
  const watchers = new Set<Response>();
  let last = '';

  const render = (): string => JSON.stringify({ rooms: source.listedRooms() });
  const push = (res: Response, data: string): void => {
    res.write(`data: ${data}\n\n`);
  };

  source.onChange(() => {
    if (watchers.size === 0) return;
    const data = render();
    if (data === last) return;
    last = data;
    for (const res of watchers) push(res, data);
  });

  router.get('/api/rooms', (req, res) => {
    if (watchers.size >= MAX_WATCHERS) {
      res.status(503).set('Retry-After', '10').json({ ok: false, error: 'too many lobbies watching; try again' });
      return;
    }
    res.status(200).set({
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    last = render();
    push(res, last);
    watchers.add(res);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    req.on('close', () => {
      clearInterval(keepalive);
      watchers.delete(res);
    });
  });
  return router;
}
