import type Database from 'better-sqlite3';
import type { ChatStore } from './chat-store';
import { dbFileIn, openSqlite } from './open-sqlite';
import type { RoomSettingsStore, StoredRoomSettings } from './room-settings-store';
import { sqliteChatStore } from './sqlite-chat-store';
import { moveSqliteRoomSettings, sqliteRoomSettingsStore } from './sqlite-room-settings-store';

export { DB_FILE } from './open-sqlite';

/** The server's stores, all on one SQLite handle. */
export type ParleyDatabase = {
  chat: ChatStore;
  rooms: RoomSettingsStore;
  /**
   * Hands every room kept here to `move` and deletes them here once it has
   * resolved: for a node whose room settings now live in PostgreSQL.
   * Resolves to how many moved.
   */
  moveRooms(move: (rooms: StoredRoomSettings[]) => Promise<void>): Promise<number>;
  /**
   * Closes the handle: every store stops working (calls throw). Safe to call
   * twice. `chat.close()` closes the same handle.
   */
  close(): void;
};

/** Opens (creating it and `dataDir` if missing) `<dataDir>/parley.db` and runs pending migrations. */
export function openDatabase(dataDir: string, now: () => number): ParleyDatabase {
  return openSqliteDatabase(dbFileIn(dataDir), now);
}

/** Like openDatabase, for any file; ':memory:' gives a fresh database that close() discards (tests). */
export function openSqliteDatabase(file: string, now: () => number): ParleyDatabase {
  return parleyDatabase(openSqlite(file, now));
}

function parleyDatabase(db: Database.Database): ParleyDatabase {
  return {
    chat: sqliteChatStore(db),
    rooms: sqliteRoomSettingsStore(db),
    moveRooms: (move) => moveSqliteRoomSettings(db, move),
    close() {
      if (db.open) db.close();
    },
  };
}
