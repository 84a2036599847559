import type pg from 'pg';

export type PgMigration = { version: number; name: string; sql: string };

/**
 * The PostgreSQL schema, as ordered steps: append new ones, never edit or
 * reorder one that has shipped. It started at the shape the SQLite chat
 * tables reached after their own three steps (migrations.ts): PostgreSQL had
 * no older databases to carry along.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'chat messages and per-room seq counters',
    sql: `
      CREATE TABLE chat_messages (
        room_id      TEXT   NOT NULL,
        seq          BIGINT NOT NULL,
        client_id    TEXT   NOT NULL,
        user_id      TEXT   NOT NULL,
        display_name TEXT   NOT NULL,
        text         TEXT   NOT NULL,
        sent_at      BIGINT NOT NULL,
        PRIMARY KEY (room_id, seq),
        UNIQUE (room_id, user_id, client_id)
      );
      CREATE INDEX chat_messages_sent_at ON chat_messages (sent_at);

      -- The last seq handed out in each room; its row lock is what makes two
      -- nodes appending to one room take turns. Deleting messages never lets it go back.
      CREATE TABLE chat_room_seq (
        room_id  TEXT   PRIMARY KEY,
        last_seq BIGINT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'room settings',
    // As in SQLite (migrations.ts, versions 2 and 4): one row per room that has been made,
    // kept while it is idle so that any node, one started later included, knows its owner
    // key, password and lock. Nodes write late and in any order; `revision` keeps the newest.
    sql: `
      CREATE TABLE room_settings (
        room_id        TEXT    PRIMARY KEY,
        owner_key_hash TEXT    NOT NULL,
        password_hash  TEXT,
        locked         BOOLEAN NOT NULL,
        listed         BOOLEAN NOT NULL,
        revision       INTEGER NOT NULL,
        last_active_at BIGINT  NOT NULL
      );
      CREATE INDEX room_settings_last_active_at ON room_settings (last_active_at);
    `,
  },
];

/** Any constant: every node that starts at the same moment takes this lock before migrating. */
const MIGRATION_LOCK = 0x7061726c; // "parl"

/**
 * Brings the database to the latest version, each step in its own
 * transaction with its row in schema_migrations. Several nodes starting at
 * once take turns (an advisory lock); the later ones find nothing to do.
 * Returns the versions it applied.
 */
export async function migratePg(client: pg.ClientBase, migrations: readonly PgMigration[], now: () => number): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL,
        applied_at BIGINT  NOT NULL
      )
    `);
    const current = await pgSchemaVersion(client);
    const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
    for (const migration of pending) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return pending.map((m) => m.version);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

export async function pgSchemaVersion(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}
