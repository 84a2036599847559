import type { SessionStorageLike } from '../stored-session';

export type FakeStorage = SessionStorageLike & { items: Map<string, string> };

/** A Storage with the same string-only semantics; `broken` makes every call throw like a locked-down private mode. */
export function fakeStorage(options: { broken?: boolean } = {}): FakeStorage {
  const items = new Map<string, string>();
  const guard = () => {
    if (options.broken) throw new Error('SecurityError');
  };
  return {
    items,
    getItem: (key) => (guard(), items.get(key) ?? null),
    setItem: (key, value) => (guard(), void items.set(key, String(value))),
    removeItem: (key) => (guard(), void items.delete(key)),
  };
}
