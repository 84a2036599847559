import { LIMITS, type Participant } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { admit } from './admission';
import { NO_CREDENTIALS, type Admission } from './commands';
import { OPEN_POLICY, type Room, type RoomPolicy } from './state';

const member = (userId: string): Participant => ({ userId, displayName: userId, presence: 'online', muted: false, deafened: false });

function room(policy: RoomPolicy, size = 1, removed: string[] = []): Room {
  const participants = new Map(Array.from({ length: size }, (_, i) => [`m${i}`, member(`m${i}`)] as const));
  return { id: 'r', participants, policy, silenced: new Set(), removed: new Set(removed) };
}

const withPassword: RoomPolicy = { ...OPEN_POLICY, passwordHash: 'scrypt$...' };
const locked: RoomPolicy = { ...OPEN_POLICY, locked: true };
const lockedWithPassword: RoomPolicy = { ...withPassword, locked: true };
const creds = (c: Partial<Admission>): Admission => ({ ...NO_CREDENTIALS, ...c });

describe('admit', () => {
  const table: Array<[string, Room, Admission, string]> = [
    ['an open room lets anyone in', room(OPEN_POLICY), NO_CREDENTIALS, 'in'],
    ['an open room ignores a broken invite', room(OPEN_POLICY), creds({ invite: 'invalid' }), 'in'],
    ['a password room asks for it', room(withPassword), NO_CREDENTIALS, 'password_required'],
    ['a password room refuses a wrong one', room(withPassword), creds({ password: 'wrong' }), 'wrong_password'],
    ['a password room admits the right one', room(withPassword), creds({ password: 'right' }), 'in'],
    ['a password room admits a valid invite', room(withPassword), creds({ invite: 'valid' }), 'in'],
    ['a password room refuses a broken invite without a password', room(withPassword), creds({ invite: 'invalid' }), 'invite_invalid'],
    ['a locked room refuses everyone new', room(locked), creds({ invite: 'valid', password: 'right' }), 'room_locked'],
    ['a locked password room says locked, not password', room(lockedWithPassword), NO_CREDENTIALS, 'room_locked'],
    ['the owner key opens a locked password room', room(lockedWithPassword), creds({ ownerKey: true }), 'owner'],
    ['a full room refuses even the owner key', room(OPEN_POLICY, LIMITS.maxRoomSize), creds({ ownerKey: true }), 'room_full'],
    ['a removed identity stays out, key or not', room(OPEN_POLICY, 1, ['eve']), creds({ ownerKey: true }), 'removed'],
  ];
  it.each(table)('%s', (_name, target, admission, expected) => {
    const decision = admit(target, target.policy, 'eve', admission);
    const outcome = decision.ok ? (decision.keyHolder ? 'owner' : 'in') : decision.code;
    expect(outcome).toBe(expected);
  });
});
