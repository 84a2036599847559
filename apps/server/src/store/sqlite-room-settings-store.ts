import type { RoomId } from '@parley/protocol';
import type Database from 'better-sqlite3';
import type { RoomSettingsStore, StoredRoomSettings } from './room-settings-store';

type Row = {
  room_id: string;
  owner_key_hash: string;
  password_hash: string | null;
  locked: 0 | 1;
  listed: 0 | 1;
  revision: number;
  last_active_at: number;
};

const COLUMNS = 'room_id, owner_key_hash, password_hash, locked, listed, revision, last_active_at';

/**
 * The room settings store on an open, migrated database (see database.ts). It
 * does not own `db`. Each call does its work before it returns; the promise
 * only carries the result (or the failure), as the interface wants.
 */
export function sqliteRoomSettingsStore(db: Database.Database): RoomSettingsStore {
  const byRoomId = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM room_settings WHERE room_id = ?`);
  const upsert = db.prepare<Row>(
    `INSERT INTO room_settings (${COLUMNS})
     VALUES (@room_id, @owner_key_hash, @password_hash, @locked, @listed, @revision, @last_active_at)
     ON CONFLICT (room_id) DO UPDATE SET
       owner_key_hash = excluded.owner_key_hash,
       password_hash  = excluded.password_hash,
       locked         = excluded.locked,
       listed         = excluded.listed,
       revision       = excluded.revision,
       last_active_at = excluded.last_active_at
     WHERE room_settings.revision <= excluded.revision`,
  );
  // `keep` goes in as one JSON array, so the whole purge is one statement and one commit.
  const deleteInactive = db.prepare<[number, string], { room_id: string }>(
    `DELETE FROM room_settings
     WHERE last_active_at < ? AND room_id NOT IN (SELECT value FROM json_each(?))
     RETURNING room_id`,
  );

  return {
    async get(roomId) {
      const row = byRoomId.get(roomId);
      return row && toSettings(row);
    },
    async put(settings) {
      upsert.run(toRow(settings));
    },
    async purgeInactive(cutoff, keep) {
      return deleteInactive
        .all(cutoff, JSON.stringify([...keep]))
        .map((row) => row.room_id)
        .sort();
    },
  };
}

/**
 * Hands every room kept in `db` to `move` (which stores them elsewhere:
 * PostgreSQL, once PARLEY_DATABASE_URL is set) and, once it has resolved,
 * deletes them here, so that they are moved once and a room forgotten there
 * later is not brought back at the next start. Resolves to how many moved.
 */
export async function moveSqliteRoomSettings(db: Database.Database, move: (rooms: StoredRoomSettings[]) => Promise<void>): Promise<number> {
  const rooms = db.prepare<[], Row>(`SELECT ${COLUMNS} FROM room_settings ORDER BY room_id`).all().map(toSettings);
  if (rooms.length === 0) return 0;
  await move(rooms);
  const remove = db.prepare<[string]>('DELETE FROM room_settings WHERE room_id = ?');
  db.transaction(() => {
    for (const room of rooms) remove.run(room.roomId);
  })();
  return rooms.length;
}

function toSettings(row: Row): StoredRoomSettings {
  return {
    roomId: row.room_id,
    ownerKeyHash: row.owner_key_hash,
    passwordHash: row.password_hash,
    locked: row.locked === 1,
    listed: row.listed === 1,
    revision: row.revision,
    lastActiveAt: row.last_active_at,
  };
}

// better-sqlite3 binds no booleans: they are stored as 0 and 1.
function toRow(settings: StoredRoomSettings): Row {
  return {
    room_id: settings.roomId,
    owner_key_hash: settings.ownerKeyHash,
    password_hash: settings.passwordHash,
    locked: settings.locked ? 1 : 0,
    listed: settings.listed ? 1 : 0,
    revision: settings.revision,
    last_active_at: settings.lastActiveAt,
  };
}
