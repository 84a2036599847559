/** The display name used last time, so the lobby can prefill it. */
const KEY = 'parley.displayName';

export type NameStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** localStorage, or undefined where it is unavailable (some private modes throw on access). */
export function browserStorage(): NameStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function loadDisplayName(storage: NameStorage | undefined): string {
  try {
    return storage?.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveDisplayName(storage: NameStorage | undefined, displayName: string): void {
  try {
    storage?.setItem(KEY, displayName);
  } catch {
    // Quota or private mode: remembering the name is a convenience, not a requirement.
  }
}
