import { describe, expect, it } from 'vitest';
import { composerState, isSendKey } from './composer-state';

describe('composerState', () => {
  it('refuses an empty or blank draft and sends the trimmed text', () => {
    expect(composerState('').canSend).toBe(false);
    expect(composerState('  \n ').canSend).toBe(false);
    expect(composerState('  hi \n')).toMatchObject({ canSend: true, trimmed: 'hi', showCounter: false });
  });

  it('shows a counter near the 4000 limit and refuses past it', () => {
    expect(composerState('x'.repeat(3499)).showCounter).toBe(false);
    expect(composerState('x'.repeat(3600))).toMatchObject({ showCounter: true, remaining: 400, canSend: true });
    expect(composerState('x'.repeat(4000))).toMatchObject({ remaining: 0, canSend: true });
    expect(composerState('x'.repeat(4001))).toMatchObject({ remaining: -1, canSend: false });
  });
});

describe('isSendKey', () => {
  it('sends on Enter, not on Shift+Enter or while composing', () => {
    expect(isSendKey({ key: 'Enter', shiftKey: false, isComposing: false })).toBe(true);
    expect(isSendKey({ key: 'Enter', shiftKey: true, isComposing: false })).toBe(false);
    expect(isSendKey({ key: 'Enter', shiftKey: false, isComposing: true })).toBe(false);
    expect(isSendKey({ key: 'a', shiftKey: false, isComposing: false })).toBe(false);
  });
});
