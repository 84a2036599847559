import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createResumeTokens } from './resume-token';

const TTL_S = 3_600;
const MAX_AGE_S = 7 * 86_400;
const secret = randomBytes(32);

function setup(options: { maxTrackedUsers?: number } = {}) {
  const clock = createFakeClock();
  return { clock, tokens: createResumeTokens({ secret, ttlS: TTL_S, maxAgeS: MAX_AGE_S, clock, ...options }) };
}

/** A token signed with the test secret around any payload: what a server with other code could have issued. */
function signed(claims: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** The token with its payload (0) or mac (1) replaced. */
function withPart(token: string, index: 0 | 1, part: string): string {
  const parts = token.split('.');
  parts[index] = part;
  return parts.join('.');
}

describe('resume tokens', () => {
  it('gives back the user id they were issued for', () => {
    const { tokens } = setup();
    const { clock } = setup();
    expect(tokens.verify(tokens.issue('user-1', 1))).toEqual({ ok: true, userId: 'user-1', generation: 1, bornS: seconds(clock.now()) });
  });

  it('have the documented shape: base64url JSON payload, a dot, base64url mac', () => {
    const { tokens, clock } = setup();
    const [payload, mac] = tokens.issue('user-1', 1).split('.');
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toEqual({
      v: 1,
      uid: 'user-1',
      gen: 1,
      iat: seconds(clock.now()),
      born: seconds(clock.now()),
    });
    expect(Buffer.from(mac ?? '', 'base64url')).toHaveLength(32);
  });

  it('carry the session generation they were issued for; a token from before generations is refused', () => {
    const { tokens, clock } = setup();
    expect(tokens.verify(tokens.issue('user-1', 7))).toMatchObject({ ok: true, generation: 7 });
    expect(tokens.verify(signed({ v: 1, uid: 'user-2', iat: seconds(clock.now()) }))).toEqual({ ok: false, reason: 'outdated' });
  });

  it('take a token from before the absolute lifetime as born when it was issued', () => {
    const { tokens, clock } = setup();
    const iat = seconds(clock.now());
    expect(tokens.verify(signed({ v: 1, uid: 'user-1', gen: 3, iat }))).toEqual({ ok: true, userId: 'user-1', generation: 3, bornS: iat });
  });

  it('refuses a token whose payload names someone else', () => {
    const { tokens, clock } = setup();
    const token = tokens.issue('user-1', 1);
    const forged = Buffer.from(JSON.stringify({ v: 1, uid: 'admin', iat: Math.floor(clock.now() / 1000) })).toString('base64url');
    expect(tokens.verify(withPart(token, 0, forged))).toEqual({ ok: false, reason: 'bad_mac' });
  });

  it('refuses a token whose mac was changed', () => {
    const { tokens } = setup();
    const token = tokens.issue('user-1', 1);
    const mac = Buffer.from(token.split('.')[1] ?? '', 'base64url');
    mac[0] = (mac[0] ?? 0) ^ 1;
    expect(tokens.verify(withPart(token, 1, mac.toString('base64url')))).toEqual({ ok: false, reason: 'bad_mac' });
    expect(tokens.verify(withPart(token, 1, 'shor'))).toEqual({ ok: false, reason: 'bad_mac' });
  });

  it('refuse any encoding but the canonical one: spare bits in the last character, padding, junk appended', () => {
    const { tokens } = setup();
    const token = tokens.issue('user-1', 1);
    const [payload = '', signature = ''] = token.split('.');
    expect(tokens.verify(token).ok).toBe(true);
    // 32 bytes take 43 characters; the last one carries 2 bits of the mac and 4 spare bits.
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const lastIndex = ALPHABET.indexOf(signature.at(-1) ?? '');
    const spareFlipped = `${signature.slice(0, -1)}${ALPHABET[lastIndex ^ 1]}`;
    // The same mac bytes, so only strict decoding tells them apart.
    expect(Buffer.from(spareFlipped, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    const variants = [
      `${payload}.${spareFlipped}`,
      `${payload}.${signature}=`,
      `${payload}.${signature}x`,
      `${payload}.${signature}.`,
      `${payload}=.${signature}`,
      `${payload}x.${signature}`,
      `${payload}.${signature.slice(0, 20)}+${signature.slice(21)}`,
      ` ${token}`,
    ];
    for (const variant of variants) expect(tokens.verify(variant).ok, variant).toBe(false);
    expect(tokens.verify(`${payload}.${spareFlipped}`)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuse a token issued in the future beyond a minute of clock skew', () => {
    const { tokens, clock } = setup();
    const now = seconds(clock.now());
    expect(tokens.verify(signed({ v: 1, uid: 'user-1', gen: 1, iat: now + 60, born: now }))).toMatchObject({ ok: true });
    expect(tokens.verify(signed({ v: 1, uid: 'user-1', gen: 1, iat: now + 61, born: now }))).toEqual({ ok: false, reason: 'not_yet_valid' });
    // Born after it was issued: no server of ours wrote that.
    expect(tokens.verify(signed({ v: 1, uid: 'user-1', gen: 1, iat: now, born: now + 1 }))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('stop renewing an identity once it is older than the maximum age, however often it was renewed', () => {
    const { tokens, clock } = setup();
    let token = tokens.issue('user-1', 1);
    const born = seconds(clock.now());
    // Renewed every half hour, as a client reconnecting now and then would: each token is fresh, the identity is not.
    for (let generation = 2; ; generation++) {
      clock.advance((TTL_S / 2) * 1000);
      const check = tokens.verify(token);
      if (!check.ok) {
        expect(check).toEqual({ ok: false, reason: 'too_old' });
        break;
      }
      expect(check.bornS).toBe(born);
      token = tokens.issue(check.userId, generation, check.bornS);
    }
    expect(seconds(clock.now()) - born).toBe(MAX_AGE_S + TTL_S / 2);
  });

  it('rotate: a new token for an identity, once its owner was heard with it, makes its older ones worthless, the newest keeps working', () => {
    const { tokens } = setup();
    const first = tokens.issue('user-1', 1);
    const other = tokens.issue('user-2', 1);
    // Its owner reconnects with it, is given generation 2 and is heard on that session.
    const check = tokens.verify(first);
    expect(check).toMatchObject({ ok: true, generation: 1 });
    const second = tokens.issue('user-1', 2, check.ok ? check.bornS : undefined);
    tokens.confirm('user-1', 2);
    // A copy of the first token, stolen before, no longer resumes the identity.
    expect(tokens.verify(first)).toEqual({ ok: false, reason: 'superseded' });
    expect(tokens.verify(second)).toMatchObject({ ok: true, userId: 'user-1', generation: 2 });
    expect(tokens.verify(second)).toMatchObject({ ok: true, generation: 2 });
    // Other identities are untouched.
    expect(tokens.verify(other)).toMatchObject({ ok: true, userId: 'user-2', generation: 1 });
  });

  /**
   * A welcome that never reached its client: until the holder of the latest
   * token is heard with it, the token one generation behind still resumes,
   * as the latest. Each row issues generations 1..`issued` (each resumed from
   * the one before), confirms `confirmed` (if any), then presents `presented`.
   */
  it.each([
    { issued: 2, confirmed: undefined, presented: 1, expected: { ok: true, generation: 2 }, why: 'welcome of 2 unheard: 1 resumes, as 2' },
    { issued: 2, confirmed: 2, presented: 1, expected: { ok: false, reason: 'superseded' }, why: 'owner heard on 2: 1 is worthless' },
    { issued: 3, confirmed: undefined, presented: 1, expected: { ok: false, reason: 'superseded' }, why: 'two generations behind: refused even unheard' },
    { issued: 3, confirmed: 2, presented: 2, expected: { ok: true, generation: 3 }, why: 'heard on 2, welcome of 3 unheard: 2 resumes, as 3' },
    { issued: 3, confirmed: 3, presented: 2, expected: { ok: false, reason: 'superseded' }, why: 'heard on 3: 2 is worthless' },
    { issued: 2, confirmed: 1, presented: 1, expected: { ok: true, generation: 2 }, why: 'confirming an older generation confirms nothing newer' },
    { issued: 2, confirmed: 2, presented: 2, expected: { ok: true, generation: 2 }, why: 'the latest always resumes' },
  ])('rotation grace: $why', ({ issued, confirmed, presented, expected }) => {
    const { tokens } = setup();
    const byGeneration = new Map<number, string>();
    for (let generation = 1; generation <= issued; generation++) byGeneration.set(generation, tokens.issue('user-1', generation));
    if (confirmed !== undefined) tokens.confirm('user-1', confirmed);
    expect(tokens.verify(byGeneration.get(presented) ?? '')).toMatchObject(expected);
  });

  it('rotation grace: the token behind resumes once only, for resuming it makes a newer generation', () => {
    const { tokens } = setup();
    const first = tokens.issue('user-1', 1);
    tokens.issue('user-1', 2); // its welcome never reached the client
    const retry = tokens.verify(first);
    expect(retry).toMatchObject({ ok: true, userId: 'user-1', generation: 2 });
    // The server resumes it one generation on, as any resume.
    const third = tokens.issue('user-1', 3);
    expect(tokens.verify(first)).toEqual({ ok: false, reason: 'superseded' });
    expect(tokens.verify(third)).toMatchObject({ ok: true, generation: 3 });
  });

  it('remember the latest generations of a bounded number of users, forgetting the least recently renewed first', () => {
    const { tokens } = setup({ maxTrackedUsers: 2 });
    const old = tokens.issue('user-1', 1);
    tokens.issue('user-1', 2);
    tokens.confirm('user-1', 2);
    expect(tokens.verify(old)).toEqual({ ok: false, reason: 'superseded' });
    tokens.issue('user-2', 1);
    tokens.issue('user-3', 1);
    // user-1 was forgotten: its older token, still unexpired, works again (the documented limit).
    expect(tokens.verify(old)).toMatchObject({ ok: true, generation: 1 });
  });

  it('forget a user whose tokens have all expired, keeping the ones that could still be replayed', () => {
    const { tokens, clock } = setup();
    const old = tokens.issue('user-1', 1);
    tokens.issue('user-1', 2);
    tokens.confirm('user-1', 2);
    clock.advance(TTL_S * 1000);
    tokens.issue('user-2', 1);
    expect(tokens.verify(old)).toEqual({ ok: false, reason: 'superseded' });
    clock.advance(1000);
    tokens.issue('user-3', 1);
    // Swept: but by now the old token has expired on its own.
    expect(tokens.verify(old)).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts a token up to its time to live and refuses it after', () => {
    const { tokens, clock } = setup();
    const token = tokens.issue('user-1', 1);
    clock.advance(TTL_S * 1000);
    expect(tokens.verify(token)).toMatchObject({ ok: true, userId: 'user-1', generation: 1 });
    clock.advance(1000);
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token signed with another secret', () => {
    const { tokens, clock } = setup();
    const other = createResumeTokens({ secret: randomBytes(32), ttlS: TTL_S, clock });
    expect(tokens.verify(other.issue('user-1', 1))).toEqual({ ok: false, reason: 'bad_mac' });
  });

  it.each(['', 'nodot', 'a.b.c', '.mac', 'payload.'])('refuses the malformed token %j', (token) => {
    const { tokens } = setup();
    expect(tokens.verify(token).ok).toBe(false);
  });

  it('refuses a correctly signed payload that is not a token', () => {
    const { tokens } = setup();
    const payload = Buffer.from(JSON.stringify({ v: 2, uid: 'user-1', iat: 0 })).toString('base64url');
    const mac = createHmac('sha256', secret).update(payload).digest('base64url');
    expect(tokens.verify(`${payload}.${mac}`)).toEqual({ ok: false, reason: 'malformed' });
  });
});
