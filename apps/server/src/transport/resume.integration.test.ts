import { randomBytes } from 'node:crypto';
import { CLOSE_CODES, type ServerMessage, type Signal } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../testing/fake-clock';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

const GRACE_MS = 20_000;
/** Far beyond any advance() here, so the heartbeat never fires in the middle of a test. */
const HEARTBEAT_MS = 3_600_000;
const offer: Signal = { kind: 'description', epoch: 1, description: { type: 'offer', sdp: 'v=0\r\n' } };

let clock: FakeClock;
let secret: Buffer;
let servers: TestServer[];
let clients: TestClient[];

function start(serverSecret = secret): Promise<TestServer> {
  const started = startTestServer({ graceMs: GRACE_MS, heartbeatIntervalMs: HEARTBEAT_MS }, { clock, secret: serverSecret });
  return started.then((server) => {
    servers.push(server);
    return server;
  });
}

async function connect(server: TestServer, name: string, resumeToken?: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, name, resumeToken === undefined ? {} : { resumeToken });
  clients.push(client);
  return client;
}

async function joinRoom(client: TestClient, roomId = 'friday') {
  client.send({ type: 'room.join', roomId });
  return client.next('room.joined');
}

/** Ada and Bob in one room, each having seen the other arrive. */
async function pair(server: TestServer) {
  const ada = await connect(server, 'Ada');
  await joinRoom(ada);
  const bob = await connect(server, 'Bob');
  await joinRoom(bob);
  await ada.next('peer.joined');
  return { ada, bob };
}

/** What `client` was told about other people, after a round trip that flushes everything pending. */
async function roomNews(client: TestClient): Promise<ServerMessage[]> {
  await client.sync();
  return client.unread().filter((m) => m.type === 'peer.joined' || m.type === 'peer.left' || m.type === 'peer.presence');
}

beforeEach(() => {
  clock = createFakeClock();
  secret = randomBytes(32);
  servers = [];
  clients = [];
});

afterEach(async () => {
  for (const client of clients) client.socket.terminate();
  for (const server of servers) await server.close();
});

describe('a dropped socket', () => {
  it('comes back within the grace period as the same participant; the others see reconnecting, then online', async () => {
    const server = await start();
    const { ada, bob } = await pair(server);
    bob.socket.terminate(); // the network goes away: no close frame

    expect(await ada.next('peer.presence')).toEqual({ type: 'peer.presence', userId: bob.userId, presence: 'reconnecting' });
    clock.advance(GRACE_MS - 1);
    const back = await connect(server, 'Bob', bob.resumeToken);

    expect(back.welcome).toMatchObject({ userId: bob.userId, resumed: true, roomId: 'friday' });
    expect(await back.next('room.joined')).toEqual({
      type: 'room.joined',
      roomId: 'friday',
      selfId: bob.userId,
      participants: [
        { userId: ada.userId, displayName: 'Ada', presence: 'online', muted: false, deafened: false },
        { userId: bob.userId, displayName: 'Bob', presence: 'online', muted: false, deafened: false },
      ],
    });
    expect(await ada.next('peer.presence')).toEqual({ type: 'peer.presence', userId: bob.userId, presence: 'online' });

    clock.advance(GRACE_MS * 2);
    expect(await roomNews(ada)).toEqual([]);
    ada.send({ type: 'peer.signal', to: bob.userId, signal: offer });
    expect(await back.next('peer.signal')).toEqual({ type: 'peer.signal', from: ada.userId, signal: offer });
  });

  it('is removed with peer.left (disconnected) once the grace period has passed, not before', async () => {
    const server = await start();
    const { ada, bob } = await pair(server);
    bob.socket.terminate();
    await ada.next('peer.presence', (m) => m.presence === 'reconnecting');

    clock.advance(GRACE_MS - 1);
    expect(await roomNews(ada)).toEqual([]);
    clock.advance(1);
    expect(await ada.next('peer.left')).toEqual({ type: 'peer.left', userId: bob.userId, reason: 'disconnected' });

    // The token still says who Bob is, but he is in no room any more.
    const back = await connect(server, 'Bob', bob.resumeToken);
    expect(back.welcome).toMatchObject({ userId: bob.userId, resumed: true });
    expect(back.welcome?.roomId).toBeUndefined();
  });

  it('drops signals to a reconnecting member without an error', async () => {
    const server = await start();
    const { ada, bob } = await pair(server);
    bob.socket.terminate();
    await ada.next('peer.presence', (m) => m.presence === 'reconnecting');
    ada.send({ type: 'peer.signal', to: bob.userId, signal: offer });
    await ada.sync();
    expect(ada.unread().filter((m) => m.type === 'error')).toEqual([]);
  });

  it('hands out a fresh token that works for the next drop too, each session one generation on', async () => {
    const server = await start();
    const { ada, bob } = await pair(server);
    bob.socket.terminate();
    clock.advance(1_000);
    const second = await connect(server, 'Bob', bob.resumeToken);
    second.socket.terminate();
    clock.advance(1_000);
    const third = await connect(server, 'Bob', second.resumeToken);
    expect(third.welcome).toMatchObject({ userId: bob.userId, resumed: true, roomId: 'friday' });
    expect([bob.welcome?.generation, second.welcome?.generation, third.welcome?.generation]).toEqual([1, 2, 3]);
    await third.next('room.joined');
    expect((await roomNews(ada)).filter((m) => m.type !== 'peer.presence')).toEqual([]);
  });
});

