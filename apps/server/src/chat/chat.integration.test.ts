import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LIMITS, type ChatMessage } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../config';
import type { ServerDeps } from '../server';
import { openChatStore } from '../store/sqlite-chat-store';
import { createFakeClock } from '../testing/fake-clock';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

/** Far beyond any advance() here, so the heartbeat never fires in the middle of a test. */
const HEARTBEAT_MS = 3_600_000;

let servers: TestServer[];
let clients: TestClient[];
let server: TestServer;

async function start(overrides: Partial<Config> = {}, deps: Partial<ServerDeps> = {}): Promise<TestServer> {
  server = await startTestServer({ heartbeatIntervalMs: HEARTBEAT_MS, ...overrides }, deps);
  servers.push(server);
  return server;
}

async function connect(name: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, name);
  clients.push(client);
  return client;
}

/** `names` connected and in `roomId`, each having seen everyone join. */
async function inRoom(roomId: string, ...names: string[]): Promise<TestClient[]> {
  const joined: TestClient[] = [];
  for (const name of names) {
    const client = await connect(name);
    client.send({ type: 'room.join', roomId });
    await client.next('room.joined');
    for (const earlier of joined) await earlier.next('peer.joined');
    joined.push(client);
  }
  return joined;
}

let sent = 0;
const newClientId = () => `client-${String(++sent).padStart(6, '0')}`;

function post(client: TestClient, text: string, clientId = newClientId(), roomId = 'friday'): string {
  client.send({ type: 'chat.send', roomId, clientId, text });
  return clientId;
}

async function history(client: TestClient, request: Record<string, unknown> = {}, roomId = 'friday') {
  client.send({ type: 'chat.history', roomId, ...request });
  return client.nextOf(['chat.history', 'error']);
}

/** The next `count` chat messages `client` saw, acks of its own and others' alike, in arrival order. */
async function chatStream(client: TestClient, count: number): Promise<ChatMessage[]> {
  const seen: ChatMessage[] = [];
  while (seen.length < count) seen.push((await client.nextOf(['chat.ack', 'chat.message'])).message);
  return seen;
}

/** Chat frames `client` received and nobody consumed yet, after a round trip. */
async function unreadChat(client: TestClient) {
  await client.sync();
  return client.unread().filter((m) => m.type.startsWith('chat.'));
}

beforeEach(() => {
  servers = [];
  clients = [];
});

afterEach(async () => {
  for (const client of clients) client.socket.terminate();
  for (const s of servers) await s.close();
});

describe('sending', () => {
  it('acks the sender and delivers the same stored message, seq included, to the others', async () => {
    await start();
    const [ada, bob] = await inRoom('friday', 'Ada', 'Bob');
    const clientId = post(ada!, '  hello Bob  ');
    const ack = await ada!.next('chat.ack');
    expect(ack.message).toMatchObject({ roomId: 'friday', seq: 1, clientId, userId: ada!.userId, displayName: 'Ada', text: 'hello Bob' });
    expect(await bob!.next('chat.message')).toEqual({ type: 'chat.message', message: ack.message });
    expect(await unreadChat(ada!)).toEqual([]);
  });

  it('gives everyone the same order when two people send 50 messages each at once', async () => {
    const plenty = { perS: 1_000, burst: 1_000 };
    await start({ chatRate: plenty, chatAddressRate: plenty, chatRoomRate: plenty });
    const [ada, bob, cara] = await inRoom('friday', 'Ada', 'Bob', 'Cara');
    const adaIds = Array.from({ length: 50 }, () => newClientId());
    const bobIds = Array.from({ length: 50 }, () => newClientId());
    for (let i = 0; i < 50; i++) {
      post(ada!, `ada ${i}`, adaIds[i]);
      post(bob!, `bob ${i}`, bobIds[i]);
    }
    const views = await Promise.all([ada!, bob!, cara!].map((client) => chatStream(client, 100)));
    const expectedSeqs = Array.from({ length: 100 }, (_, i) => i + 1);
    for (const view of views) expect(view.map((m) => m.seq)).toEqual(expectedSeqs);
    const order = views.map((view) => view.map((m) => m.clientId));
    expect(order[1]).toEqual(order[0]);
    expect(order[2]).toEqual(order[0]);
    // Each sender's messages keep the order they were sent in.
    expect(order[0]?.filter((id) => adaIds.includes(id))).toEqual(adaIds);
    expect(order[0]?.filter((id) => bobIds.includes(id))).toEqual(bobIds);
    // And history tells it the same way.
    const page = await history(cara!, { limit: LIMITS.chatHistoryMaxPage });
    expect(page.type === 'chat.history' && page.messages.map((m) => m.clientId)).toEqual(order[0]);
  });

  it('stores and delivers a resent clientId once, acking both sends with the stored message', async () => {
    await start();
    const [ada, bob] = await inRoom('friday', 'Ada', 'Bob');
    const clientId = post(ada!, 'only once');
    const first = await ada!.next('chat.ack');
    post(ada!, 'only once', clientId);
    expect(await ada!.next('chat.ack')).toEqual(first);
    expect(await bob!.next('chat.message')).toEqual({ type: 'chat.message', message: first.message });
    expect(await unreadChat(bob!)).toEqual([]);
    expect(await history(bob!)).toMatchObject({ messages: [first.message], hasMore: false });
  });

  it('relays typing to the others', async () => {
    await start();
    const [ada, bob] = await inRoom('friday', 'Ada', 'Bob');
    ada!.send({ type: 'chat.typing', roomId: 'friday' });
    expect(await bob!.next('chat.typing')).toEqual({ type: 'chat.typing', roomId: 'friday', userId: ada!.userId });
  });
});

