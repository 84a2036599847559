import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ChatMessage } from '@parley/protocol';
import Database from 'better-sqlite3';
import type { AppendResult, ChatStore, HistoryPage, HistoryQuery, NewChatMessage } from './chat-store';
import { MIGRATIONS, migrate } from './migrations';

/** The database file inside PARLEY_DATA_DIR. */
export const DB_FILE = 'parley.db';

type Row = {
  room_id: string;
  seq: number;
  client_id: string;
  user_id: string;
  display_name: string;
  text: string;
  sent_at: number;
};

const COLUMNS = 'room_id, seq, client_id, user_id, display_name, text, sent_at';
/** Stands for "no upper bound" in the range queries. */
const NO_BOUND = Number.MAX_SAFE_INTEGER;

/** Opens (creating it if missing) `<dataDir>/parley.db`. */
export function openChatStore(dataDir: string, now: () => number): ChatStore {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return openSqliteChatStore(path.join(dir, DB_FILE), now);
}

/**
 * The SQLite chat store. `file` may be ':memory:' (tests). Runs pending
 * migrations before returning. WAL with synchronous=NORMAL: a committed
 * message survives a process crash; a power cut may lose the last few
 * commits, never corrupt the file.
 */
export function openSqliteChatStore(file: string, now: () => number): ChatStore {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, MIGRATIONS, now);
    return sqliteChatStore(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

function sqliteChatStore(db: Database.Database): ChatStore {
  const byClientId = db.prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM chat_messages WHERE room_id = ? AND client_id = ?`);
  const lastSeq = db.prepare<[string], { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM chat_messages WHERE room_id = ?');
  const insert = db.prepare<Row>(
    `INSERT INTO chat_messages (${COLUMNS}) VALUES (@room_id, @seq, @client_id, @user_id, @display_name, @text, @sent_at)`,
  );
  // Newest first below `before`, for the latest page and for older pages.
  const newestBefore = db.prepare<[string, number, number], Row>(
    `SELECT ${COLUMNS} FROM chat_messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
  );
  // Oldest first between `after` and `before`, for catching up.
  const oldestAfter = db.prepare<[string, number, number, number], Row>(
    `SELECT ${COLUMNS} FROM chat_messages WHERE room_id = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?`,
  );

  // IMMEDIATE takes the write lock first, so two writers can never read the same last seq.
  const appendTx = db.transaction((message: NewChatMessage): AppendResult => {
    const existing = byClientId.get(message.roomId, message.clientId);
    if (existing) return { message: toMessage(existing), duplicate: true };
    const seq = (lastSeq.get(message.roomId)?.seq ?? 0) + 1;
    const stored: ChatMessage = { ...message, seq };
    insert.run(toRow(stored));
    return { message: stored, duplicate: false };
  });

  return {
    append: (message) => appendTx.immediate(message),
    history(query: HistoryQuery): HistoryPage {
      // One row more than asked tells whether there is more.
      const { roomId, limit } = query;
      const before = query.beforeSeq ?? NO_BOUND;
      const { afterSeq } = query;
      const newest = afterSeq === undefined;
      const rows = newest
        ? newestBefore.all(roomId, before, limit + 1)
        : oldestAfter.all(roomId, afterSeq, before, limit + 1);
      const page = rows.slice(0, limit);
      // The newest page comes newest-first from the query; pages are oldest-first.
      return { messages: (newest ? page.reverse() : page).map(toMessage), hasMore: rows.length > limit };
    },
    close() {
      if (db.open) db.close();
    },
  };
}

function toMessage(row: Row): ChatMessage {
  return {
    roomId: row.room_id,
    seq: row.seq,
    clientId: row.client_id,
    userId: row.user_id,
    displayName: row.display_name,
    text: row.text,
    sentAt: row.sent_at,
  };
}

function toRow(message: ChatMessage): Row {
  return {
    room_id: message.roomId,
    seq: message.seq,
    client_id: message.clientId,
    user_id: message.userId,
    display_name: message.displayName,
    text: message.text,
    sent_at: message.sentAt,
  };
}
