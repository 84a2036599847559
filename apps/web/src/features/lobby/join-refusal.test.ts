import { describe, expect, it } from 'vitest';
import { asksForPassword, describeJoinRefusal, joinRefusalOf } from './join-refusal';

const rejected = (code: Parameters<typeof joinRefusalOf>[0]['code'], extra: { retryAfterMs?: number } = {}) =>
  ({ reason: 'signalingRejected', recoverable: true, detail: 'x', ...(code === undefined ? {} : { code }), ...extra }) as const;

describe('joinRefusalOf', () => {
  it.each(['password_required', 'wrong_password', 'room_locked', 'invite_invalid', 'removed', 'room_full'] as const)(
    '%s turns the join away, joining or not (a rejoin after a reconnect can get it too)',
    (code) => {
      expect(joinRefusalOf(rejected(code), 'friday', true)).toEqual({ roomId: 'friday', code });
      expect(joinRefusalOf(rejected(code), 'friday', false)).toEqual({ roomId: 'friday', code });
    },
  );

  it('counts a rate limit only while the join waits for its answer, keeping when to try again', () => {
    expect(joinRefusalOf(rejected('rate_limited', { retryAfterMs: 30_000 }), 'friday', true)).toEqual({
      roomId: 'friday',
      code: 'rate_limited',
      retryAfterMs: 30_000,
    });
    expect(joinRefusalOf(rejected('rate_limited'), 'friday', false)).toBeUndefined();
  });

  it('leaves every other error to the room page', () => {
    expect(joinRefusalOf(rejected('not_owner'), 'friday', true)).toBeUndefined();
    expect(joinRefusalOf(rejected('peer_not_in_room'), 'friday', true)).toBeUndefined();
    expect(joinRefusalOf({ reason: 'iceFailed', recoverable: true, detail: 'x', peerId: 'u2' }, 'friday', true)).toBeUndefined();
  });
});

describe('describeJoinRefusal', () => {
  it.each([
    ['password_required', /needs a password/],
    ['wrong_password', /^Wrong password for this room/],
    ['room_locked', /^This room is locked: nobody new can join\./],
    ['invite_invalid', /invite link is invalid or has expired/],
    ['removed', /^You were removed from the room by its owner\./],
    ['room_full', /full/],
  ] as const)('%s: %s', (code, text) => {
    expect(describeJoinRefusal({ code })).toMatch(text);
  });

  it('says in how many seconds the password may be tried again, when the server says it', () => {
    expect(describeJoinRefusal({ code: 'rate_limited', retryAfterMs: 29_001 })).toBe('Too many wrong passwords; try again in 30 s.');
    expect(describeJoinRefusal({ code: 'rate_limited', retryAfterMs: 0 })).toBe('Too many wrong passwords; try again in 1 s.');
    expect(describeJoinRefusal({ code: 'rate_limited' })).toMatch(/^Too many wrong passwords; try again/);
  });

  it('asks for the password where one gets past the refusal', () => {
    expect(['password_required', 'wrong_password', 'rate_limited', 'invite_invalid'].every((code) => asksForPassword(code as never))).toBe(true);
    expect(['room_locked', 'removed', 'room_full'].some((code) => asksForPassword(code as never))).toBe(false);
  });
});
