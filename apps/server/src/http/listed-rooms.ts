import type { ListedRoom } from '@parley/protocol';
import { Router, type Response } from 'express';

/** Lobbies watching at once; more are answered 503 until some go. */
export const MAX_WATCHERS = 1_000;
/** Lobbies one client address may watch at once (a household's tabs); more are answered 429. */
export const MAX_WATCHERS_PER_ADDRESS = 8;
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
  const perAddress = new Map<string, number>();
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
    // req.ip: the client's address, behind the proxies PARLEY_TRUST_PROXY names.
    const address = req.ip ?? 'unknown';
    const mine = perAddress.get(address) ?? 0;
    if (mine >= MAX_WATCHERS_PER_ADDRESS) {
      res.status(429).set('Retry-After', '10').json({ ok: false, error: 'too many lobbies open from this address' });
      return;
    }
    perAddress.set(address, mine + 1);
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
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
  return router;
}
