import pg from 'pg';
import { migratePg, PG_MIGRATIONS } from './pg-migrations';

export type PgOptions = {
  now: () => number;
  /** Connections per node; chat appends hold one for a few round trips. */
  poolSize?: number;
  /** A query that takes longer than this fails (and the sender resends), instead of holding its room's queue. */
  statementTimeoutMs?: number;
  /** Where a connection the pool lost in the background is reported (PostgreSQL restarted); the pool makes new ones. */
  onConnectionError?(err: Error): void;
};

/**
 * A connection pool on PARLEY_DATABASE_URL, the schema migrated before it is
 * handed out (several nodes starting at once take turns: pg-migrations.ts).
 * Rejects, with nothing left open, when the database cannot be reached or
 * migrated.
 */
export async function openPgPool(connectionString: string, options: PgOptions): Promise<pg.Pool> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    statement_timeout: statementTimeoutMs,
    // The server enforces statement_timeout only if it hears the query: a PostgreSQL behind a
    // network that drops everything would leave the query, and whoever waits on it, waiting for good.
    query_timeout: statementTimeoutMs + 1_000,
    application_name: 'parley',
  });
  // Without a listener, a connection dropped while idle would be an uncaught 'error': the process would die.
  pool.on('error', (err) => options.onConnectionError?.(err));
  try {
    const client = await pool.connect();
    try {
      await migratePg(client, PG_MIGRATIONS, options.now);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}
