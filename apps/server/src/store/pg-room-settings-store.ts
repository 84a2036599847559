import type pg from 'pg';
import type { RoomSettingsStore, StoredRoomSettings } from './room-settings-store';

type Row = {
  room_id: string;
  owner_key_hash: string;
  password_hash: string | null;
  locked: boolean;
  listed: boolean;
  revision: number;
  /** BIGINT arrives as a string; a time in ms fits a double exactly. */
  last_active_at: string;
};

const COLUMNS = 'room_id, owner_key_hash, password_hash, locked, listed, revision, last_active_at';

/** Rooms moved from parley.db per statement. */
const IMPORT_BATCH = 500;

/**
 * Room settings on PostgreSQL (PARLEY_DATABASE_URL), shared by every node:
 * a node started after a room went idle still knows its owner key, password
 * and lock. Every node stores the policies it applies, so each change is
 * written once per node; the revision guard in the upsert makes the writes
 * of lagging nodes change nothing. A PostgreSQL that is away fails the calls
 * made meanwhile: a join to an idle room is answered `internal` (never let
 * in as if the room were new), and a failed write is made again when the
 * room empties (room-service.ts). Does not own the pool.
 */
export function pgRoomSettingsStore(pool: pg.Pool): RoomSettingsStore {
  return {
    async get(roomId) {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM room_settings WHERE room_id = $1`, [roomId]);
      const row = rows[0];
      return row && toSettings(row);
    },

    async put(settings) {
      await pool.query(
        `INSERT INTO room_settings (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (room_id) DO UPDATE SET
           owner_key_hash = EXCLUDED.owner_key_hash,
           password_hash  = EXCLUDED.password_hash,
           locked         = EXCLUDED.locked,
           listed         = EXCLUDED.listed,
           revision       = EXCLUDED.revision,
           last_active_at = EXCLUDED.last_active_at
         WHERE room_settings.revision <= EXCLUDED.revision`,
        toParams(settings),
      );
    },

    async purgeInactive(cutoff, keep) {
      const { rows } = await pool.query<{ room_id: string }>(
        'DELETE FROM room_settings WHERE last_active_at < $1 AND NOT (room_id = ANY ($2::text[])) RETURNING room_id',
        [cutoff, [...keep]],
      );
      return rows.map((row) => row.room_id).sort();
    },
  };
}

/**
 * Adds rooms that a node kept in its own parley.db before its settings moved
 * to PostgreSQL; a room PostgreSQL already holds keeps what it holds (the
 * cluster's copy is the newer one). Resolves once they are committed.
 */
export async function importRoomSettings(pool: pg.Pool, rooms: readonly StoredRoomSettings[]): Promise<void> {
  for (let start = 0; start < rooms.length; start += IMPORT_BATCH) {
    const batch = rooms.slice(start, start + IMPORT_BATCH).map(toParams);
    const column = (i: number) => batch.map((params) => params[i]);
    await pool.query(
      `INSERT INTO room_settings (${COLUMNS})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::boolean[], $6::integer[], $7::bigint[])
       ON CONFLICT (room_id) DO NOTHING`,
      [0, 1, 2, 3, 4, 5, 6].map(column),
    );
  }
}

function toParams(settings: StoredRoomSettings): [string, string, string | null, boolean, boolean, number, number] {
  const { roomId, ownerKeyHash, passwordHash, locked, listed, revision, lastActiveAt } = settings;
  return [roomId, ownerKeyHash, passwordHash, locked, listed, revision, lastActiveAt];
}

function toSettings(row: Row): StoredRoomSettings {
  return {
    roomId: row.room_id,
    ownerKeyHash: row.owner_key_hash,
    passwordHash: row.password_hash,
    locked: row.locked,
    listed: row.listed,
    revision: row.revision,
    lastActiveAt: Number(row.last_active_at),
  };
}
