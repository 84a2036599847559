import { PROTOCOL_VERSION } from '@parley/protocol';
import { Router } from 'express';
import type { Stats } from '../metrics';

/** What a dependency of this node says about itself: `kind` names it (sqlite, postgres, memory, redis). */
export type DependencyHealth = { kind: string; ok: boolean };

export type HealthChecks = {
  /** Where chat is stored. */
  database(): Promise<DependencyHealth>;
  /** How nodes share rooms. */
  bus(): Promise<DependencyHealth>;
};

/**
 * `GET /healthz`: 200 while the process serves; load balancers and the e2e
 * runner poll it. The body says how the node's dependencies are doing; a
 * database that is away does not make the node unhealthy (voice and
 * presence still work, chat answers `internal` until it is back), and
 * neither does a bus that is away (its client queues and reconnects), so a
 * load balancer keeps sending people to it.
 */
export function healthRouter(stats: () => Stats, checks: HealthChecks): Router {
  const router = Router();
  router.get('/healthz', (_req, res, next) => {
    Promise.all([checks.database(), checks.bus()])
      .then(([database, bus]) => {
        const { rooms, participants, socketsOpen } = stats();
        res.set('Cache-Control', 'no-store').json({ ok: true, protocolVersion: PROTOCOL_VERSION, rooms, participants, sockets: socketsOpen, database, bus });
      })
      .catch(next);
  });
  return router;
}
