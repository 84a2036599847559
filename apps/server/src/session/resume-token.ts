import { createHmac, timingSafeEqual } from 'node:crypto';
import { UserId } from '@parley/protocol';
import { z } from 'zod';
import type { Clock } from '../clock';

/**
 * Resume tokens: `base64url(JSON {v:1, uid, gen, iat, born})` + '.' + `base64url(HMAC-SHA256(secret, first part))`.
 * Any server holding the same secret accepts them, so an identity survives a
 * dropped socket, a page reload and a server restart.
 *
 * `gen` counts the sessions of one identity: each welcome is one more than
 * the session whose token it resumed (a fresh identity starts at 1). Clients
 * number their peer connections from it, so a reloaded page's connections
 * are newer than the old page's whatever either machine's clock says.
 *
 * What is refused:
 * - anything but canonical base64url in either part (no padding, no spare bits
 *   set in the last character, nothing appended); the MAC is compared in constant time;
 * - a token issued (`iat`) more than CLOCK_SKEW_S in the future;
 * - a token older than `ttlS`, and any token of an identity created (`born`)
 *   more than `maxAgeS` ago, however often it was renewed;
 * - rotation: a token of a lower generation than the latest this server issued to
 *   that user. Once the owner reconnected and was heard on that session
 *   (`confirm`), a copy of an older token is worthless. Until then the token
 *   one generation behind still resumes, as that latest one: a welcome that
 *   never reached its client (the socket died on the way, or the client gave
 *   up waiting for it) must not cost that client its identity on the next
 *   attempt. Seen with a browser whose network process stopped for 20 s (a
 *   starved one was seen to hold frames 10-20 s): clients gave up on
 *   handshakes the server had completed, came back with the tokens they still
 *   had and got new identities, so the room listed them twice, then as
 *   "Ada (2)", and every peer link was torn down and made again.
 *   The latest generations are kept in memory: after a restart, or on another
 *   node, or once a user's entry was dropped (at most `maxTrackedUsers`, oldest
 *   first) an older, still unexpired token works again until `ttlS` ends it;
 * - a token without `gen` (issued before generations existed): it cannot be
 *   ordered against the rotation, so its holder starts a fresh session.
 * A token with `gen` but without `born` (issued before the absolute lifetime
 * existed) counts as born when it was issued.
 */
export type ResumeTokens = {
  /**
   * A token for `userId` in session `generation`; `bornS` is when the identity
   * was created (seconds since the epoch, as `verify` returned it), omitted for a
   * new identity (now). Tokens of lower generations for this user stop working.
   */
  issue(userId: UserId, generation: number, bornS?: number): string;
  /**
   * The holder of `userId`'s `generation` token has it: a frame came after
   * the hello on the session it was issued to. A client that resumes waits
   * for the welcome before it sends more; one that writes behind its hello
   * (a page's first session, even with a stored token) confirms at once, so
   * a lost welcome still costs it its identity, as it did before this grace.
   * From now on the generation before it is refused.
   */
  confirm(userId: UserId, generation: number): void;
  /** For a token one generation behind an unconfirmed latest, `generation` is that latest (see rotation above). */
  verify(token: string): TokenCheck;
};

export type TokenCheck =
  | { ok: true; userId: UserId; generation: number; bornS: number }
  | { ok: false; reason: 'malformed' | 'bad_mac' | 'outdated' | 'not_yet_valid' | 'expired' | 'too_old' | 'superseded' };

export const MAX_GENERATION = 2 ** 31;

/** How far in the future a token's issue time may be: the clocks of servers sharing a secret differ a little. */
export const CLOCK_SKEW_S = 60;

/** Users whose latest generation is remembered, at most; past it the least recently renewed are forgotten. */
export const MAX_TRACKED_USERS = 100_000;

/** The default of PARLEY_RESUME_MAX_AGE_S: seven days. */
export const DEFAULT_RESUME_MAX_AGE_S = 7 * 86_400;

const Seconds = z.number().int().nonnegative();

const Payload = z.object({
  v: z.literal(1),
  uid: UserId,
  /** The session generation. Required: tokens from before generations existed are refused. */
  gen: z.number().int().min(0).max(MAX_GENERATION),
  /** Issued at, seconds since the epoch. */
  iat: Seconds,
  /** When the identity was created, seconds since the epoch; the same in every renewal. Absent in older tokens. */
  born: Seconds.optional(),
});

