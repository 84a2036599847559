import type { ChatMessage, RoomId } from '@parley/protocol';
import type Database from 'better-sqlite3';
import type { AppendResult, ChatStore, HistoryPage, HistoryQuery, NewChatMessage } from './chat-store';
import { dbFileIn, openSqlite } from './open-sqlite';

export { DB_FILE } from './open-sqlite';

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

/**
 * A chat store alone on its own handle to `<dataDir>/parley.db`. The server
 * opens the database with `openDatabase` (database.ts), which serves the chat
 * and the room settings from one handle.
 */
export function openChatStore(dataDir: string, now: () => number): ChatStore {
  return openSqliteChatStore(dbFileIn(dataDir), now);
}

/** A chat store alone on its own handle. `file` may be ':memory:' (tests). Its close() closes the handle. */
export function openSqliteChatStore(file: string, now: () => number): ChatStore {
  return sqliteChatStore(openSqlite(file, now));
}

/**
 * The chat store on an open, migrated database. Its close() closes `db`:
 * callers that hold only a ChatStore can still shut the database down.
 */
export function sqliteChatStore(db: Database.Database): ChatStore {
  // A clientId is the sender's own: another sender's message with the same clientId is not theirs to be acked with.
  const byClientId = db.prepare<[string, string, string], Row>(
    `SELECT ${COLUMNS} FROM chat_messages WHERE room_id = ? AND user_id = ? AND client_id = ?`,
  );
  // The room's counter, not MAX(seq) of what is stored: messages get deleted, seqs must not go back.
  const nextSeq = db.prepare<[string], { seq: number }>(
    `INSERT INTO chat_room_seq (room_id, last_seq) VALUES (?, 1)
     ON CONFLICT (room_id) DO UPDATE SET last_seq = last_seq + 1
     RETURNING last_seq AS seq`,
  );
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

  const deleteSentBefore = db.prepare<[number]>('DELETE FROM chat_messages WHERE sent_at < ?');
  const deleteRoom = db.prepare<[string]>('DELETE FROM chat_messages WHERE room_id = ?');

  // IMMEDIATE takes the write lock first, so two writers can never take the same seq.
  // The (sender, clientId) check only sees stored messages: a clientId resent after its message
  // was deleted is stored again, as a new message with a new seq. Acceptable: a client
  // resends within seconds, retention deletes messages days old, and clearRoom is the
  // owner's deliberate act.
  const appendTx = db.transaction((message: NewChatMessage): AppendResult => {
    const existing = byClientId.get(message.roomId, message.userId, message.clientId);
    if (existing) return { message: toMessage(existing), duplicate: true };
    const seq = nextSeq.get(message.roomId)?.seq;
    if (seq === undefined) throw new Error('chat_room_seq returned no row');
    const stored: ChatMessage = { ...message, seq };
    insert.run(toRow(stored));
    return { message: stored, duplicate: false };
  });

  const history = (query: HistoryQuery): HistoryPage => {
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
  };

  // Each call runs to its commit synchronously, inside the call (an async function runs up to its
  // first await, and these have none): appends take their seqs in call order, and settle in that order.
  return {
    kind: 'sqlite',
    append: async (message) => appendTx.immediate(message),
    history: async (query) => history(query),
    deleteOlderThan: async (cutoff: number) => deleteSentBefore.run(cutoff).changes,
    clearRoom: async (roomId: RoomId) => deleteRoom.run(roomId).changes,
    ping: () => Promise.resolve(db.open),
    close() {
      if (db.open) db.close();
      return Promise.resolve();
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
