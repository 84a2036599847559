import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatStore, NewChatMessage } from './chat-store';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion } from './migrations';
import { DB_FILE, openChatStore, openSqliteChatStore } from './sqlite-chat-store';

const T0 = Date.UTC(2030, 0, 1);
const now = () => T0;

let dir: string;
const opened: ChatStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-store-'));
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(): ChatStore {
  const store = openChatStore(dir, now);
  opened.push(store);
  return store;
}

let counter = 0;
function message(roomId: string, text: string, extra: Partial<NewChatMessage> = {}): NewChatMessage {
  return { roomId, clientId: `client-${String(++counter).padStart(4, '0')}`, userId: 'u1', displayName: 'Ada', text, sentAt: T0, ...extra };
}

/** Appends `count` messages "m1".."mN" to `roomId`. */
function fill(store: ChatStore, roomId: string, count: number): void {
  for (let i = 1; i <= count; i++) store.append(message(roomId, `m${i}`));
}

const texts = (page: { messages: { text: string }[] }) => page.messages.map((m) => m.text);

describe('migrations', () => {
  it('bring a fresh file to the latest version, and a reopened one stays there without running again', () => {
    open().close();
    const db = new Database(path.join(dir, DB_FILE));
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(migrate(db, MIGRATIONS, now)).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    open().append(message('friday', 'still works'));
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

  it('bring a version-1 database to the latest, backfilling each room\'s seq counter so the numbering carries on', () => {
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
    expect(store.history({ roomId: 'friday', limit: 50 }).messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(store.append(message('friday', 'after the upgrade')).message.seq).toBe(4);
    expect(store.append(message('saturday', 'after the upgrade')).message.seq).toBe(3);
    expect(store.append(message('sunday', 'a new room')).message.seq).toBe(1);

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

  it('bring a version-2 database to the latest: every row kept, the (room_id, seq) key, clientIds unique per sender', () => {
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
    expect(store.append(message('friday', 'four', { clientId: 'client-a', userId: 'eve', displayName: 'Eve' }))).toMatchObject({
      duplicate: false,
      message: { seq: 3, userId: 'eve' },
    });
    expect(store.append(message('friday', 'again', { clientId: 'client-a', userId: 'ada' }))).toMatchObject({
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

describe('append', () => {
  it('numbers messages 1, 2, 3 in each room separately', () => {
    const store = open();
    const seqs = ['friday', 'friday', 'saturday', 'friday', 'saturday'].map((room) => store.append(message(room, 'hi')).message.seq);
    expect(seqs).toEqual([1, 2, 1, 3, 2]);
  });

  it('stores a clientId once per sender and room and answers a resend with the stored message', () => {
    const store = open();
    const first = store.append(message('friday', 'hello', { clientId: 'same-client-id' }));
    store.append(message('friday', 'in between'));
    const again = store.append(message('friday', 'hello (edited?)', { clientId: 'same-client-id', sentAt: T0 + 5000 }));
    expect(first).toEqual({ duplicate: false, message: { ...message('friday', 'hello'), clientId: 'same-client-id', seq: 1 } });
    expect(again).toEqual({ duplicate: true, message: first.message });
    expect(texts(store.history({ roomId: 'friday', limit: 50 }))).toEqual(['hello', 'in between']);
    // The same clientId in another room is another message.
    expect(store.append(message('saturday', 'hello', { clientId: 'same-client-id' }))).toMatchObject({ duplicate: false, message: { seq: 1 } });
  });

  it("keeps a clientId to its sender: Eve sending Ada's clientId stores her own message and never gets Ada's back", () => {
    const store = open();
    const ada = store.append(message('friday', 'from Ada', { clientId: 'ada-client-id', userId: 'ada', displayName: 'Ada' }));
    const eve = store.append(
      message('friday', 'from Eve', { clientId: 'ada-client-id', userId: 'eve', displayName: 'Eve', sentAt: T0 + 1 }),
    );
    expect(eve).toEqual({
      duplicate: false,
      message: { roomId: 'friday', seq: 2, clientId: 'ada-client-id', userId: 'eve', displayName: 'Eve', text: 'from Eve', sentAt: T0 + 1 },
    });
    // Ada's resend is still answered with her own original message, nothing new stored.
    const resent = store.append(message('friday', 'from Ada, again', { clientId: 'ada-client-id', userId: 'ada', displayName: 'Ada' }));
    expect(resent).toEqual({ duplicate: true, message: ada.message });
    // And Eve's resend with hers.
    const eveAgain = store.append(message('friday', 'x', { clientId: 'ada-client-id', userId: 'eve' }));
    expect(eveAgain).toEqual({ duplicate: true, message: eve.message });
    expect(store.history({ roomId: 'friday', limit: 50 }).messages.map((m) => [m.userId, m.text])).toEqual([
      ['ada', 'from Ada'],
      ['eve', 'from Eve'],
    ]);
  });

  it('keeps every field, including text with quotes and emoji, across close and reopen', () => {
    const stored = open().append(message('friday', `it's "fine" 😀 <b>`, { userId: 'u-42', displayName: 'Zoë', sentAt: T0 + 1 })).message;
    opened.splice(0).forEach((s) => s.close());
    const reopened = open();
    expect(reopened.history({ roomId: 'friday', limit: 50 }).messages).toEqual([stored]);
    expect(reopened.append(message('friday', 'next')).message.seq).toBe(2);
  });
});

describe('history', () => {
  it('returns the latest page oldest first, saying whether older ones exist', () => {
    const store = open();
    fill(store, 'friday', 5);
    fill(store, 'saturday', 3);
    expect(store.history({ roomId: 'friday', limit: 3 })).toMatchObject({ hasMore: true });
    expect(texts(store.history({ roomId: 'friday', limit: 3 }))).toEqual(['m3', 'm4', 'm5']);
    expect(store.history({ roomId: 'friday', limit: 5 }).hasMore).toBe(false);
    expect(store.history({ roomId: 'empty', limit: 5 })).toEqual({ messages: [], hasMore: false });
  });

  it('pages backwards with beforeSeq', () => {
    const store = open();
    fill(store, 'friday', 7);
    const older = store.history({ roomId: 'friday', limit: 3, beforeSeq: 5 });
    expect(older.messages.map((m) => m.seq)).toEqual([2, 3, 4]);
    expect(older.hasMore).toBe(true);
    const oldest = store.history({ roomId: 'friday', limit: 3, beforeSeq: 2 });
    expect(oldest).toMatchObject({ messages: [{ seq: 1 }], hasMore: false });
  });

  it('returns what was missed with afterSeq, oldest first, in pages', () => {
    const store = open();
    fill(store, 'friday', 7);
    const first = store.history({ roomId: 'friday', limit: 3, afterSeq: 2 });
    expect(first.messages.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(first.hasMore).toBe(true);
    const rest = store.history({ roomId: 'friday', limit: 3, afterSeq: 5 });
    expect(rest).toMatchObject({ messages: [{ seq: 6 }, { seq: 7 }], hasMore: false });
    expect(store.history({ roomId: 'friday', limit: 3, afterSeq: 7 })).toEqual({ messages: [], hasMore: false });
    expect(store.history({ roomId: 'friday', limit: 50, afterSeq: 0 }).messages).toHaveLength(7);
  });

  it('returns the range between afterSeq and beforeSeq when given both', () => {
    const store = open();
    fill(store, 'friday', 9);
    expect(store.history({ roomId: 'friday', limit: 2, afterSeq: 3, beforeSeq: 7 })).toMatchObject({
      messages: [{ seq: 4 }, { seq: 5 }],
      hasMore: true,
    });
    expect(store.history({ roomId: 'friday', limit: 5, afterSeq: 3, beforeSeq: 7 }).messages.map((m) => m.seq)).toEqual([4, 5, 6]);
  });
});

describe('deleteOlderThan', () => {
  it('deletes exactly the messages sent before the cutoff, in every room, and says how many', () => {
    const store = open();
    store.append(message('friday', 'old', { sentAt: T0 - 2 }));
    store.append(message('saturday', 'old too', { sentAt: T0 - 1 }));
    store.append(message('friday', 'at the cutoff', { sentAt: T0 }));
    store.append(message('saturday', 'new', { sentAt: T0 + 1 }));
    expect(store.deleteOlderThan(T0)).toBe(2);
    expect(texts(store.history({ roomId: 'friday', limit: 50 }))).toEqual(['at the cutoff']);
    expect(texts(store.history({ roomId: 'saturday', limit: 50 }))).toEqual(['new']);
    expect(store.deleteOlderThan(T0)).toBe(0);
  });

  it('never lets a seq go back, even when every message of a room is gone, and across a reopen', () => {
    const store = open();
    fill(store, 'friday', 3);
    expect(store.deleteOlderThan(T0 + 1)).toBe(3);
    expect(store.history({ roomId: 'friday', limit: 50 })).toEqual({ messages: [], hasMore: false });
    expect(store.append(message('friday', 'after retention', { sentAt: T0 + 1 })).message.seq).toBe(4);

    expect(store.deleteOlderThan(T0 + 2)).toBe(1);
    opened.splice(0).forEach((s) => s.close());
    const reopened = open();
    expect(reopened.append(message('friday', 'after a restart', { sentAt: T0 + 2 })).message.seq).toBe(5);
    // A client that saw seq 4 asks for what came after it and gets exactly the new message.
    expect(texts(reopened.history({ roomId: 'friday', limit: 50, afterSeq: 4 }))).toEqual(['after a restart']);
  });
});

describe('clearRoom', () => {
  it("deletes all of one room's messages, says how many, and the next message gets the next seq", () => {
    const store = open();
    fill(store, 'friday', 3);
    fill(store, 'saturday', 2);
    expect(store.clearRoom('friday')).toBe(3);
    expect(store.history({ roomId: 'friday', limit: 50 })).toEqual({ messages: [], hasMore: false });
    expect(texts(store.history({ roomId: 'saturday', limit: 50 }))).toEqual(['m1', 'm2']);
    expect(store.append(message('friday', 'fresh start')).message.seq).toBe(4);
    expect(store.clearRoom('friday')).toBe(1);
    expect(store.clearRoom('never-used')).toBe(0);
    expect(store.append(message('friday', 'again')).message.seq).toBe(5);
  });

  it('stores a clientId resent after its message was cleared as a new message', () => {
    const store = open();
    const first = store.append(message('friday', 'hello', { clientId: 'resent-client-id' }));
    store.clearRoom('friday');
    const again = store.append(message('friday', 'hello', { clientId: 'resent-client-id' }));
    expect(first.message.seq).toBe(1);
    expect(again).toMatchObject({ duplicate: false, message: { seq: 2, clientId: 'resent-client-id' } });
  });
});

describe('an in-memory store', () => {
  it('works the same and keeps nothing after close', () => {
    const store = openSqliteChatStore(':memory:', now);
    fill(store, 'friday', 2);
    expect(texts(store.history({ roomId: 'friday', limit: 50 }))).toEqual(['m1', 'm2']);
    store.close();
    expect(() => store.history({ roomId: 'friday', limit: 50 })).toThrow();
    const fresh = openSqliteChatStore(':memory:', now);
    expect(fresh.history({ roomId: 'friday', limit: 50 }).messages).toEqual([]);
    fresh.close();
  });
});
