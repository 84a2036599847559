import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { Stats } from '../metrics';
import { healthRouter } from './health';
import { metricsRouter } from './metrics';
import { webAppRouter } from './web-app';

export type HttpAppDeps = {
  webDir: string;
  logger: Logger;
  stats: () => Stats;
  /** GET /api/rooms: the lobby's live list of listed rooms (listed-rooms.ts). */
  listedRooms: Router;
};

/** The HTTP side: health, metrics, and the built web app with an SPA fallback. */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(deps.stats));
  app.use(metricsRouter(deps.stats));
  app.use(deps.listedRooms);
  app.use(webAppRouter(deps.webDir));
  app.use(onError(deps.logger));
  return app;
}

function onError(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    logger.error({ err, method: req.method, path: req.path }, 'http handler failed');
    if (res.headersSent) return next(err);
    res.status(500).json({ ok: false, error: 'internal' });
  };
}
