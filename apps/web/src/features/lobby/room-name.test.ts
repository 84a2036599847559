import { RoomId } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { chooseRoom, normalizeRoomId, randomRoomId, SECRET_CHARS } from './room-name';

const strong = (bytes: Uint8Array) => webcrypto.getRandomValues(bytes);
const constant = (value: number) => (bytes: Uint8Array) => bytes.fill(value);

describe('normalizeRoomId', () => {
  it.each([
    ['Team Sync', 'team-sync'],
    ['  Friday  Standup! ', 'friday-standup'],
    ['Café ☕', 'cafe'],
    ['--abc--', 'abc'],
    ['a_b.c', 'a-b-c'],
    ['ROOM42', 'room42'],
    ['!!!', ''],
    ['x'.repeat(60), 'x'.repeat(48)],
    [`${'a'.repeat(47)}-b`, 'a'.repeat(47)],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeRoomId(input)).toBe(expected);
  });
});

describe('chooseRoom', () => {
  it('makes up a valid room when the field is empty', () => {
    const choice = chooseRoom('   ', strong);
    expect(choice.ok).toBe(true);
    if (choice.ok) expect(RoomId.safeParse(choice.roomId).success).toBe(true);
  });

  it('refuses input with nothing usable in it', () => {
    expect(chooseRoom('!!! ???', strong)).toMatchObject({ ok: false, message: expect.stringContaining('letters or digits') });
  });

  it('accepts typed input after normalising it', () => {
    expect(chooseRoom('Team Sync', strong)).toEqual({ ok: true, roomId: 'team-sync' });
  });
});

describe('randomRoomId', () => {
  it.each([0, 127, 255])('is a valid room id whatever the bytes (all %d)', (value) => {
    expect(RoomId.safeParse(randomRoomId(constant(value))).success).toBe(true);
  });

  it('reads as two words, then 15 base-32 characters (75 random bits)', () => {
    expect(randomRoomId(strong)).toMatch(new RegExp(`^[a-z]+-[a-z]+-[0-9a-hjkmnp-tv-z]{${SECRET_CHARS}}$`));
  });

  it('does not repeat: a thousand new rooms, a thousand names', () => {
    const names = new Set(Array.from({ length: 1000 }, () => randomRoomId(strong)));
    expect(names.size).toBe(1000);
  });
});
