import { createRateLimiter } from '../chat/rate-limiter';
import type { Clock } from '../clock';

/**
 * Whether a WebSocket upgrade carrying `origin` (its Origin header) may go on.
 * Browsers always send Origin on a WebSocket handshake, so this is what keeps
 * other sites' pages from driving the server through their visitors:
 * - no Origin at all: a non-browser client (the bot, tests, curl), allowed;
 * - the page's own origin: an http(s) Origin whose host is the request's Host;
 * - an origin listed in PARLEY_ALLOWED_ORIGINS (`allowed`, already normalized
 *   by config.ts to `scheme://host[:port]`, as browsers send it);
 * - anything else, `null` included: refused.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (a sandboxed frame, a file: page) or junk
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowed.includes(url.origin)) return true;
  if (host === undefined) return false;
  const requestHost = host.toLowerCase();
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return url.host === requestHost || `${url.host}:${defaultPort}` === requestHost;
}

export type UpgradeLimitsConfig = {
  /** Open sockets one address may hold at once. */
  maxSocketsPerAddress: number;
  /** Handshakes one address may start per minute, sustained; as many at once after a quiet minute. */
  maxHandshakesPerMin: number;
};

export type Admission =
  | { ok: true; /** Call once the socket has closed (calling again does nothing). */ release(): void }
  | { ok: false; reason: 'handshake_rate' | 'too_many_sockets'; retryAfterS: number };

export type UpgradeLimits = {
  /** Counts one handshake from `address` and, when admitted, one open socket until release(). */
  admit(address: string): Admission;
};

/** What a client refused for holding too many sockets is told to wait: people leave at their own pace. */
const TOO_MANY_SOCKETS_RETRY_S = 10;

/**
 * Per-address limits on new WebSockets: a token bucket of handshakes (every
 * attempt that got this far counts, admitted or not) and a count of open
 * sockets. Keys are whatever the caller counts by (http/client-address.ts addressKey).
 */
export function createUpgradeLimits(config: UpgradeLimitsConfig, clock: Pick<Clock, 'now'>): UpgradeLimits {
  const perMinute = config.maxHandshakesPerMin;
  const handshakes = createRateLimiter({ perS: perMinute / 60, burst: perMinute }, clock);
  const openSockets = new Map<string, number>();

  return {
    admit(address) {
      const took = handshakes.take(address);
      if (!took.ok) return { ok: false, reason: 'handshake_rate', retryAfterS: Math.max(1, Math.ceil(took.retryAfterMs / 1000)) };
      const open = openSockets.get(address) ?? 0;
      if (open >= config.maxSocketsPerAddress) return { ok: false, reason: 'too_many_sockets', retryAfterS: TOO_MANY_SOCKETS_RETRY_S };
      openSockets.set(address, open + 1);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          const left = (openSockets.get(address) ?? 1) - 1;
          if (left > 0) openSockets.set(address, left);
          else openSockets.delete(address);
        },
      };
    },
  };
}
