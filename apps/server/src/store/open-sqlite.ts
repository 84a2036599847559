import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate } from './migrations';

/** The database file inside PARLEY_DATA_DIR. */
export const DB_FILE = 'parley.db';

/** `<dataDir>/parley.db`, creating `dataDir` (mode 0700) if it is missing. */
export function dbFileIn(dataDir: string): string {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, DB_FILE);
}

/**
 * Opens (creating it if missing) the SQLite file and runs pending migrations
 * before returning. `file` may be ':memory:' (tests). WAL with
 * synchronous=NORMAL: a commit survives a process crash; a power cut may lose
 * the last few commits, never corrupt the file.
 */
export function openSqlite(file: string, now: () => number): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, MIGRATIONS, now);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
