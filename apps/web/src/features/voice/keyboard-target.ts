/**
 * What the room's keyboard handling needs to know about a key press, as a
 * structural type: a KeyboardEvent has all of it, and tests build plain objects.
 */
export type KeyPress = {
  /** The character, layout-aware: "m", "M", "?". */
  key: string;
  /** The physical key, whatever the layout: "Space", "KeyM". */
  code: string;
  repeat: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: KeyTarget | null;
};

/** The part of a DOM element that tells whether a key press there is typing. */
export type KeyTarget = {
  tagName?: string;
  /** An input's type. */
  type?: string;
  isContentEditable?: boolean;
  closest?(selector: string): unknown;
};

/** Inputs that take no text: a key pressed there is not typing. */
const NOT_TYPED_INTO = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit']);

/** Whether a key pressed on `target` types into it (a text field, a textarea, a select, contenteditable). */
export function isTextEntry(target: KeyTarget | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  switch (target.tagName?.toUpperCase()) {
    case 'TEXTAREA':
    case 'SELECT':
      return true;
    case 'INPUT':
      return !NOT_TYPED_INTO.has((target.type ?? 'text').toLowerCase());
    default:
      return false;
  }
}

/** Whether `target` sits in a dialog: its own controls get the keys (Space ticks its checkboxes). */
export function isInDialog(target: KeyTarget | null): boolean {
  return target?.closest?.('dialog') != null;
}

export function hasCommandModifier(press: Pick<KeyPress, 'ctrlKey' | 'altKey' | 'metaKey'>): boolean {
  return press.ctrlKey || press.altKey || press.metaKey;
}
