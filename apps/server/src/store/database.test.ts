import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase, type ParleyDatabase } from './database';
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
  lastActiveAt: T0,
};

describe('openDatabase', () => {
  it('keeps room settings and chat in one parley.db, across closing and reopening it', async () => {
    const first = open();
    first.rooms.put(friday);
    first.rooms.put({ ...friday, roomId: 'saturday', passwordHash: null, locked: false, listed: true });
    first.rooms.touch('saturday', T0 + 1);
    await first.chat.append({ roomId: 'friday', clientId: 'client-0001', userId: 'u1', displayName: 'Ada', text: 'hi', sentAt: T0 });
    first.close();

    const second = open();
    expect(second.rooms.get('friday')).toEqual(friday);
    expect(second.rooms.get('saturday')).toEqual({
      ...friday,
      roomId: 'saturday',
      passwordHash: null,
      locked: false,
      listed: true,
      lastActiveAt: T0 + 1,
    });
    expect((await second.chat.history({ roomId: 'friday', limit: 50 })).messages).toMatchObject([{ seq: 1, text: 'hi' }]);
  });

  it('creates a missing data dir, with the database file inside it', () => {
    const nested = path.join(dir, 'not', 'yet');
    open(nested).rooms.put(friday);
    expect(existsSync(path.join(nested, DB_FILE))).toBe(true);
    expect(open(nested).rooms.get('friday')).toEqual(friday);
  });

  it('close() stops both stores, and may be called twice; chat.close() closes the same handle', async () => {
    const db = open();
    db.close();
    db.close();
    expect(() => db.rooms.get('friday')).toThrow();
    await expect(db.chat.history({ roomId: 'friday', limit: 50 })).rejects.toThrow();

    const other = open();
    await other.chat.close();
    expect(() => other.rooms.put(friday)).toThrow();
    other.close();
  });
});
