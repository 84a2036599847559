import { describe, expect, it } from 'vitest';
import type { RoomSettingsStore, StoredRoomSettings } from './room-settings-store';

/**
 * What every RoomSettingsStore must do, whatever holds the settings: the
 * SQLite and in-memory stores (room-settings-store.test.ts) and the
 * PostgreSQL store (pg-room-settings-store.integration.test.ts) run these
 * same tests.
 */
export type RoomSettingsStoreHarness = {
  /** A store on a database of its own for this test (empty), closed after the test. */
  open(): Promise<RoomSettingsStore>;
  /** Another store on the same database as the last open(): a second node, or the same one after a restart. Absent where nothing outlives a store (in memory). */
  reopen?(): Promise<RoomSettingsStore>;
};

export const T0 = Date.UTC(2030, 0, 1);
const DAY_MS = 86_400_000;

export function roomSettings(roomId: string, extra: Partial<StoredRoomSettings> = {}): StoredRoomSettings {
  return {
    roomId,
    ownerKeyHash: 'a'.repeat(64),
    passwordHash: null,
    locked: false,
    listed: false,
    revision: 1,
    lastActiveAt: T0,
    ...extra,
  };
}

export function roomSettingsStoreContract(harness: RoomSettingsStoreHarness): void {
  const { open, reopen } = harness;
  const settings = roomSettings;

  it('knows nothing of a room it has not been given', async () => {
    expect(await (await open()).get('friday')).toBeUndefined();
  });

  it('gives back every field as put, and a put of a later revision replaces the earlier', async () => {
    const store = await open();
    const first = settings('friday', { passwordHash: 'scrypt$N=16384$salt$hash', locked: true, listed: true, lastActiveAt: T0 + 1 });
    await store.put(first);
    await store.put(settings('saturday'));
    expect(await store.get('friday')).toEqual(first);
    expect(await store.get('saturday')).toEqual(settings('saturday'));

    const second = settings('friday', { passwordHash: null, listed: true, revision: 2, lastActiveAt: T0 + 2 });
    await store.put(second);
    expect(await store.get('friday')).toEqual(second);
  });

  it('never goes back to an earlier revision: a late write of an older policy changes nothing', async () => {
    const store = await open();
    const withPassword = settings('friday', { passwordHash: 'scrypt$new', locked: true, revision: 3, lastActiveAt: T0 + 3 });
    await store.put(withPassword);
    await store.put(settings('friday', { passwordHash: null, revision: 2, lastActiveAt: T0 + 9 }));
    expect(await store.get('friday')).toEqual(withPassword);
  });

  it('takes the same revision again: the room emptied, and its last activity moves', async () => {
    const store = await open();
    await store.put(settings('friday', { locked: true, revision: 2 }));
    await store.put(settings('friday', { locked: true, revision: 2, lastActiveAt: T0 + 5_000 }));
    expect(await store.get('friday')).toEqual(settings('friday', { locked: true, revision: 2, lastActiveAt: T0 + 5_000 }));
  });

  it('hands out copies: changing what get returned or what was put changes nothing stored', async () => {
    const store = await open();
    const put = settings('friday');
    await store.put(put);
    put.locked = true;
    const got = await store.get('friday');
    if (got) got.listed = true;
    expect(await store.get('friday')).toEqual(settings('friday'));
  });

  it('purgeInactive deletes only rooms idle since before the cutoff that nobody is in, and names them', async () => {
    const store = await open();
    const cutoff = T0 + 30 * DAY_MS;
    await store.put(settings('long-gone', { lastActiveAt: T0 }));
    await store.put(settings('also-gone', { lastActiveAt: cutoff - 1 }));
    await store.put(settings('occupied', { lastActiveAt: T0 }));
    await store.put(settings('at-cutoff', { lastActiveAt: cutoff }));
    await store.put(settings('recent', { lastActiveAt: cutoff + DAY_MS }));

    expect(await store.purgeInactive(cutoff, new Set(['occupied', 'recent']))).toEqual(['also-gone', 'long-gone']);
    expect(await store.get('long-gone')).toBeUndefined();
    expect(await store.get('also-gone')).toBeUndefined();
    expect(await store.get('occupied')).toEqual(settings('occupied', { lastActiveAt: T0 }));
    expect(await store.get('at-cutoff')).toBeDefined();
    expect(await store.get('recent')).toBeDefined();
    expect(await store.purgeInactive(cutoff, new Set(['occupied']))).toEqual([]);
  });

  it('purgeInactive spares a room stored again since (someone was in it)', async () => {
    const store = await open();
    await store.put(settings('friday', { lastActiveAt: T0 }));
    await store.put(settings('friday', { lastActiveAt: T0 + 10 * DAY_MS }));
    expect(await store.purgeInactive(T0 + DAY_MS, new Set())).toEqual([]);
    expect(await store.purgeInactive(T0 + 11 * DAY_MS, new Set())).toEqual(['friday']);
  });

  if (reopen) {
    describe('shared or kept', () => {
      it('hands what one store put to another on the same database: a second node, or the same after a restart', async () => {
        const one = await open();
        const locked = settings('friday', { passwordHash: 'scrypt$x', locked: true, revision: 2 });
        await one.put(locked);
        const two = await reopen();
        expect(await two.get('friday')).toEqual(locked);
        // The second one's late write of the first revision loses, whichever store makes it.
        await two.put(settings('friday'));
        expect(await one.get('friday')).toEqual(locked);
      });
    });
  }
}
