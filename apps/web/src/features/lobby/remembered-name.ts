import type { StorageLike } from '../../app/browser-storage';

/** The display name used last time, so the lobby can prefill it. */
const KEY = 'parley.displayName';

type NameStorage = Pick<StorageLike, 'getItem' | 'setItem'>;

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
