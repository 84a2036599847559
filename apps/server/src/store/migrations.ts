import type Database from 'better-sqlite3';

export type Migration = { version: number; name: string; sql: string };

/**
 * The schema, as an ordered list of steps. Append new steps; never edit or
 * reorder one that has shipped: databases in the field have already run it.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'chat messages',
    sql: `
      CREATE TABLE chat_messages (
        room_id      TEXT    NOT NULL,
        seq          INTEGER NOT NULL,
        client_id    TEXT    NOT NULL,
        user_id      TEXT    NOT NULL,
        display_name TEXT    NOT NULL,
        text         TEXT    NOT NULL,
        sent_at      INTEGER NOT NULL,
        PRIMARY KEY (room_id, seq),
        UNIQUE (room_id, client_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'room settings, chat seq counters, chat retention index',
    sql: `
      CREATE TABLE room_settings (
        room_id        TEXT    PRIMARY KEY,
        owner_key_hash TEXT    NOT NULL,
        password_hash  TEXT,
        locked         INTEGER NOT NULL CHECK (locked IN (0, 1)),
        listed         INTEGER NOT NULL CHECK (listed IN (0, 1)),
        last_active_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX room_settings_last_active_at ON room_settings (last_active_at);

      -- The last seq handed out in each room. Kept apart from chat_messages so that
      -- deleting messages (retention, clearing) never lets a room's seq go back.
      CREATE TABLE chat_room_seq (
        room_id  TEXT    PRIMARY KEY,
        last_seq INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO chat_room_seq (room_id, last_seq)
        SELECT room_id, MAX(seq) FROM chat_messages GROUP BY room_id;

      CREATE INDEX chat_messages_sent_at ON chat_messages (sent_at);
    `,
  },
  {
    version: 3,
    name: 'chat clientIds unique per sender, not per room',
    // A clientId makes one sender's resend idempotent; unique per room, it let anyone who
    // saw a message resend its clientId and be acked with somebody else's message. SQLite
    // cannot change a UNIQUE constraint in place: the table is rebuilt, every row kept
    // (the old constraint was the stricter one, so they all fit the new one).
    sql: `
      CREATE TABLE chat_messages_v3 (
        room_id      TEXT    NOT NULL,
        seq          INTEGER NOT NULL,
        client_id    TEXT    NOT NULL,
        user_id      TEXT    NOT NULL,
        display_name TEXT    NOT NULL,
        text         TEXT    NOT NULL,
        sent_at      INTEGER NOT NULL,
        PRIMARY KEY (room_id, seq),
        UNIQUE (room_id, user_id, client_id)
      ) WITHOUT ROWID;
      INSERT INTO chat_messages_v3 (room_id, seq, client_id, user_id, display_name, text, sent_at)
        SELECT room_id, seq, client_id, user_id, display_name, text, sent_at FROM chat_messages;
      DROP TABLE chat_messages;
      ALTER TABLE chat_messages_v3 RENAME TO chat_messages;
      CREATE INDEX chat_messages_sent_at ON chat_messages (sent_at);
    `,
  },
  {
    version: 4,
    name: 'room settings revision',
    // How many times a room's policy changed: a store never goes back to an older one, so a
    // node writing late (several share one PostgreSQL) cannot undo a newer password or lock.
    // Rooms stored before it count as first revisions.
    sql: `
      ALTER TABLE room_settings ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
    `,
  },
];

/** The version the latest migration leaves a database at. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Brings `db` up to the latest version: runs, in order, each migration it has
 * not run yet, each in its own transaction together with its row in
 * schema_migrations. Returns the versions it applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], now: () => number): number[] {
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT    NOT NULL,
      applied_at INTEGER NOT NULL
    )
  `);
  const current = schemaVersion(db);
  const record = db.prepare<[number, string, number]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
    }).immediate();
  }
  return pending.map((m) => m.version);
}

/** The highest migration applied to `db`; 0 for a database that has none. */
export function schemaVersion(db: Database.Database): number {
  const row = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations').get();
  return row?.version ?? 0;
}
