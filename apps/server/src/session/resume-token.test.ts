import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createResumeTokens } from './resume-token';

const TTL_S = 3_600;
const secret = randomBytes(32);

function setup() {
  const clock = createFakeClock();
  return { clock, tokens: createResumeTokens({ secret, ttlS: TTL_S, clock }) };
}

/** The token with its payload (0) or mac (1) replaced. */
function withPart(token: string, index: 0 | 1, part: string): string {
  const parts = token.split('.');
  parts[index] = part;
  return parts.join('.');
}

describe('resume tokens', () => {
  it('gives back the user id they were issued for', () => {
    const { tokens } = setup();
    expect(tokens.verify(tokens.issue('user-1', 1))).toEqual({ ok: true, userId: 'user-1', generation: 1 });
  });

  it('have the documented shape: base64url JSON payload, a dot, base64url mac', () => {
    const { tokens, clock } = setup();
    const [payload, mac] = tokens.issue('user-1', 1).split('.');
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toEqual({
      v: 1,
      uid: 'user-1',
      gen: 1,
      iat: Math.floor(clock.now() / 1000),
    });
    expect(Buffer.from(mac ?? '', 'base64url')).toHaveLength(32);
  });

  it('carry the session generation they were issued for; a token from before generations counts as 0', () => {
    const { tokens, clock } = setup();
    expect(tokens.verify(tokens.issue('user-1', 7))).toMatchObject({ ok: true, generation: 7 });
    const old = Buffer.from(JSON.stringify({ v: 1, uid: 'user-1', iat: Math.floor(clock.now() / 1000) })).toString('base64url');
    const mac = createHmac('sha256', secret).update(old).digest('base64url');
    expect(tokens.verify(`${old}.${mac}`)).toEqual({ ok: true, userId: 'user-1', generation: 0 });
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
    expect(tokens.verify(withPart(token, 1, 'short'))).toEqual({ ok: false, reason: 'bad_mac' });
  });

  it('accepts a token up to its time to live and refuses it after', () => {
    const { tokens, clock } = setup();
    const token = tokens.issue('user-1', 1);
    clock.advance(TTL_S * 1000);
    expect(tokens.verify(token)).toEqual({ ok: true, userId: 'user-1', generation: 1 });
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
