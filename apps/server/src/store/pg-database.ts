import type { ChatStore } from './chat-store';
import { pgChatStore } from './pg-chat-store';
import { openPgPool, type PgOptions } from './pg-pool';
import { importRoomSettings, pgRoomSettingsStore } from './pg-room-settings-store';
import type { RoomSettingsStore, StoredRoomSettings } from './room-settings-store';

/** The server's stores on the PostgreSQL every node of a cluster names, all on one pool. */
export type PgDatabase = {
  chat: ChatStore;
  rooms: RoomSettingsStore;
  /** Adds rooms kept elsewhere before (a node's parley.db); rooms already here keep what they have. */
  importRooms(rooms: readonly StoredRoomSettings[]): Promise<void>;
  /** Ends the pool: every store stops working. Safe to call twice; `chat.close()` does the same. */
  close(): Promise<void>;
};

/** Connects to PARLEY_DATABASE_URL and migrates it (see pg-pool.ts). */
export async function openPgDatabase(connectionString: string, options: PgOptions): Promise<PgDatabase> {
  const pool = await openPgPool(connectionString, options);
  const chat = pgChatStore(pool);
  return {
    chat,
    rooms: pgRoomSettingsStore(pool),
    importRooms: (rooms) => importRoomSettings(pool, rooms),
    close: () => chat.close(),
  };
}