/** A token issued before generations existed: the same claims, without `gen`. */
const BeforeGenerations = Payload.omit({ gen: true, born: true }).strict();

/** Only the characters of base64url, unpadded. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The bytes `text` encodes, when it is the one canonical base64url encoding of them. */
function decodeCanonical(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Spare bits set in the last character, or a dangling character, decode to bytes that encode differently.
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** `confirmed`: its holder was heard on the session it was issued to (see `confirm`). */
type Latest = { generation: number; issuedS: number; confirmed: boolean };

export function createResumeTokens(deps: {
  secret: Uint8Array;
  ttlS: number;
  /** The absolute lifetime of an identity; DEFAULT_RESUME_MAX_AGE_S when not given. */
  maxAgeS?: number;
  clock: Pick<Clock, 'now'>;
  /** MAX_TRACKED_USERS when not given. */
  maxTrackedUsers?: number;
}): ResumeTokens {
  const maxAgeS = deps.maxAgeS ?? DEFAULT_RESUME_MAX_AGE_S;
  const maxTracked = deps.maxTrackedUsers ?? MAX_TRACKED_USERS;
  const mac = (payload: string): Buffer => createHmac('sha256', deps.secret).update(payload).digest();
  const nowS = (): number => Math.floor(deps.clock.now() / 1000);

  /** The latest generation issued per user, least recently issued first (Map order). */
  const latest = new Map<UserId, Latest>();

  /** Every token older than an entry's last issue has expired `ttlS` after it: the entry guards nothing more. */
  const sweep = (now: number): void => {
    for (const [userId, entry] of latest) {
      if (now - entry.issuedS <= deps.ttlS && latest.size <= maxTracked) break;
      latest.delete(userId);
    }
  };

  const remember = (userId: UserId, generation: number, now: number): void => {
    const before = latest.get(userId);
    latest.delete(userId);
    // A newer generation starts unconfirmed; reissuing the latest (or an older one) changes neither.
    const entry: Latest =
      before === undefined || generation > before.generation
        ? { generation, issuedS: now, confirmed: false }
        : { generation: before.generation, issuedS: now, confirmed: before.confirmed };
    latest.set(userId, entry);
    sweep(now);
  };

  return {
    issue(userId, generation, bornS) {
      const now = nowS();
      const born = Math.min(bornS ?? now, now);
      remember(userId, generation, now);
      const payload = Buffer.from(JSON.stringify({ v: 1, uid: userId, gen: generation, iat: now, born })).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    confirm(userId, generation) {
      const entry = latest.get(userId);
      if (entry?.generation === generation) entry.confirmed = true;
    },
    verify(token) {
      const parts = token.split('.');
      const [payload, signature] = parts;
      if (parts.length !== 2 || payload === undefined || signature === undefined) return { ok: false, reason: 'malformed' };
      const json = decodeCanonical(payload);
      const given = decodeCanonical(signature);
      if (!json || !given) return { ok: false, reason: 'malformed' };
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_mac' };
      const raw = parseJson(json.toString('utf8'));
      const claims = Payload.safeParse(raw);
      if (!claims.success) return { ok: false, reason: BeforeGenerations.safeParse(raw).success ? 'outdated' : 'malformed' };
      const { uid, gen, iat } = claims.data;
      const born = claims.data.born ?? iat;
      const now = nowS();
      if (born > iat) return { ok: false, reason: 'malformed' };
      if (iat > now + CLOCK_SKEW_S) return { ok: false, reason: 'not_yet_valid' };
      if (now - iat > deps.ttlS) return { ok: false, reason: 'expired' };
      if (now - born > maxAgeS) return { ok: false, reason: 'too_old' };
      const newest = latest.get(uid);
      if (newest !== undefined && gen < newest.generation) {
        const welcomeUnheard = gen === newest.generation - 1 && !newest.confirmed;
        return welcomeUnheard ? { ok: true, userId: uid, generation: newest.generation, bornS: born } : { ok: false, reason: 'superseded' };
      }
      return { ok: true, userId: uid, generation: gen, bornS: born };
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
