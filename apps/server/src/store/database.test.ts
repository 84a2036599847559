import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase, type ParleyDatabase } from './database';
import { MIGRATIONS, migrate } from './migrations';
import type { StoredRoomSettings } from './room-settings-store';

const T0 = Date.UTC(2030, 0, 1);
const now = () => T0;

let dir: string;
const opened: ParleyDatabase[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-db-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(dataDir = dir): ParleyDatabase {
  const db = openDatabase(dataDir, now);
  opened.push(db);
  return db;
}

const friday: StoredRoomSettings = {
  roomId: 'friday',
  ownerKeyHash: 'c'.repeat(64),
  passwordHash: 'scrypt$N=16384$salt$hash',
  locked: true,
  listed: false,
  revision: 2,
  lastActiveAt: T0,
};

describe('openDatabase', () => {
  it('keeps room settings and chat in one parley.db, across closing and reopening it', async () => {
    const first = open();
    await first.rooms.put(friday);
    await first.rooms.put({ ...friday, roomId: 'saturday', passwordHash: null, locked: false, listed: true });
    await first.rooms.put({ ...friday, roomId: 'saturday', passwordHash: null, locked: false, listed: true, lastActiveAt: T0 + 1 });
    await first.chat.append({ roomId: 'friday', clientId: 'client-0001', userId: 'u1', displayName: 'Ada', text: 'hi', sentAt: T0 });
    first.close();

    const second = open();
    expect(await second.rooms.get('friday')).toEqual(friday);
    expect(await second.rooms.get('saturday')).toEqual({
      ...friday,
      roomId: 'saturday',
      passwordHash: null,
      locked: false,
      listed: true,
      lastActiveAt: T0 + 1,
    });
    expect((await second.chat.history({ roomId: 'friday', limit: 50 })).messages).toMatchObject([{ seq: 1, text: 'hi' }]);
  });

  it('keeps the room settings of a version-3 database, each counted as its first revision', async () => {
    const v3 = new Database(path.join(dir, DB_FILE));
    try {
      migrate(v3, MIGRATIONS.filter((m) => m.version <= 3), now);
      v3.prepare(
        "INSERT INTO room_settings (room_id, owner_key_hash, password_hash, locked, listed, last_active_at) VALUES ('friday', ?, 'scrypt$old', 1, 0, ?)",
      ).run('c'.repeat(64), T0);
    } finally {
      v3.close();
    }
    const db = open();
    expect(await db.rooms.get('friday')).toEqual({ ...friday, passwordHash: 'scrypt$old', revision: 1 });
    // The owner's next change is the second revision, and replaces it.
    await db.rooms.put({ ...friday, passwordHash: null });
    expect(await db.rooms.get('friday')).toEqual({ ...friday, passwordHash: null });
  });

  it('creates a missing data dir, with the database file inside it', async () => {
    const nested = path.join(dir, 'not', 'yet');
    await open(nested).rooms.put(friday);
    expect(existsSync(path.join(nested, DB_FILE))).toBe(true);
    expect(await open(nested).rooms.get('friday')).toEqual(friday);
  });

  it('close() stops both stores, and may be called twice; chat.close() closes the same handle', async () => {
    const db = open();
    db.close();
    db.close();
    await expect(db.rooms.get('friday')).rejects.toThrow();
    await expect(db.chat.history({ roomId: 'friday', limit: 50 })).rejects.toThrow();

    const other = open();
    await other.chat.close();
    await expect(other.rooms.put(friday)).rejects.toThrow();
    other.close();
  });
});