describe('a second socket with the same token', () => {
  it('replaces the first, which is closed with 4002; the user is listed once and nobody saw a leave', async () => {
    const server = await start();
    const { ada, bob } = await pair(server);
    const second = await connect(server, 'Bob', bob.resumeToken);

    expect(await bob.closed).toEqual({ code: CLOSE_CODES.replaced, reason: 'replaced by a newer connection' });
    expect(second.welcome).toMatchObject({ userId: bob.userId, resumed: true, roomId: 'friday' });
    expect((await second.next('room.joined')).participants.map((p) => p.userId)).toEqual([ada.userId, bob.userId]);

    clock.advance(GRACE_MS * 2);
    expect(await roomNews(ada)).toEqual([]);
    const cara = await connect(server, 'Cara');
    expect((await joinRoom(cara)).participants.map((p) => [p.displayName, p.presence])).toEqual([
      ['Ada', 'online'],
      ['Bob', 'online'],
      ['Cara', 'online'],
    ]);
    ada.send({ type: 'peer.signal', to: bob.userId, signal: offer });
    expect(await second.next('peer.signal')).toMatchObject({ from: ada.userId });
  });
});

describe('a forged token', () => {
  it.each([
    ['garbage', () => 'not-a-token'],
    ['a tampered one', (token: string) => `f${token.slice(1)}`], // payloads start with 'e' (base64 of '{')
  ])('(%s) starts a fresh session', async (_what, forge) => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    const other = await connect(server, 'Ada', forge(ada.resumeToken));
    expect(other.welcome).toMatchObject({ resumed: false });
    expect(other.userId).not.toBe(ada.userId);
    expect(ada.socket.readyState).toBe(ada.socket.OPEN);
  });
});

describe('a server restart', () => {
  it('keeps identities under the same secret; joining again tells the others exactly once', async () => {
    const first = await start();
    const { ada, bob } = await pair(first);
    await first.close();
    expect((await ada.closed).code).toBe(1001);

    const second = await start(secret);
    const ada2 = await connect(second, 'Ada', ada.resumeToken);
    expect(ada2.welcome).toMatchObject({ userId: ada.userId, resumed: true });
    expect(ada2.welcome?.roomId).toBeUndefined();
    expect((await joinRoom(ada2)).participants.map((p) => p.userId)).toEqual([ada.userId]);

    const bob2 = await connect(second, 'Bob', bob.resumeToken);
    expect(bob2.userId).toBe(bob.userId);
    expect((await joinRoom(bob2)).participants.map((p) => p.userId)).toEqual([ada.userId, bob.userId]);
    bob2.send({ type: 'room.join', roomId: 'friday' }); // a client retrying its join
    await bob2.next('room.joined');

    expect(await roomNews(ada2)).toEqual([
      {
        type: 'peer.joined',
        participant: { userId: bob.userId, displayName: 'Bob', presence: 'online', muted: false, deafened: false },
      },
    ]);
  });

  it('does not accept tokens signed under another secret', async () => {
    const first = await start();
    const ada = await connect(first, 'Ada');
    const other = await start(randomBytes(32));
    const ada2 = await connect(other, 'Ada', ada.resumeToken);
    expect(ada2.welcome).toMatchObject({ resumed: false });
    expect(ada2.userId).not.toBe(ada.userId);
  });
});
