import { RoomId } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { chooseRoom, normalizeRoomId, randomRoomId } from './room-name';

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
    const choice = chooseRoom('   ', () => 0.5);
    expect(choice.ok).toBe(true);
    if (choice.ok) expect(RoomId.safeParse(choice.roomId).success).toBe(true);
  });

  it('refuses input with nothing usable in it', () => {
    expect(chooseRoom('!!! ???', () => 0.5)).toMatchObject({ ok: false, message: expect.stringContaining('letters or digits') });
  });

  it('accepts typed input after normalising it', () => {
    expect(chooseRoom('Team Sync', () => 0.5)).toEqual({ ok: true, roomId: 'team-sync' });
  });
});

describe('randomRoomId', () => {
  it.each([0, 0.25, 0.999999])('is a valid room id for random() = %d', (value) => {
    expect(RoomId.safeParse(randomRoomId(() => value)).success).toBe(true);
  });
});
