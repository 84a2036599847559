import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createInviteTokens } from './invite-token';

const secret = Buffer.from('test-secret-0123456789abcdef');

function setup() {
  const clock = createFakeClock();
  return { clock, invites: createInviteTokens({ secret, ttlS: 3600, clock }) };
}

describe('invite tokens', () => {
  it('admit into the room they name until they expire', () => {
    const { clock, invites } = setup();
    const { token, expiresAt } = invites.issue('den');
    expect(expiresAt).toBe(clock.now() + 3_600_000);
    expect(invites.verify(token, 'den')).toEqual({ ok: true });
    expect(invites.verify(token, 'other')).toEqual({ ok: false, reason: 'other_room' });
    clock.advance(3_600_000);
    expect(invites.verify(token, 'den')).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse any change: a last character, junk appended, another secret, a resume-token-shaped forgery', () => {
    const { clock, invites } = setup();
    const { token } = invites.issue('den');
    const [payload = '', signature = ''] = token.split('.');
    const last = signature.at(-1);
    const changes = [
      `${payload}.${signature.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`,
      `${payload}.${signature.slice(0, -1)}${last === 'A' ? 'B' : last === 'B' ? 'C' : 'A'}`,
      `${token}x`,
      `${token}=`,
      `${payload}x.${signature}`,
      createInviteTokens({ secret: Buffer.from('another-secret-0123456789'), ttlS: 3600, clock }).issue('den').token,
      'not a token',
      '',
    ];
    for (const changed of changes) expect(invites.verify(changed, 'den').ok, changed).toBe(false);
  });
});
