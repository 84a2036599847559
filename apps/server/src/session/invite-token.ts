import { createHmac, timingSafeEqual } from 'node:crypto';
import { RoomId } from '@parley/protocol';
import { z } from 'zod';
import type { Clock } from '../clock';

/**
 * Invite tokens: `base64url(JSON {v:1, room, exp})` + '.' + `base64url(HMAC-SHA256(key, first part))`,
 * where key = HMAC-SHA256(secret, "parley invite v1"), so an invite can never pass for a
 * resume token or the other way round. Stateless, like resume tokens: any server holding
 * the same secret accepts them. They ride in the invite link's fragment, which browsers
 * never send in a request, so they stay out of request lines and server logs.
 * Decoding is strict: the signature and payload must be canonical base64url, so a
 * token with a changed last character or anything appended is refused.
 */
export type InviteTokens = {
  issue(roomId: RoomId): { token: string; expiresAt: number };
  verify(token: string, roomId: RoomId): InviteCheck;
};

export type InviteCheck = { ok: true } | { ok: false; reason: 'malformed' | 'bad_mac' | 'other_room' | 'expired' };

const Payload = z.object({
  v: z.literal(1),
  room: RoomId,
  /** Expires at, seconds since the epoch. */
  exp: z.number().int().nonnegative(),
});

const CANONICAL = /^[A-Za-z0-9_-]+$/;

export function createInviteTokens(deps: { secret: Uint8Array; ttlS: number; clock: Pick<Clock, 'now'> }): InviteTokens {
  const key = createHmac('sha256', deps.secret).update('parley invite v1').digest();
  const mac = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();
  const nowS = (): number => Math.floor(deps.clock.now() / 1000);

  return {
    issue(roomId) {
      const exp = nowS() + deps.ttlS;
      const payload = Buffer.from(JSON.stringify({ v: 1, room: roomId, exp })).toString('base64url');
      return { token: `${payload}.${mac(payload).toString('base64url')}`, expiresAt: exp * 1000 };
    },
    verify(token, roomId) {
      const parts = token.split('.');
      const [payload, signature] = parts;
      if (parts.length !== 2 || !payload || !signature || !CANONICAL.test(payload) || !CANONICAL.test(signature)) {
        return { ok: false, reason: 'malformed' };
      }
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload);
      // A non-canonical encoding (spare bits set in the last character) decodes to the same bytes: refuse it.
      if (given.toString('base64url') !== signature || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'bad_mac' };
      }
      const claims = Payload.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
      if (!claims.success) return { ok: false, reason: 'malformed' };
      if (claims.data.room !== roomId) return { ok: false, reason: 'other_room' };
      if (claims.data.exp <= nowS()) return { ok: false, reason: 'expired' };
      return { ok: true };
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
