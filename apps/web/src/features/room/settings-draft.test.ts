import { describe, expect, it } from 'vitest';
import { changeFrom, isNoChange, UNTOUCHED } from './settings-draft';

const open = { passwordRequired: false, locked: false, listed: false };
const guarded = { passwordRequired: true, locked: false, listed: true };

describe('changeFrom: what Save sends', () => {
  it.each([
    ['nothing touched', UNTOUCHED, guarded, {}],
    ['a first password', { ...UNTOUCHED, password: 'sesame' }, open, { password: 'sesame' }],
    ['a new password over the old one', { ...UNTOUCHED, password: 'sesame 2' }, guarded, { password: 'sesame 2' }],
    // The field never shows the password: an empty one is not a request to remove it.
    ['an empty field while a password is set', { ...UNTOUCHED, password: '' }, guarded, {}],
    ['Remove password', { ...UNTOUCHED, removePassword: true }, guarded, { password: null }],
    ['Remove password wins over a typed one', { password: 'x', removePassword: true }, guarded, { password: null }],
    ['Remove password when there is none any more', { ...UNTOUCHED, removePassword: true }, open, {}],
    ['Lock room ticked', { ...UNTOUCHED, locked: true }, open, { locked: true }],
    ['List in lobby unticked', { ...UNTOUCHED, listed: false }, guarded, { listed: false }],
    ['boxes ticked back to how they are', { ...UNTOUCHED, locked: false, listed: true }, guarded, {}],
  ] as const)('%s', (_label, draft, current, change) => {
    expect(changeFrom(draft, current)).toEqual(change);
  });

  it('knows an empty change', () => {
    expect(isNoChange({})).toBe(true);
    expect(isNoChange({ password: null })).toBe(false);
    expect(isNoChange({ locked: false })).toBe(false);
  });
});
