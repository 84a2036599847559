import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { usePostgresPerFile } from '../testing/postgres-suite';
import { startTcpProxy } from '../testing/tcp-proxy';
import { TestClient } from '../testing/test-client';
import { startTestServer } from '../testing/test-server';
import type { ChatStore } from './chat-store';
import { chatStoreContract, message, T0 } from './chat-store.contract';
import { openPgChatStore } from './pg-chat-store';
import { migratePg, PG_MIGRATIONS, pgSchemaVersion } from './pg-migrations';

const server = usePostgresPerFile();
let url: string;
const now = () => T0;

async function openOn(databaseUrl: string): Promise<ChatStore> {
  return server.closeAfterEach(await openPgChatStore(databaseUrl, { now, poolSize: 4 }));
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
    server.closeAfterEach(store);
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

  it('through a node while PostgreSQL is stopped: chat is refused, never acknowledged, /healthz says so; once it is back the resend is stored once beside what was acknowledged before', async () => {
    const store = await openPgChatStore(await server.createDatabase(), { now: Date.now, poolSize: 2 });
    server.closeAfterEach(store);
    const node = await startTestServer({}, { chatStore: store });
    const ada = await TestClient.connect(node.wsUrl, 'Ada');
    const database = async () => ((await (await fetch(`${node.httpUrl}/healthz`)).json()) as { database: { ok: boolean } }).database.ok;
    try {
      ada.send({ type: 'room.join', roomId: 'friday' });
      await ada.next('room.joined');
      const send = (clientId: string, text: string) => {
        ada.send({ type: 'chat.send', roomId: 'friday', clientId, text });
        return ada.nextOf(['chat.ack', 'error']);
      };
      expect(await send('ada-before-stop', 'acknowledged before')).toMatchObject({ type: 'chat.ack', message: { seq: 1 } });

      await server.pause();
      try {
        expect(await database()).toBe(false);
        // What the page hears is an error naming the message, which it keeps and resends; never an ack.
        expect(await send('ada-while-stopped', 'sent while it was stopped')).toMatchObject({
          type: 'error',
          code: 'internal',
          inReplyTo: 'chat.send',
          ref: 'ada-while-stopped',
        });
      } finally {
        await server.resume();
      }

      await expect.poll(database, { timeout: 15_000 }).toBe(true);
      expect(await send('ada-while-stopped', 'sent while it was stopped')).toMatchObject({ type: 'chat.ack', message: { seq: 2 } });
      // A second resend (the first ack lost on the way) is answered with the same message, not stored again.
      expect(await send('ada-while-stopped', 'sent while it was stopped')).toMatchObject({ type: 'chat.ack', message: { seq: 2 } });
      ada.send({ type: 'chat.history', roomId: 'friday', requestId: 1 });
      expect((await ada.next('chat.history')).messages.map((m) => [m.seq, m.text])).toEqual([
        [1, 'acknowledged before'],
        [2, 'sent while it was stopped'],
      ]);
    } finally {
      ada.close();
      await node.close();
    }
  }, 60_000);

  it('behind a network that drops everything: /healthz still answers and says so, chat is refused instead of left waiting, and the resend is stored once when it answers again', async () => {
    const direct = new URL(await server.createDatabase());
    const relay = await startTcpProxy({ host: '127.0.0.1', port: Number(direct.port) });
    const throughRelay = new URL(direct);
    throughRelay.port = String(relay.port);
    const store = await openPgChatStore(throughRelay.toString(), { now: Date.now, poolSize: 2, statementTimeoutMs: 1_000 });
    server.closeAfterEach(store);
    const node = await startTestServer({}, { chatStore: store });
    const ada = await TestClient.connect(node.wsUrl, 'Ada');
    const database = async () => ((await (await fetch(`${node.httpUrl}/healthz`)).json()) as { database: { ok: boolean } }).database.ok;
    const send = (clientId: string, text: string) => {
      ada.send({ type: 'chat.send', roomId: 'friday', clientId, text });
      return ada.nextOf(['chat.ack', 'error']);
    };
    try {
      ada.send({ type: 'room.join', roomId: 'friday' });
      await ada.next('room.joined');
      expect(await send('ada-before-hold', 'acknowledged before')).toMatchObject({ type: 'chat.ack', message: { seq: 1 } });

      relay.hold();
      try {
        expect(await database()).toBe(false);
        // Refused once the query timeout (statement timeout + 1 s) has passed, not held until the network heals.
        ada.send({ type: 'chat.send', roomId: 'friday', clientId: 'ada-during-hold', text: 'sent into the void' });
        expect(await ada.nextOf(['chat.ack', 'error'], 10_000)).toMatchObject({ type: 'error', code: 'internal', ref: 'ada-during-hold' });
      } finally {
        relay.release();
      }

      await expect.poll(database, { timeout: 15_000 }).toBe(true);
      expect(await send('ada-during-hold', 'sent into the void')).toMatchObject({ type: 'chat.ack', message: { seq: 2 } });
      ada.send({ type: 'chat.history', roomId: 'friday', requestId: 1 });
      expect((await ada.next('chat.history')).messages.map((m) => [m.seq, m.text])).toEqual([
        [1, 'acknowledged before'],
        [2, 'sent into the void'],
      ]);
    } finally {
      ada.close();
      await node.close();
      await relay.close();
    }
  }, 60_000);
});
