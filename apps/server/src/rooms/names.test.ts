import { DisplayName, LIMITS } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { distinctName, nameOnReturn, numbered } from './names';

const MAX = LIMITS.displayNameMaxChars;

describe('distinctName', () => {
  it('keeps a name nobody has, and numbers one somebody has', () => {
    expect(distinctName('Ada', ['Bob'])).toBe('Ada');
    expect(distinctName('Ada', ['Bob', 'ada'])).toBe('Ada (2)');
    expect(distinctName('Ada', ['Ada', 'Ada (2)', 'ADA (3)'])).toBe('Ada (4)');
  });

  it('never lists the same name twice however many people ask for it', () => {
    const roster: string[] = [];
    for (let i = 0; i < LIMITS.maxRoomSize; i++) roster.push(distinctName('Sam', roster));
    expect(roster).toEqual(['Sam', ...Array.from({ length: LIMITS.maxRoomSize - 1 }, (_, i) => `Sam (${i + 2})`)]);
  });

  it.each([
    ['a name of the longest length', 'x'.repeat(MAX), `${'x'.repeat(MAX - 4)} (2)`],
    ['a long name whose cut falls on a space', `${'a'.repeat(MAX - 5)} bcdef`, `${'a'.repeat(MAX - 5)} (2)`],
    ['emoji that must not be cut in half', '😀'.repeat(MAX / 2), `${'😀'.repeat((MAX - 4) / 2)} (2)`],
    ['an emoji sequence joined by zero-width joiners', `${'y'.repeat(MAX - 6)}👩‍💻`, `${'y'.repeat(MAX - 6)} (2)`],
    ['one grapheme longer than the room for it', `${'a'}${'\u0301'.repeat(MAX - 1)}`, '(2)'],
  ])('fits the number into the length limit for %s, and the result is a valid name', (_why, name, expected) => {
    const result = distinctName(name, [name]);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(MAX);
    expect(DisplayName.safeParse(result)).toEqual({ success: true, data: result });
  });

  it('numbers from 10 on still within the limit', () => {
    const name = 'z'.repeat(MAX);
    expect(numbered(name, 10)).toBe(`${'z'.repeat(MAX - 5)} (10)`);
    expect(numbered(name, 10)).toHaveLength(MAX);
  });
});

describe('nameOnReturn', () => {
  it('takes the new name, told apart from the others', () => {
    expect(nameOnReturn('Ada', 'Ada L.', ['Bob'])).toBe('Ada L.');
    expect(nameOnReturn('Ada', 'Bob', ['Bob'])).toBe('Bob (2)');
    expect(nameOnReturn('Ada', 'Ada', ['Bob'])).toBe('Ada');
  });

  it('keeps the number someone was given, even once the name is free again', () => {
    expect(nameOnReturn('Ada (2)', 'Ada', ['Ada'])).toBe('Ada (2)');
    expect(nameOnReturn('Ada (2)', 'Ada', ['Bob'])).toBe('Ada (2)');
    // A number of their own choosing is just a name: asking for another one changes it.
    expect(nameOnReturn('Ada (2)', 'Bea', [])).toBe('Bea');
  });
});
