import path from 'node:path';
import express, { Router } from 'express';

/**
 * The built web app: its files as they are, and index.html for any other
 * page path (`/`, `/r/<roomId>`) so the client-side router can take over.
 * A missing file with an extension (`/assets/gone.js`) stays a 404.
 */
export function webAppRouter(webDir: string): Router {
  const router = Router();
  const indexHtml = path.resolve(webDir, 'index.html');
  router.use(
    express.static(webDir, {
      index: false,
      setHeaders(res, filePath) {
        // Vite fingerprints everything under assets/; the rest may change between deploys.
        const immutable = filePath.startsWith(path.resolve(webDir, 'assets') + path.sep);
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.get('/{*page}', (req, res, next) => {
    if (path.extname(req.path) !== '' || !req.accepts('html')) return next();
    res.set('Cache-Control', 'no-cache');
    res.sendFile(indexHtml, (err) => {
      if (!err || res.headersSent) return;
      res.status(404).type('text/plain').send("Parley's web app is not built.\n");
    });
  });
  return router;
}
