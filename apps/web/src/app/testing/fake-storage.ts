import { memoryStorage, type MemoryStorage } from '../browser-storage';

export type FakeStorage = MemoryStorage;

/** An in-memory Storage; `broken` makes every call throw, like a locked-down private mode. */
export function fakeStorage(options: { broken?: boolean } = {}): FakeStorage {
  const storage = memoryStorage();
  if (!options.broken) return storage;
  const refuse = (): never => {
    throw new Error('SecurityError');
  };
  return { items: storage.items, getItem: refuse, setItem: refuse, removeItem: refuse };
}
