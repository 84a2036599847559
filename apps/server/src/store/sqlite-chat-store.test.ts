import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatStore } from './chat-store';
import { chatStoreContract, message, T0 } from './chat-store.contract';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion } from './migrations';
import { DB_FILE, openChatStore, openSqliteChatStore } from './sqlite-chat-store';

const now = () => T0;

let dir: string;
const opened: ChatStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-store-'));
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(): ChatStore {
  const store = openChatStore(dir, now);
  opened.push(store);
  return store;
}

/** Appends `count` messages "m1".."mN" to `roomId`. */
async function fill(store: ChatStore, roomId: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await store.append(message(roomId, `m${i}`));
}

const texts = (page: { messages: { text: string }[] }) => page.messages.map((m) => m.text);

describe('migrations', () => {
  it('bring a fresh file to the latest version, and a reopened one stays there without running again', async () => {
    await open().close();
    const db = new Database(path.join(dir, DB_FILE));
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(migrate(db, MIGRATIONS, now)).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    await open().append(message('friday', 'still works'));
  });

  it('run only the steps a database has not seen, in order', () => {
    const db = new Database(':memory:');
    try {
      const steps = [
        { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
        { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' },
      ];
      expect(migrate(db, steps.slice(0, 1), now)).toEqual([1]);
      expect(migrate(db, [steps[1]!, steps[0]!], now)).toEqual([2]);
      expect(schemaVersion(db)).toBe(2);
      db.prepare('INSERT INTO a (x, y) VALUES (1, 2)').run();
    } finally {
      db.close();
    }
  });

  it('bring a version-1 database to the latest, backfilling each room\'s seq counter so the numbering carries on', async () => {
    const file = path.join(dir, DB_FILE);
    const v1 = new Database(file);
    try {
      expect(migrate(v1, MIGRATIONS.slice(0, 1), now)).toEqual([1]);
      const insert = v1.prepare<[string, number, string, string]>(
        "INSERT INTO chat_messages (room_id, seq, client_id, user_id, display_name, text, sent_at) VALUES (?, ?, ?, 'u1', 'Ada', ?, 0)",
      );
      for (const [room, seq] of [['friday', 1], ['friday', 2], ['friday', 3], ['saturday', 1], ['saturday', 2]] as const) {
        insert.run(room, seq, `v1-${room}-${seq}`, `${room} ${seq}`);
      }
    } finally {
      v1.close();
    }

    const store = open();
    expect((await store.history({ roomId: 'friday', limit: 50 })).messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect((await store.append(message('friday', 'after the upgrade'))).message.seq).toBe(4);
    expect((await store.append(message('saturday', 'after the upgrade'))).message.seq).toBe(3);
    expect((await store.append(message('sunday', 'a new room'))).message.seq).toBe(1);

    const db = new Database(file, { readonly: true });
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare('SELECT room_id, last_seq FROM chat_room_seq ORDER BY room_id').all()).toEqual([
        { room_id: 'friday', last_seq: 4 },
        { room_id: 'saturday', last_seq: 3 },
        { room_id: 'sunday', last_seq: 1 },
      ]);
      // Retention finds old messages through the index, not by reading every row.
      const plan = db.prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT seq FROM chat_messages WHERE sent_at < 1').all();
      expect(plan.map((step) => step.detail).join(' ')).toContain('chat_messages_sent_at');
    } finally {
      db.close();
    }
  });

  it('bring a version-2 database to the latest: every row kept, the (room_id, seq) key, clientIds unique per sender', async () => {
    const file = path.join(dir, DB_FILE);
    const v2 = new Database(file);
    const rows = [
      ['friday', 1, 'client-a', 'ada', 'Ada', 'one', T0 - 10],
      ['friday', 2, 'client-b', 'bob', 'Bob', 'two', T0 - 5],
      ['saturday', 1, 'client-a', 'ada', 'Ada', 'three', T0],
    ] as const;
    try {
      expect(migrate(v2, MIGRATIONS.filter((m) => m.version <= 2), now)).toEqual([1, 2]);
      const insert = v2.prepare(
        'INSERT INTO chat_messages (room_id, seq, client_id, user_id, display_name, text, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const row of rows) insert.run(...row);
      v2.prepare("INSERT INTO chat_room_seq (room_id, last_seq) VALUES ('friday', 2), ('saturday', 1)").run();
    } finally {
      v2.close();
    }

    const store = open();
    // A clientId another sender used in the room is now a message of its own.
    expect(await store.append(message('friday', 'four', { clientId: 'client-a', userId: 'eve', displayName: 'Eve' }))).toMatchObject({
      duplicate: false,
      message: { seq: 3, userId: 'eve' },
    });
    expect(await store.append(message('friday', 'again', { clientId: 'client-a', userId: 'ada' }))).toMatchObject({
      duplicate: true,
      message: { seq: 1, text: 'one' },
    });

    const db = new Database(file, { readonly: true });
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const stored = db
        .prepare('SELECT room_id, seq, client_id, user_id, display_name, text, sent_at FROM chat_messages ORDER BY room_id, seq')
        .raw()
        .all();
      expect(stored).toEqual([...rows.slice(0, 2), ['friday', 3, 'client-a', 'eve', 'Eve', 'four', T0], rows[2]]);
      const { sql } = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'chat_messages'").get()!;
      expect(sql).toMatch(/PRIMARY KEY \(room_id, seq\)/);
      expect(sql).toMatch(/UNIQUE \(room_id, user_id, client_id\)/);
      expect(sql).toMatch(/WITHOUT ROWID/);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'chat_messages_v3%'").all()).toEqual([]);
      const plan = db.prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT seq FROM chat_messages WHERE sent_at < 1').all();
      expect(plan.map((step) => step.detail).join(' ')).toContain('chat_messages_sent_at');
    } finally {
      db.close();
    }
  });

  it('leave no trace of a step that failed', () => {
    const db = new Database(':memory:');
    try {
      const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE a (x INTEGER); NOT SQL' }];
      expect(() => migrate(db, broken, now)).toThrow();
      expect(schemaVersion(db)).toBe(0);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").all()).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('the SQLite chat store', () => {
  chatStoreContract({ open: async () => open(), reopen: async () => open() });
});

describe('an in-memory store', () => {
  it('works the same and keeps nothing after close', async () => {
    const store = openSqliteChatStore(':memory:', now);
    await fill(store, 'friday', 2);
    expect(texts(await store.history({ roomId: 'friday', limit: 50 }))).toEqual(['m1', 'm2']);
    await store.close();
    await expect(store.history({ roomId: 'friday', limit: 50 })).rejects.toThrow();
    const fresh = openSqliteChatStore(':memory:', now);
    expect((await fresh.history({ roomId: 'friday', limit: 50 })).messages).toEqual([]);
    await fresh.close();
  });
});
