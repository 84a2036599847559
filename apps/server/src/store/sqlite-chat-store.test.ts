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

  it('stores a clientId once per room and answers a resend with the stored message', () => {
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
