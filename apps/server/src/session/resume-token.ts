import { createHmac, timingSafeEqual } from 'node:crypto';
import { UserId } from '@parley/protocol';
import { z } from 'zod';
import type { Clock } from '../clock';

/**
 * Resume tokens: `base64url(JSON {v:1, uid, gen, iat})` + '.' + `base64url(HMAC-SHA256(secret, first part))`.
 * Stateless: any server holding the same secret accepts them, so an identity
 * survives a dropped socket, a page reload and a server restart.
 *
 * `gen` counts the sessions of one identity: each welcome is one more than
 * the session whose token it resumed (a fresh identity starts at 1). Clients
 * number their peer connections from it, so a reloaded page's connections
 * are newer than the old page's whatever either machine's clock says.
 */
export type ResumeTokens = {
  issue(userId: UserId, generation: number): string;
  verify(token: string): TokenCheck;
};

export type TokenCheck = { ok: true; userId: UserId; generation: number } | { ok: false; reason: 'malformed' | 'bad_mac' | 'expired' };

export const MAX_GENERATION = 2 ** 31;

const Payload = z.object({
  v: z.literal(1),
  uid: UserId,
  /** The session generation; absent in tokens issued before it existed (counted as 0). */
  gen: z.number().int().min(0).max(MAX_GENERATION).optional(),
  /** Issued at, seconds since the epoch. */
  iat: z.number().int().nonnegative(),
});

export function createResumeTokens(deps: { secret: Uint8Array; ttlS: number; clock: Pick<Clock, 'now'> }): ResumeTokens {
  const mac = (payload: string): Buffer => createHmac('sha256', deps.secret).update(payload).digest();
  const nowS = (): number => Math.floor(deps.clock.now() / 1000);

  return {
    issue(userId, generation) {
      const payload = Buffer.from(JSON.stringify({ v: 1, uid: userId, gen: generation, iat: nowS() })).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token) {
      const parts = token.split('.');
      const [payload, signature] = parts;
      if (parts.length !== 2 || !payload || !signature) return { ok: false, reason: 'malformed' };
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_mac' };
      const claims = Payload.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
      if (!claims.success) return { ok: false, reason: 'malformed' };
      const ageS = nowS() - claims.data.iat;
      if (ageS > deps.ttlS) return { ok: false, reason: 'expired' };
      return { ok: true, userId: claims.data.uid, generation: claims.data.gen ?? 0 };
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
