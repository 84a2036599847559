import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe } from 'vitest';
import { openSqliteDatabase, type ParleyDatabase } from './database';
import { createMemoryRoomSettingsStore } from './memory-room-settings-store';
import { roomSettingsStoreContract, T0 } from './room-settings-store.contract';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-settings-'));
const databases: ParleyDatabase[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
let file = '';
const openFile = async () => {
  const db = openSqliteDatabase(file, () => T0);
  databases.push(db);
  return db.rooms;
};

describe('the SQLite room settings store', () => {
  roomSettingsStoreContract({
    open: () => {
      file = path.join(dir, `${++files}.db`);
      return openFile();
    },
    reopen: openFile,
  });
});

// The in-memory store stands in for the others in other modules' tests: it must behave the same.
describe('the in-memory room settings store', () => {
  roomSettingsStoreContract({ open: async () => createMemoryRoomSettingsStore() });
});
