import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, type ParleyDatabase } from './database';
import { createMemoryRoomSettingsStore } from './memory-room-settings-store';
import type { RoomSettingsStore, StoredRoomSettings } from './room-settings-store';

const T0 = Date.UTC(2030, 0, 1);
const DAY_MS = 86_400_000;

const databases: ParleyDatabase[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
});

function sqliteStore(): RoomSettingsStore {
  const db = openSqliteDatabase(':memory:', () => T0);
  databases.push(db);
  return db.rooms;
}

function settings(roomId: string, extra: Partial<StoredRoomSettings> = {}): StoredRoomSettings {
  return {
    roomId,
    ownerKeyHash: 'a'.repeat(64),
    passwordHash: null,
    locked: false,
    listed: false,
    lastActiveAt: T0,
    ...extra,
  };
}

// The in-memory store stands in for the SQLite one in other modules' tests: both must behave the same.
describe.each([
  ['SQLite', sqliteStore],
  ['in-memory', createMemoryRoomSettingsStore],
])('the %s room settings store', (_name, create) => {
  it('knows nothing of a room it has not been given', () => {
    expect(create().get('friday')).toBeUndefined();
  });

  it('gives back every field as put, and a second put replaces the first', () => {
    const store = create();
    const first = settings('friday', { passwordHash: 'scrypt$N=16384$salt$hash', locked: true, listed: true, lastActiveAt: T0 + 1 });
    store.put(first);
    store.put(settings('saturday'));
    expect(store.get('friday')).toEqual(first);
    expect(store.get('saturday')).toEqual(settings('saturday'));

    const second = settings('friday', { ownerKeyHash: 'b'.repeat(64), listed: true, lastActiveAt: T0 + 2 });
    store.put(second);
    expect(store.get('friday')).toEqual(second);
  });

  it('hands out copies: changing what get returned or what was put changes nothing stored', () => {
    const store = create();
    const put = settings('friday');
    store.put(put);
    put.locked = true;
    const got = store.get('friday');
    if (got) got.listed = true;
    expect(store.get('friday')).toEqual(settings('friday'));
  });

  it('touch moves lastActiveAt and nothing else; for a room without settings it does nothing', () => {
    const store = create();
    store.put(settings('friday', { locked: true }));
    store.touch('friday', T0 + 5_000);
    store.touch('nobody-here', T0 + 5_000);
    expect(store.get('friday')).toEqual(settings('friday', { locked: true, lastActiveAt: T0 + 5_000 }));
    expect(store.get('nobody-here')).toBeUndefined();
  });

  it('purgeInactive deletes only rooms idle since before the cutoff that nobody is in, and names them', () => {
    const store = create();
    const cutoff = T0 + 30 * DAY_MS;
    store.put(settings('long-gone', { lastActiveAt: T0 }));
    store.put(settings('also-gone', { lastActiveAt: cutoff - 1 }));
    store.put(settings('occupied', { lastActiveAt: T0 }));
    store.put(settings('at-cutoff', { lastActiveAt: cutoff }));
    store.put(settings('recent', { lastActiveAt: cutoff + DAY_MS }));

    expect(store.purgeInactive(cutoff, new Set(['occupied', 'recent']))).toEqual(['also-gone', 'long-gone']);
    expect(store.get('long-gone')).toBeUndefined();
    expect(store.get('also-gone')).toBeUndefined();
    expect(store.get('occupied')).toEqual(settings('occupied', { lastActiveAt: T0 }));
    expect(store.get('at-cutoff')).toBeDefined();
    expect(store.get('recent')).toBeDefined();
    expect(store.purgeInactive(cutoff, new Set(['occupied']))).toEqual([]);
  });

  it('purgeInactive spares a room that was touched since', () => {
    const store = create();
    store.put(settings('friday', { lastActiveAt: T0 }));
    store.touch('friday', T0 + 10 * DAY_MS);
    expect(store.purgeInactive(T0 + DAY_MS, new Set())).toEqual([]);
    expect(store.purgeInactive(T0 + 11 * DAY_MS, new Set())).toEqual(['friday']);
  });
});
