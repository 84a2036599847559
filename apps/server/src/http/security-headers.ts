import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * What the page may do, and who may embed it. The built app is one module
 * script and one stylesheet from /assets (no inline script or style: Vite
 * writes none, and React's `style` props go through the CSSOM, which CSP does
 * not govern); the one exception to "no code but our scripts" is WebAssembly
 * ('wasm-unsafe-eval': compiling wasm, never eval of strings), which the
 * optional RNNoise noise suppression runs in its AudioWorklet; it talks to its own origin only: fetch and EventSource
 * (`/api/rooms`) and the WebSocket `/ws`; remote voice plays from MediaStreams
 * (`srcObject`), which no fetch directive covers. CSP3 lets 'self' match ws:
 * and wss: on the page's host, and Chromium and Firefox do; older Safari does
 * not, hence the page's host spelled out for connect-src.
 */
const DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'", sameHostWebSocket],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Features the page may use: the microphone, for itself only (no frame it
 * might embed); the rest of what a voice room never needs, for nobody.
 */
const PERMISSIONS_POLICY = 'microphone=(self), camera=(), display-capture=(), geolocation=(), payment=(), usb=()';

/** A Host header fit to go into the policy: a DNS name or IP literal and a port, nothing else. */
const PLAIN_HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function sameHostWebSocket(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return PLAIN_HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

/**
 * Headers on every HTTP response: helmet's set with the policy above,
 * `Referrer-Policy: no-referrer` (room links never leak to other sites),
 * `X-Frame-Options: DENY` beside frame-ancestors for old browsers, and
 * Permissions-Policy, which helmet does not set. Left out on purpose:
 * Strict-Transport-Security (the server speaks plain HTTP; the TLS proxy in
 * front of it decides), Cross-Origin-Embedder-Policy (nothing here needs
 * cross-origin isolation) and upgrade-insecure-requests (a plain-HTTP
 * deployment on a LAN must keep working).
 */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
      xFrameOptions: { action: 'deny' },
    }),
    (_req, res, next) => {
      res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
      next();
    },
  ];
}