describe('who may read and post', () => {
  it('refuses history and posts to someone outside the room, and stores nothing from them', async () => {
    await start();
    const [ada] = await inRoom('friday', 'Ada');
    post(ada!, 'members only');
    await ada!.next('chat.ack');
    const [eve] = await inRoom('saturday', 'Eve');
    const mallory = await connect('Mallory');

    for (const outsider of [eve!, mallory]) {
      expect(await history(outsider)).toMatchObject({ type: 'error', code: 'not_in_room', inReplyTo: 'chat.history' });
      const clientId = post(outsider, 'let me in');
      expect(await outsider.nextError('not_in_room')).toMatchObject({ inReplyTo: 'chat.send', ref: clientId });
      outsider.send({ type: 'chat.typing', roomId: 'friday' });
      await outsider.sync(); // the server has handled the typing frame before Ada is checked
    }
    expect(await unreadChat(ada!)).toEqual([]);
    expect(await history(ada!)).toMatchObject({ messages: [{ text: 'members only' }], hasMore: false });
  });
});

describe('bad chat frames', () => {
  it.each([
    ['a bad clientId', { clientId: 'short', text: 'hi' }],
    ['an empty text', { text: '' }],
    ['a whitespace-only text', { text: ' \n\t ' }],
    ['a text of 4001 characters', { text: 'x'.repeat(LIMITS.chatTextMaxChars + 1) }],
    ['no roomId', { roomId: undefined }],
  ])('answers %s with invalid_message, stores nothing and keeps serving', async (_why, fields) => {
    await start();
    const [ada, bob] = await inRoom('friday', 'Ada', 'Bob');
    ada!.send({ type: 'chat.send', roomId: 'friday', clientId: newClientId(), text: 'x', ...fields });
    expect(await ada!.nextError('invalid_message')).toMatchObject({ inReplyTo: 'chat.send' });
    expect(await unreadChat(bob!)).toEqual([]);

    post(ada!, 'still here');
    expect(await bob!.next('chat.message')).toMatchObject({ message: { seq: 1, text: 'still here' } });
  });

  it('accepts exactly 4000 characters after trimming', async () => {
    await start();
    const [ada] = await inRoom('friday', 'Ada');
    post(ada!, `  ${'x'.repeat(LIMITS.chatTextMaxChars)}  `);
    expect((await ada!.next('chat.ack')).message.text).toHaveLength(LIMITS.chatTextMaxChars);
  });

  it('closes an oversized chat frame with 1009, stores nothing, and the room chats on', async () => {
    await start();
    const [ada, bob, eve] = await inRoom('friday', 'Ada', 'Bob', 'Eve');
    eve!.sendRaw(JSON.stringify({ type: 'chat.send', roomId: 'friday', clientId: newClientId(), text: 'x'.repeat(LIMITS.maxFrameBytes) }));
    expect((await eve!.closed).code).toBe(1009);

    post(ada!, 'after the flood');
    expect(await bob!.next('chat.message')).toMatchObject({ message: { seq: 1, text: 'after the flood' } });
    expect(await history(bob!)).toMatchObject({ messages: [{ seq: 1 }], hasMore: false });
  });
});

describe('rate limit', () => {
  it('refuses the message past the burst with rate_limited and retryAfterMs, then accepts it once time has passed', async () => {
    const clock = createFakeClock();
    await start({ chatRate: { perS: 5, burst: 10 }, metricsToken: 'metrics-token-0123456789' }, { clock });
    const [ada, bob] = await inRoom('friday', 'Ada', 'Bob');
    for (let i = 0; i < 10; i++) post(ada!, `m${i}`);
    expect((await chatStream(ada!, 10)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const clientId = post(ada!, 'one too many');
    expect(await ada!.nextError('rate_limited')).toMatchObject({ inReplyTo: 'chat.send', ref: clientId, retryAfterMs: 200 });
    expect(await chatStream(bob!, 10)).toHaveLength(10);
    expect(await unreadChat(bob!)).toEqual([]);

    clock.advance(200);
    post(ada!, 'one too many', clientId);
    expect(await ada!.next('chat.ack')).toMatchObject({ message: { seq: 11, clientId } });
    expect(await bob!.next('chat.message')).toMatchObject({ message: { seq: 11, clientId } });

    const metrics = await (await fetch(`${server.httpUrl}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).text();
    expect(metrics).toMatch(/^parley_chat_messages_stored 11$/m);
    expect(metrics).toMatch(/^parley_chat_rate_limited 1$/m);
  });
});

describe('restart', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'parley-chat-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the history across a restart on the same data dir, and seq carries on', async () => {
    const firstStore = openChatStore(dataDir, Date.now);
    await start({}, { chatStore: firstStore });
    const [ada] = await inRoom('friday', 'Ada');
    post(ada!, 'before');
    post(ada!, 'the restart');
    const before = await chatStream(ada!, 2);
    await servers.pop()?.close();
    firstStore.close();

    const secondStore = openChatStore(dataDir, Date.now);
    try {
      await start({}, { chatStore: secondStore });
      const [bob] = await inRoom('friday', 'Bob');
      expect(await history(bob!)).toEqual({ type: 'chat.history', roomId: 'friday', messages: before, hasMore: false });
      post(bob!, 'after');
      expect(await bob!.next('chat.ack')).toMatchObject({ message: { seq: 3, text: 'after' } });
      expect(await history(bob!, { afterSeq: 2 })).toMatchObject({ messages: [{ seq: 3, text: 'after' }], hasMore: false });
    } finally {
      await servers.pop()?.close();
      secondStore.close();
    }
  });
});
