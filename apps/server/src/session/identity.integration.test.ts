import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../testing/fake-clock';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

/** Far beyond any advance() here, so the heartbeat never fires in the middle of a test. */
const HEARTBEAT_MS = 3_600_000;
const GRACE_MS = 20_000;

let clock: FakeClock;
let servers: TestServer[];
let clients: TestClient[];

async function start(overrides: { resumeMaxAgeS?: number; resumeTtlS?: number } = {}): Promise<TestServer> {
  const config = { heartbeatIntervalMs: HEARTBEAT_MS, graceMs: GRACE_MS, ...overrides };
  const server = await startTestServer(config, { clock, secret: randomBytes(32) });
  servers.push(server);
  return server;
}

async function connect(server: TestServer, name: string, resumeToken?: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, name, resumeToken === undefined ? {} : { resumeToken });
  clients.push(client);
  return client;
}

async function join(client: TestClient, roomId = 'friday') {
  client.send({ type: 'room.join', roomId });
  return client.next('room.joined');
}

beforeEach(() => {
  clock = createFakeClock();
  servers = [];
  clients = [];
});

afterEach(async () => {
  for (const client of clients) client.socket.terminate();
  for (const server of servers) await server.close();
});

describe('resume tokens over the wire', () => {
  it('a copy of an older token stops resuming the identity once its owner has reconnected and been heard', async () => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    await join(ada);
    const stolen = ada.resumeToken;
    ada.socket.terminate();
    const back = await connect(server, 'Ada', stolen);
    expect(back.welcome).toMatchObject({ userId: ada.userId, resumed: true, generation: 2 });
    // A frame on the new session: Ada has its welcome.
    back.send({ type: 'session.ping', seq: 1 });
    await back.next('session.pong');

    const thief = await connect(server, 'Ada', stolen);
    expect(thief.welcome).toMatchObject({ resumed: false, generation: 1 });
    expect(thief.userId).not.toBe(ada.userId);
    // The owner was not replaced by the thief, and the newest token still works.
    await back.sync();
    expect(back.socket.readyState).toBe(back.socket.OPEN);
    back.socket.terminate();
    const again = await connect(server, 'Ada', back.resumeToken);
    expect(again.welcome).toMatchObject({ userId: ada.userId, resumed: true, generation: 3 });
  });

  it('a welcome lost on the way costs nothing: the next hello with the same token is the same person, in the same room', async () => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    const grace = await connect(server, 'Grace');
    await join(ada);
    await join(grace);
    const token = ada.resumeToken;
    ada.socket.terminate();
    // The server completes a handshake whose welcome the client never takes in: it gives up on that socket.
    const abandoned = await connect(server, 'Ada', token);
    expect(abandoned.welcome).toMatchObject({ userId: ada.userId, resumed: true, generation: 2 });
    abandoned.socket.terminate();
    const retry = await connect(server, 'Ada', token);
    expect(retry.welcome).toMatchObject({ userId: ada.userId, resumed: true, generation: 3, roomId: 'friday' });
    // Grace sees the same Ada online again, and nobody leave or arrive.
    await retry.sync();
    await grace.sync();
    const heard = grace.unread();
    const about = heard.flatMap((m) => (m.type === 'peer.joined' ? [m.participant.userId] : m.type === 'peer.left' || m.type === 'peer.presence' ? [m.userId] : []));
    expect(new Set(about)).toEqual(new Set([ada.userId]));
    expect(heard.filter((m) => m.type === 'peer.left')).toEqual([]);
    expect(heard.filter((m) => m.type === 'peer.presence').at(-1)).toMatchObject({ userId: ada.userId, presence: 'online' });
  });

  it('an identity can be renewed only up to its maximum age, then its holder starts afresh', async () => {
    const server = await start({ resumeMaxAgeS: 3_600, resumeTtlS: 3_600 });
    let client = await connect(server, 'Ada');
    const first = client.userId;
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000_000);
      client.socket.terminate();
      client = await connect(server, 'Ada', client.resumeToken);
      expect(client.welcome).toMatchObject({ userId: first, resumed: true });
    }
    clock.advance(1_000_000); // 4000 s since the identity was created, every token younger than its ttl
    client.socket.terminate();
    const late = await connect(server, 'Ada', client.resumeToken);
    expect(late.welcome).toMatchObject({ resumed: false });
    expect(late.userId).not.toBe(first);
  });
});

describe('names in a room', () => {
  it('a second Alice is listed as "Alice (2)" by everyone, herself included', async () => {
    const server = await start();
    const first = await connect(server, 'Alice');
    await join(first);
    const second = await connect(server, 'alice');
    const roster = await join(second);
    expect(roster.participants.map((p) => p.displayName)).toEqual(['Alice', 'alice (2)']);
    expect((await first.next('peer.joined')).participant).toMatchObject({ userId: second.userId, displayName: 'alice (2)' });
  });

  it('resuming under another name renames the participant for the others, as a peer.joined for someone they know', async () => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    await join(ada);
    const bob = await connect(server, 'Bob');
    await join(bob);
    await ada.next('peer.joined');

    bob.socket.terminate();
    await ada.next('peer.presence', (m) => m.presence === 'reconnecting');
    const renamed = await connect(server, 'Robert', bob.resumeToken);
    expect(renamed.welcome).toMatchObject({ userId: bob.userId, resumed: true, roomId: 'friday' });
    expect((await renamed.next('room.joined')).participants.map((p) => p.displayName)).toEqual(['Ada', 'Robert']);
    expect((await ada.next('peer.joined')).participant).toEqual({
      userId: bob.userId,
      displayName: 'Robert',
      presence: 'online',
      muted: false,
      deafened: false,
    });
    await ada.sync();
    expect(ada.unread().filter((m) => m.type === 'peer.presence' || m.type === 'peer.left')).toEqual([]);

    // Someone joining later sees the new name.
    const cara = await connect(server, 'Cara');
    expect((await join(cara)).participants.map((p) => p.displayName)).toEqual(['Ada', 'Robert', 'Cara']);
  });
});

describe('chat idempotency', () => {
  it("Eve sending Ada's clientId is acked with her own new message; Ada's resend still gets her original", async () => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    await join(ada);
    const eve = await connect(server, 'Eve');
    await join(eve);
    await ada.next('peer.joined');

    ada.send({ type: 'chat.send', roomId: 'friday', clientId: 'ada-client-0001', text: 'from Ada' });
    const adaAck = (await ada.next('chat.ack')).message;
    expect((await eve.next('chat.message')).message).toEqual(adaAck);

    eve.send({ type: 'chat.send', roomId: 'friday', clientId: adaAck.clientId, text: 'from Eve' });
    const eveAck = (await eve.next('chat.ack')).message;
    expect(eveAck).toMatchObject({ userId: eve.userId, text: 'from Eve', seq: adaAck.seq + 1, clientId: adaAck.clientId });
    expect((await ada.next('chat.message')).message).toEqual(eveAck);

    ada.send({ type: 'chat.send', roomId: 'friday', clientId: adaAck.clientId, text: 'from Ada' });
    expect((await ada.next('chat.ack')).message).toEqual(adaAck);
    await eve.sync();
    expect(eve.unread().filter((m) => m.type === 'chat.message')).toEqual([]);
  });
});
