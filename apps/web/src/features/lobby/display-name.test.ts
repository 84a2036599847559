import { describe, expect, it } from 'vitest';
import { checkDisplayName } from './display-name';

describe('checkDisplayName', () => {
  it('trims a good name', () => {
    expect(checkDisplayName('  Ada  ')).toEqual({ ok: true, displayName: 'Ada' });
  });

  it.each([
    ['', 'Display name is empty.'],
    ['   ', 'Display name is empty.'],
    ['x'.repeat(33), 'Display name is longer than 32 characters.'],
    ['Ada\u202e', 'Display name contains control characters.'],
    ['A\u200fda', 'Display name contains control characters.'],
    ['\u200b\u3164\u2800', 'Display name has nothing visible in it.'],
  ])('refuses %j with the protocol’s reason', (input, message) => {
    expect(checkDisplayName(input)).toEqual({ ok: false, message });
  });
});
