import { hasCommandModifier, isInDialog, isTextEntry, type KeyPress } from './keyboard-target';

export type ShortcutAction = 'mute' | 'deafen' | 'help';

export type Shortcut = { action: ShortcutAction; key: string; description: string };

/** The room's single-key shortcuts; the "Keyboard shortcuts" dialog lists these. */
export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'mute', key: 'M', description: 'Mute or unmute' },
  { action: 'deafen', key: 'D', description: 'Deafen or undeafen' },
  { action: 'help', key: '?', description: 'Show keyboard shortcuts' },
];

/**
 * The shortcut a key press asks for, if any. Typing is never a shortcut (a
 * text field, textarea, select or contenteditable has the focus), nor is a
 * press with Ctrl, Alt or Meta (the browser's and the system's own), a key
 * held down (auto-repeat), or a key pressed inside a dialog.
 */
export function shortcutOf(press: KeyPress): ShortcutAction | undefined {
  if (press.repeat || hasCommandModifier(press)) return undefined;
  if (isTextEntry(press.target) || isInDialog(press.target)) return undefined;
  const key = press.key.toLowerCase();
  return SHORTCUTS.find((s) => s.key.toLowerCase() === key)?.action;
}
