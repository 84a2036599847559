import { CLOSE_CODES, LIMITS, PROTOCOL_VERSION } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../config';
import { RawSocket } from '../testing/raw-socket';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';
import { FRAME_BUDGETS } from './frame-budget';

// What a hostile client does to the server, and what a well-behaved member of
// the same room notices: the attacker is refused or closed, its seat goes at
// once, and everyone else keeps being served.

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function start(overrides: Partial<Config> = {}): Promise<TestServer> {
  const server = await startTestServer({ heartbeatIntervalMs: 3_600_000, ...overrides });
  cleanups.push(() => server.close());
  return server;
}

async function member(server: TestServer, name: string, roomId: string, options: { autoPong?: boolean } = {}): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, name, options);
  cleanups.push(() => client.close());
  client.send({ type: 'room.join', roomId });
  await client.next('room.joined');
  return client;
}

/** A ping answered by the server: the member is still being served. */
async function served(client: TestClient, seq: number): Promise<void> {
  client.send({ type: 'session.ping', seq });
  await client.next('session.pong', (m) => m.seq === seq);
}

describe('a client that does not read', () => {
  it('is closed once a megabyte waits for it, gives up its seat at once, and the others are served meanwhile', async () => {
    const plenty = { perS: 10_000, burst: 10_000 };
    const server = await start({
      chatRate: plenty,
      chatAddressRate: plenty,
      chatRoomRate: plenty,
      frameBudgets: { ...FRAME_BUDGETS, 'chat.history': plenty, 'chat.send': plenty },
    });
    const ada = await member(server, 'Ada', 'den');
    const text = 'x'.repeat(LIMITS.chatTextMaxChars);
    for (let i = 0; i < LIMITS.chatHistoryMaxPage; i++) ada.send({ type: 'chat.send', roomId: 'den', clientId: `client-${String(i).padStart(4, '0')}`, text });
    await ada.next('chat.ack', (m) => m.message.seq === LIMITS.chatHistoryMaxPage);

    // Eve never reads, and asks for the biggest page again and again: each answer is some
    // 400 KB, far more in the end than the kernel's socket buffers hold.
    const eve = await RawSocket.open(server.wsUrl);
    cleanups.push(() => eve.destroy());
    eve.send({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Eve' });
    eve.send({ type: 'room.join', roomId: 'den' });
    const joined = await ada.next('peer.joined');
    for (let i = 0; i < 250; i++) eve.send({ type: 'chat.history', roomId: 'den', limit: LIMITS.chatHistoryMaxPage });

    // Ada sees Eve go straight away (no 'reconnecting' for a socket closed for abuse), and is served throughout.
    expect(await ada.nextOf(['peer.presence', 'peer.left'])).toMatchObject({ type: 'peer.left', userId: joined.participant.userId });
    await served(ada, 1);
    await eve.closed();
  });
});

describe('liveness', () => {
  it('needs pongs: a socket that keeps sending but never answers a ping is dropped', async () => {
    const server = await start({ heartbeatIntervalMs: 300, graceMs: 0 });
    const ada = await member(server, 'Ada', 'den');
    const mute = await member(server, 'Mute', 'den', { autoPong: false });
    await ada.next('peer.joined');
    // Three frames per heartbeat interval, every one of them valid: busy, but never a pong.
    const candidate = { kind: 'candidate', epoch: 1, candidate: { candidate: '' } };
    const chatter = setInterval(() => mute.send({ type: 'peer.signal', to: ada.userId, signal: candidate }), 100);
    cleanups.push(() => clearInterval(chatter));
    expect((await mute.closed).code).toBe(1006);
    expect(await ada.next('peer.left')).toMatchObject({ userId: mute.userId });
  });
});

describe('floods', () => {
  it('answers a voice.state flood with rate_limited and a wait, closes the socket that keeps on, and the room hears a bounded number', async () => {
    const server = await start();
    const ada = await member(server, 'Ada', 'den');
    const eve = await member(server, 'Eve', 'den');
    await ada.next('peer.joined');
    for (let i = 0; i < 2_000; i++) eve.send({ type: 'voice.state', muted: i % 2 === 0, deafened: false });
    const limited = await eve.nextError('rate_limited');
    expect(limited).toMatchObject({ inReplyTo: 'voice.state' });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    expect((await eve.closed).code).toBe(CLOSE_CODES.policyViolation);
    await served(ada, 1);
    const relayed = ada.unread().filter((m) => m.type === 'voice.state').length;
    expect(relayed).toBeLessThanOrEqual(FRAME_BUDGETS['voice.state'].burst + 5);
  });

  it('weighs signals by size: a flood of 48 KB offers reaches its target only up to the budget', async () => {
    const server = await start();
    const ada = await member(server, 'Ada', 'den');
    const eve = await member(server, 'Eve', 'den');
    await ada.next('peer.joined');
    const sdp = 'a'.repeat(LIMITS.sdpMaxChars - 100);
    for (let i = 0; i < 300; i++) eve.send({ type: 'peer.signal', to: ada.userId, signal: { kind: 'description', epoch: i, description: { type: 'offer', sdp } } });
    await eve.nextError('rate_limited');
    await served(ada, 1);
    const bytes = ada.unread().filter((m) => m.type === 'peer.signal').length * sdp.length;
    // The budget's burst in tokens, each offer costing 1 + 48 KB / 8 KB.
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('closes a socket that keeps sending valid frames the rules refuse', async () => {
    const server = await start();
    const ada = await member(server, 'Ada', 'den');
    const eve = await TestClient.connect(server.wsUrl, 'Eve');
    cleanups.push(() => eve.close());
    // Not in the room: every one of these is refused (not_in_room), none is malformed.
    const candidate = { kind: 'candidate', epoch: 1, candidate: { candidate: '' } };
    for (let i = 0; i < 60; i++) eve.send({ type: 'peer.signal', to: ada.userId, signal: candidate });
    await eve.nextError('not_in_room');
    expect((await eve.closed).code).toBe(CLOSE_CODES.policyViolation);
    await served(ada, 1);
  });

  it('limits new rooms per address: a script cannot fill the database with rooms', async () => {
    const server = await start({ maxRoomsPerMin: 3 });
    const eve = await TestClient.connect(server.wsUrl, 'Eve');
    cleanups.push(() => eve.close());
    for (let i = 0; i < 3; i++) {
      eve.send({ type: 'room.join', roomId: `spam-${i}` });
      await eve.next('room.joined');
    }
    eve.send({ type: 'room.join', roomId: 'spam-3' });
    expect(await eve.nextError('rate_limited')).toMatchObject({ inReplyTo: 'room.join', message: expect.stringMatching(/new rooms/) as string });
    // Joining a room that exists costs no creation.
    eve.send({ type: 'room.join', roomId: 'spam-0' });
    expect((await eve.next('room.joined')).roomId).toBe('spam-0');
  });

  it.each(['room.leave', 'chat.history', 'chat.typing', 'session.ping'] as const)('refuses %s past its budget with rate_limited and a wait', async (type) => {
    const server = await start();
    const eve = await member(server, 'Eve', 'den');
    const frames = { 'room.leave': { type }, 'chat.history': { type, roomId: 'den' }, 'chat.typing': { type, roomId: 'den' }, 'session.ping': { type, seq: 1 } };
    for (let i = 0; i <= FRAME_BUDGETS[type].burst; i++) eve.send(frames[type]);
    const limited = await eve.next('error', (m) => m.code === 'rate_limited' && m.inReplyTo === type);
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });

  it('limits chat per address: fresh identities from one address do not get fresh budgets', async () => {
    const server = await start({ chatRate: { perS: 5, burst: 10 }, chatAddressRate: { perS: 1, burst: 15 } });
    const ada = await member(server, 'Ada', 'den');
    let stored = 0;
    let limited = 0;
    for (let n = 0; n < 5; n++) {
      const sock = await member(server, `Sock ${n}`, 'den');
      for (let i = 0; i < 10; i++) sock.send({ type: 'chat.send', roomId: 'den', clientId: `sock-${n}-${String(i).padStart(4, '0')}`, text: 'buy now' });
      for (let i = 0; i < 10; i++) {
        const answer = await sock.nextOf(['chat.ack', 'error']);
        if (answer.type === 'chat.ack') stored++;
        else if (answer.code === 'rate_limited') limited++;
      }
    }
    expect(stored).toBeLessThanOrEqual(16);
    expect(limited).toBeGreaterThanOrEqual(34);
    await served(ada, 1);
  });
});
