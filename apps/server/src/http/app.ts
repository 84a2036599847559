import { STATUS_CODES } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import type { EventLoopReading } from '../event-loop-delay';
import type { Stats } from '../metrics';
import { proxyTrust, type TrustProxy } from './client-address';
import { healthRouter, type HealthChecks } from './health';
import { metricsRouter } from './metrics';
import { securityHeaders } from './security-headers';
import { webAppRouter } from './web-app';

export type HttpAppDeps = {
  webDir: string;
  logger: Logger;
  stats: () => Stats;
  /** What /healthz reports about the node's dependencies. */
  health: HealthChecks;
  /** GET /api/rooms: the lobby's live list of listed rooms (listed-rooms.ts). */
  listedRooms: Router;
  /** PARLEY_METRICS_TOKEN: /metrics is served only to its bearer, and not at all without one. */
  metricsToken: string | undefined;
  /** The event loop's lateness since the previous scrape, for /metrics. */
  eventLoop: () => EventLoopReading;
  /** PARLEY_TRUST_PROXY, for req.ip and req.protocol behind proxies (the upgrade path uses the same). */
  trustProxy: TrustProxy;
};

/** The HTTP side: health, metrics, and the built web app with an SPA fallback. */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', proxyTrust(deps.trustProxy));
  app.use(securityHeaders());
  app.use(refuseMalformedUrl(deps.logger));
  app.use(healthRouter(deps.stats, deps.health));
  app.use(metricsRouter(deps.stats, deps.metricsToken, deps.eventLoop));
  app.use(deps.listedRooms);
  app.use(webAppRouter(deps.webDir));
  app.use(onError(deps.logger));
  return app;
}

/**
 * A path that does not percent-decode (`/%`, `/r/%E0%A4%A`) is the client's
 * mistake: 400 in plain words, before any router tries to decode it and throws.
 */
function refuseMalformedUrl(logger: Logger): RequestHandler {
  return (req, res, next) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      logger.debug({ method: req.method, url: req.originalUrl }, 'malformed URL refused');
      res.status(400).type('text/plain').send('Bad Request: the URL is not valid percent-encoding.\n');
      return;
    }
    next();
  };
}

/**
 * The last resort. An error that carries a 4xx status (from a middleware: a
 * bad range, a malformed path a router could not decode) is the client's and
 * answered with that status in plain text, logged at debug; anything else is
 * ours: 500, logged at error. No stack ever reaches the client.
 */
function onError(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const status = clientErrorStatus(err);
    if (status !== undefined) logger.debug({ status, err: String(err), method: req.method, path: req.path }, 'http request refused');
    else logger.error({ err, method: req.method, path: req.path }, 'http handler failed');
    if (res.headersSent) return next(err);
    if (status !== undefined) res.status(status).type('text/plain').send(`${STATUS_CODES[status] ?? 'Bad Request'}\n`);
    else res.status(500).json({ ok: false, error: 'internal' });
  };
}

function clientErrorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}
