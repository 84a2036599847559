/** The part of the DOM Storage Parley uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export type MemoryStorage = StorageLike & { readonly items: Map<string, string> };

/** localStorage or sessionStorage, or undefined where the browser forbids it (some private modes throw on access). */
export function browserStorage(kind: 'localStorage' | 'sessionStorage'): StorageLike | undefined {
  try {
    return window[kind];
  } catch {
    return undefined;
  }
}

/** Strings kept in memory with Storage's semantics: for tests, and where the browser offers no storage. */
export function memoryStorage(): MemoryStorage {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}
