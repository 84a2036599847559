import type { ChatMessage, RoomId } from '@parley/protocol';
import type pg from 'pg';
import type { AppendResult, ChatStore, HistoryPage, HistoryQuery, NewChatMessage } from './chat-store';
import { openPgPool, type PgOptions } from './pg-pool';

type Row = {
  room_id: string;
  seq: string;
  client_id: string;
  user_id: string;
  display_name: string;
  text: string;
  sent_at: string;
};

const COLUMNS = 'room_id, seq, client_id, user_id, display_name, text, sent_at';
/** A ping that has not answered within this long says the database is away. */
const PING_LIMIT_MS = 1_000;
/** Stands for "no upper bound" in the range queries. */
const NO_BOUND = Number.MAX_SAFE_INTEGER;

/**
 * The chat store on PostgreSQL (PARLEY_DATABASE_URL), which every node of a
 * cluster shares. Migrates the database before it answers. A PostgreSQL that
 * goes away fails the calls made meanwhile (the chat service answers
 * `internal`, clients resend), within the query timeout even when the
 * network drops everything (pg-pool.ts), and the pool reconnects by itself
 * when it is back; nothing acknowledged is lost, because an ack follows the
 * commit, and a message committed whose commit went unanswered is found by
 * its clientId when it is resent. Its close() ends the pool.
 */
export async function openPgChatStore(connectionString: string, options: PgOptions): Promise<ChatStore> {
  return pgChatStore(await openPgPool(connectionString, options));
}

/** The chat store on a migrated pool (pg-pool.ts); close() ends the pool. */
export function pgChatStore(pool: pg.Pool): ChatStore {
  let closed = false;
  let pinging: Promise<boolean> | undefined;

  /**
   * One transaction on one connection. When anything fails the connection is
   * dropped, which rolls the transaction back: no ROLLBACK is sent to a server
   * that may not be answering (it would hold the sender's error for another
   * query timeout).
   */
  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(broken);
    }
  };

  return {
    kind: 'postgres',
    append: (message: NewChatMessage) =>
      transaction(async (client): Promise<AppendResult> => {
        const { roomId, userId, clientId } = message;
        // The room's counter row, created at its first message and then locked: appends to one
        // room, from every node, take turns here until they commit.
        await client.query('INSERT INTO chat_room_seq (room_id, last_seq) VALUES ($1, 0) ON CONFLICT (room_id) DO NOTHING', [roomId]);
        await client.query('SELECT last_seq FROM chat_room_seq WHERE room_id = $1 FOR UPDATE', [roomId]);
        // Read after the lock: a resend through another node that committed first is seen here.
        const existing = await client.query<Row>(`SELECT ${COLUMNS} FROM chat_messages WHERE room_id = $1 AND user_id = $2 AND client_id = $3`, [
          roomId,
          userId,
          clientId,
        ]);
        const found = existing.rows[0];
        if (found) return { message: toMessage(found), duplicate: true };
        const next = await client.query<{ last_seq: string }>('UPDATE chat_room_seq SET last_seq = last_seq + 1 WHERE room_id = $1 RETURNING last_seq', [roomId]);
        const seq = Number(next.rows[0]?.last_seq);
        if (!Number.isSafeInteger(seq)) throw new Error('chat_room_seq returned no row');
        const stored: ChatMessage = { ...message, text: withoutNul(message.text), displayName: withoutNul(message.displayName), seq };
        await client.query(`INSERT INTO chat_messages (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          stored.roomId,
          stored.seq,
          stored.clientId,
          stored.userId,
          stored.displayName,
          stored.text,
          stored.sentAt,
        ]);
        return { message: stored, duplicate: false };
      }),

    async history(query: HistoryQuery): Promise<HistoryPage> {
      // One row more than asked tells whether there is more.
      const { roomId, limit, afterSeq } = query;
      const before = query.beforeSeq ?? NO_BOUND;
      const newest = afterSeq === undefined;
      const { rows } = newest
        ? await pool.query<Row>(`SELECT ${COLUMNS} FROM chat_messages WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`, [roomId, before, limit + 1])
        : await pool.query<Row>(`SELECT ${COLUMNS} FROM chat_messages WHERE room_id = $1 AND seq > $2 AND seq < $3 ORDER BY seq ASC LIMIT $4`, [
            roomId,
            afterSeq,
            before,
            limit + 1,
          ]);
      const page = rows.slice(0, limit);
      // The newest page comes newest-first from the query; pages are oldest-first.
      return { messages: (newest ? page.reverse() : page).map(toMessage), hasMore: rows.length > limit };
    },

    async deleteOlderThan(cutoff: number): Promise<number> {
      return (await pool.query('DELETE FROM chat_messages WHERE sent_at < $1', [cutoff])).rowCount ?? 0;
    },

    async clearRoom(roomId: RoomId): Promise<number> {
      return (await pool.query('DELETE FROM chat_messages WHERE room_id = $1', [roomId])).rowCount ?? 0;
    },

    ping(): Promise<boolean> {
      if (closed) return Promise.resolve(false);
      // One at a time, and an answer within PING_LIMIT_MS either way: /healthz is polled by load balancers.
      pinging ??= pool
        .query('SELECT 1')
        .then(
          () => true,
          () => false,
        )
        .finally(() => {
          pinging = undefined;
        });
      return Promise.race([pinging, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PING_LIMIT_MS).unref())]);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * PostgreSQL text cannot hold U+0000, which a chat message may carry: stored
 * as U+FFFD (the replacement character) instead of failing the message
 * forever, as every resend would.
 */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function toMessage(row: Row): ChatMessage {
  return {
    roomId: row.room_id,
    // BIGINT arrives as a string: a seq and a time in ms both fit a double exactly.
    seq: Number(row.seq),
    clientId: row.client_id,
    userId: row.user_id,
    displayName: row.display_name,
    text: row.text,
    sentAt: Number(row.sent_at),
  };
}
