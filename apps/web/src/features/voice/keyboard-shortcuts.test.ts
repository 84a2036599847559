import { describe, expect, it } from 'vitest';
import { shortcutOf } from './keyboard-shortcuts';
import { isTextEntry, type KeyPress, type KeyTarget } from './keyboard-target';

const outside: KeyTarget = { tagName: 'BODY', closest: () => null };
const inDialog: KeyTarget = { tagName: 'BUTTON', closest: (s) => (s === 'dialog' ? {} : null) };

function press(key: string, more: Partial<KeyPress> = {}): KeyPress {
  return { key, code: '', repeat: false, ctrlKey: false, altKey: false, metaKey: false, target: outside, ...more };
}

describe('room shortcuts', () => {
  it.each([
    ['m', 'mute'],
    ['M', 'mute'],
    ['d', 'deafen'],
    ['D', 'deafen'],
    ['?', 'help'],
    ['x', undefined],
    [' ', undefined],
  ] as const)('%j gives %s', (key, action) => {
    expect(shortcutOf(press(key))).toBe(action);
  });

  it('is never a shortcut with Ctrl, Alt or Meta held, or when held down', () => {
    expect(shortcutOf(press('m', { ctrlKey: true }))).toBeUndefined();
    expect(shortcutOf(press('m', { altKey: true }))).toBeUndefined();
    expect(shortcutOf(press('d', { metaKey: true }))).toBeUndefined();
    expect(shortcutOf(press('m', { repeat: true }))).toBeUndefined();
  });

  it('is typing, not a shortcut, in a text field, a textarea, a select or contenteditable', () => {
    const fields: KeyTarget[] = [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT' },
      { tagName: 'INPUT', type: 'search' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ];
    for (const target of fields) expect(shortcutOf(press('m', { target })), JSON.stringify(target)).toBeUndefined();
  });

  it('works from a focused button or checkbox, but not inside a dialog', () => {
    expect(shortcutOf(press('m', { target: { tagName: 'BUTTON' } }))).toBe('mute');
    expect(shortcutOf(press('m', { target: { tagName: 'INPUT', type: 'checkbox' } }))).toBe('mute');
    expect(shortcutOf(press('m', { target: null }))).toBe('mute');
    expect(shortcutOf(press('?', { target: inDialog }))).toBeUndefined();
  });
});

describe('isTextEntry', () => {
  it('tells inputs you type into from those you click', () => {
    expect(isTextEntry({ tagName: 'input', type: 'password' })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTextEntry({ tagName: 'INPUT', type: 'range' })).toBe(false);
    expect(isTextEntry({ tagName: 'A' })).toBe(false);
  });
});
