import { PROTOCOL_VERSION } from '@parley/protocol';
import { Router } from 'express';
import type { Stats } from '../metrics';

/** `GET /healthz`: 200 while the process serves; load balancers and the e2e runner poll it. */
export function healthRouter(stats: () => Stats): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const { rooms, participants, socketsOpen } = stats();
    res.set('Cache-Control', 'no-store').json({ ok: true, protocolVersion: PROTOCOL_VERSION, rooms, participants, sockets: socketsOpen });
  });
  return router;
}
