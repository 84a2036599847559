import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../testing/postgres';
import { startTestServer } from '../testing/test-server';
import type { ChatStore } from './chat-store';
import { chatStoreContract, message, T0 } from './chat-store.contract';
import { openPgChatStore } from './pg-chat-store';
import { migratePg, PG_MIGRATIONS, pgSchemaVersion } from './pg-migrations';

let server: TestPostgres;
let url: string;
const opened: ChatStore[] = [];
const now = () => T0;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function openOn(databaseUrl: string): Promise<ChatStore> {
  const store = await openPgChatStore(databaseUrl, { now, poolSize: 4 });
  opened.push(store);
  return store;
}

describe('the PostgreSQL chat store', () => {
  chatStoreContract({
    open: async () => {
      url = await server.createDatabase();
      return openOn(url);
    },
    reopen: () => openOn(url),
  });

  it('migrates a fresh database once, even when several nodes start at the same moment', async () => {
    const databaseUrl = await server.createDatabase();
    const nodes = await Promise.all([openOn(databaseUrl), openOn(databaseUrl), openOn(databaseUrl)]);
    expect(await nodes[0]!.append(message('friday', 'hi'))).toMatchObject({ message: { seq: 1 } });
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      expect(await pgSchemaVersion(client)).toBe(PG_MIGRATIONS.length);
      expect(await migratePg(client, PG_MIGRATIONS, now)).toEqual([]);
      const { rows } = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM schema_migrations');
      expect(Number(rows[0]?.n)).toBe(PG_MIGRATIONS.length);
    } finally {
      await client.end();
    }
  });

  it('stores a message carrying U+0000, which PostgreSQL text cannot hold, with U+FFFD instead of failing it forever', async () => {
    const store = await openOn(await server.createDatabase());
    const sent = message('friday', 'a\u0000b');
    const { message: stored } = await store.append(sent);
    expect(stored.text).toBe('a\uFFFDb');
    expect(await store.append(sent)).toEqual({ duplicate: true, message: stored });
  });

  it('rides out a PostgreSQL restart: calls fail while it is down, the pool reconnects by itself, nothing committed is lost', async () => {
    const databaseUrl = await server.createDatabase();
    const store = await openPgChatStore(databaseUrl, { now, poolSize: 2 });
    opened.push(store);
    const before = await store.append(message('friday', 'before the restart'));

    await server.restart({ downMs: 300 });

    // The pool's idle connections died with the server; the first calls may fail, then it reconnects.
    await expect.poll(() => store.ping(), { timeout: 15_000 }).toBe(true);
    const after = await store.append(message('friday', 'after the restart'));
    expect(after.message.seq).toBe(before.message.seq + 1);
    const page = await store.history({ roomId: 'friday', limit: 10 });
    expect(page.messages.map((m) => m.text)).toEqual(['before the restart', 'after the restart']);
  }, 60_000);

  it('is what /healthz reports: a node whose PostgreSQL answers says so, and one whose does not still serves (200) but says it is down', async () => {
    const store = await openOn(await server.createDatabase());
    const node = await startTestServer({}, { chatStore: store });
    try {
      const health = async () => {
        const res = await fetch(`${node.httpUrl}/healthz`);
        return { status: res.status, body: (await res.json()) as { database: unknown } };
      };
      expect(await health()).toMatchObject({ status: 200, body: { database: { kind: 'postgres', ok: true } } });
      await store.close();
      expect(await health()).toMatchObject({ status: 200, body: { database: { kind: 'postgres', ok: false } } });
    } finally {
      await node.close();
    }
  });
});
