import { CLOSE_CODES, LIMITS, PROTOCOL_VERSION, type Signal } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

const offer: Signal = { kind: 'description', epoch: 1, description: { type: 'offer', sdp: 'v=0\r\n' } };
const candidate: Signal = { kind: 'candidate', epoch: 1, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host' } };

let server: TestServer;
let clients: TestClient[];

async function connect(name: string, options: { autoPong?: boolean } = {}): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, name, options);
  clients.push(client);
  return client;
}

async function open(): Promise<TestClient> {
  const client = await TestClient.open(server.wsUrl);
  clients.push(client);
  return client;
}

async function joinRoom(client: TestClient, roomId: string) {
  client.send({ type: 'room.join', roomId });
  return client.next('room.joined');
}

/** Two people in one room, each having seen the other arrive. */
async function pair(roomId = 'friday') {
  const ada = await connect('Ada');
  await joinRoom(ada, roomId);
  const bob = await connect('Bob');
  await joinRoom(bob, roomId);
  await ada.next('peer.joined');
  return { ada, bob };
}

/** Short enough that tests awaiting a removal finish fast; resume.integration.test.ts covers the real one. */
const GRACE_MS = 50;

beforeEach(async () => {
  server = await startTestServer({ badFrames: { max: 5, windowMs: 10_000 }, graceMs: GRACE_MS });
  clients = [];
});

afterEach(async () => {
  for (const client of clients) client.socket.terminate();
  await server.close();
});

describe('handshake', () => {
  it('welcomes a hello with a fresh user id and the session parameters', async () => {
    const client = await open();
    const welcome = await client.hello('Ada');
    expect(welcome).toMatchObject({
      type: 'session.welcome',
      protocolVersion: PROTOCOL_VERSION,
      resumed: false,
      iceServers: [],
      iceTransportPolicy: 'all',
      heartbeatIntervalMs: 10_000,
      graceMs: GRACE_MS,
    });
    expect(welcome.userId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(welcome.resumeToken.length).toBeGreaterThan(0);
    const other = await open();
    expect((await other.hello('Bob')).userId).not.toBe(welcome.userId);
  });

  it('refuses another protocol version and closes with unsupportedVersion', async () => {
    const client = await open();
    client.send({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION + 1, displayName: 'Ada' });
    expect(await client.nextError('unsupported_version')).toMatchObject({ inReplyTo: 'session.hello' });
    expect((await client.closed).code).toBe(CLOSE_CODES.unsupportedVersion);
  });

  it('answers not_authenticated to a message before hello, then still accepts the hello', async () => {
    const client = await open();
    client.send({ type: 'room.join', roomId: 'friday' });
    expect(await client.nextError('not_authenticated')).toMatchObject({ inReplyTo: 'room.join' });
    expect(await client.hello('Ada')).toMatchObject({ type: 'session.welcome' });
  });

  it('answers already_authenticated to a second hello', async () => {
    const ada = await connect('Ada');
    ada.send({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ada' });
    expect(await ada.nextError('already_authenticated')).toMatchObject({ inReplyTo: 'session.hello' });
  });

  it('answers session.ping with a session.pong carrying the same seq', async () => {
    const ada = await connect('Ada');
    ada.send({ type: 'session.ping', seq: 41 });
    expect(await ada.next('session.pong')).toEqual({ type: 'session.pong', seq: 41 });
  });

  it('answers a ping before hello with not_authenticated', async () => {
    const client = await open();
    client.send({ type: 'session.ping', seq: 1 });
    expect(await client.nextError('not_authenticated')).toMatchObject({ inReplyTo: 'session.ping' });
  });

  it('closes a socket that never says hello with handshakeTimeout', async () => {
    await server.close();
    server = await startTestServer({ handshakeTimeoutMs: 100 });
    const client = await open();
    expect((await client.closed).code).toBe(CLOSE_CODES.handshakeTimeout);
  });
});

describe('rooms', () => {
  it('gives the joiner the whole roster and tells the others', async () => {
    const ada = await connect('Ada');
    const adaRoster = await joinRoom(ada, 'friday');
    expect(adaRoster).toEqual({
      type: 'room.joined',
      roomId: 'friday',
      selfId: ada.userId,
      participants: [{ userId: ada.userId, displayName: 'Ada', presence: 'online', muted: false, deafened: false }],
    });

    const bob = await connect('Bob');
    bob.send({ type: 'room.join', roomId: 'friday', voice: { muted: true, deafened: false } });
    const bobRoster = await bob.next('room.joined');
    expect(bobRoster.participants.map((p) => [p.displayName, p.muted])).toEqual([
      ['Ada', false],
      ['Bob', true],
    ]);
    expect(await ada.next('peer.joined')).toMatchObject({ participant: { userId: bob.userId, displayName: 'Bob', muted: true } });
  });

  it('lists and signs the joiner under the name the join names, not the one its early hello said', async () => {
    const ada = await connect('Ad');
    ada.send({ type: 'room.join', roomId: 'friday', displayName: 'Ada' });
    expect((await ada.next('room.joined')).participants.map((p) => p.displayName)).toEqual(['Ada']);
    const bob = await connect('Bob');
    expect((await joinRoom(bob, 'friday')).participants.map((p) => p.displayName)).toEqual(['Ada', 'Bob']);
    ada.send({ type: 'chat.send', roomId: 'friday', clientId: 'client-0001', text: 'hello' });
    expect((await bob.next('chat.message')).message).toMatchObject({ displayName: 'Ada', text: 'hello' });
  });

  it('on leave, acknowledges the leaver and tells the others', async () => {
    const { ada, bob } = await pair();
    bob.send({ type: 'room.leave' });
    expect(await bob.next('room.left')).toEqual({ type: 'room.left', roomId: 'friday' });
    expect(await ada.next('peer.left')).toEqual({ type: 'peer.left', userId: bob.userId, reason: 'left' });
  });

  it('shows a participant whose socket closes as reconnecting, then removes them after the grace period', async () => {
    const { ada, bob } = await pair();
    bob.close();
    expect(await ada.next('peer.presence')).toEqual({ type: 'peer.presence', userId: bob.userId, presence: 'reconnecting' });
    expect(await ada.next('peer.left')).toEqual({ type: 'peer.left', userId: bob.userId, reason: 'disconnected' });
    const cara = await connect('Cara');
    expect((await joinRoom(cara, 'friday')).participants.map((p) => p.displayName)).toEqual(['Ada', 'Cara']);
  });

  it('relays voice state to the others', async () => {
    const { ada, bob } = await pair();
    ada.send({ type: 'voice.state', muted: true, deafened: true });
    expect(await bob.next('voice.state')).toEqual({ type: 'voice.state', userId: ada.userId, muted: true, deafened: true });
  });

  it('answers not_in_room to voice state and signals outside a room', async () => {
    const ada = await connect('Ada');
    ada.send({ type: 'voice.state', muted: true, deafened: false });
    expect(await ada.nextError('not_in_room')).toMatchObject({ inReplyTo: 'voice.state' });
    ada.send({ type: 'peer.signal', to: 'someone', signal: offer });
    expect(await ada.nextError('not_in_room')).toMatchObject({ inReplyTo: 'peer.signal' });
  });
});

describe('signals', () => {
  it('relays a signal to its target with the sender stamped by the server', async () => {
    const { ada, bob } = await pair();
    ada.send({ type: 'peer.signal', to: bob.userId, from: 'forged-id', signal: offer });
    expect(await bob.next('peer.signal')).toEqual({ type: 'peer.signal', from: ada.userId, signal: offer });
    bob.send({ type: 'peer.signal', to: ada.userId, signal: candidate });
    expect(await ada.next('peer.signal')).toEqual({ type: 'peer.signal', from: bob.userId, signal: candidate });
  });

  it('refuses a signal to someone in another room and delivers nothing', async () => {
    const { ada } = await pair('friday');
    const eve = await connect('Eve');
    await joinRoom(eve, 'saturday');
    ada.send({ type: 'peer.signal', to: eve.userId, signal: offer });
    expect(await ada.nextError('peer_not_in_room')).toMatchObject({ inReplyTo: 'peer.signal' });
    await eve.sync();
    expect(eve.unread().filter((m) => m.type === 'peer.signal')).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', '{"type":', 'bad_json', undefined],
    ['an unknown type', '{"type":"room.nuke"}', 'invalid_message', 'room.nuke'],
    ['a bad field', '{"type":"room.join","roomId":"Not A Room"}', 'invalid_message', 'room.join'],
  ])('answers %s with an error and keeps the socket', async (_what, frame, code, inReplyTo) => {
    const { ada, bob } = await pair();
    ada.sendRaw(frame);
    const error = await ada.nextError(code);
    expect(error.inReplyTo).toBe(inReplyTo);
    ada.send({ type: 'peer.signal', to: bob.userId, signal: offer });
    expect(await bob.next('peer.signal')).toMatchObject({ from: ada.userId });
  });

  it('answers a binary frame with invalid_message', async () => {
    const ada = await connect('Ada');
    ada.sendRaw(Buffer.from('{"type":"room.leave"}'));
    expect(await ada.nextError('invalid_message')).toMatchObject({ message: expect.stringContaining('binary') });
  });

  it('closes an oversized frame with 1009 and keeps serving everyone else', async () => {
    const { ada, bob } = await pair();
    const eve = await connect('Eve');
    eve.sendRaw(JSON.stringify({ type: 'room.leave', pad: 'x'.repeat(LIMITS.maxFrameBytes) }));
    expect((await eve.closed).code).toBe(1009);

    ada.send({ type: 'peer.signal', to: bob.userId, signal: offer });
    expect(await bob.next('peer.signal')).toMatchObject({ from: ada.userId });
    const cara = await connect('Cara');
    expect((await joinRoom(cara, 'friday')).participants).toHaveLength(3);
  });

  it('closes a socket that keeps sending bad frames with policyViolation, and its seat goes at once', async () => {
    const { ada, bob } = await pair();
    for (let i = 0; i < 6; i++) ada.sendRaw('nope');
    expect((await ada.closed).code).toBe(CLOSE_CODES.policyViolation);
    // No grace period for a socket closed for abuse: no 'reconnecting', straight out.
    expect(await bob.nextOf(['peer.presence', 'peer.left'])).toMatchObject({ type: 'peer.left', userId: ada.userId });
  });

  it('refuses upgrades on any path but /ws', async () => {
    const url = server.wsUrl.replace(/\/ws$/, '/other');
    await expect(TestClient.open(url)).rejects.toThrow(/404/);
  });
});

describe('shutdown', () => {
  it('closes every socket with 1001', async () => {
    const { ada, bob } = await pair();
    const closing = server.close();
    expect((await ada.closed).code).toBe(1001);
    expect((await bob.closed).code).toBe(1001);
    await closing;
    server = await startTestServer(); // afterEach closes a server
  });
});

describe('heartbeat', () => {
  it('terminates a client that stops answering pings, and the room hears it left', async () => {
    await server.close();
    server = await startTestServer({ heartbeatIntervalMs: 100, graceMs: GRACE_MS });
    const ada = await connect('Ada');
    await joinRoom(ada, 'friday');
    const ghost = await connect('Ghost', { autoPong: false });
    await joinRoom(ghost, 'friday');
    await ada.next('peer.joined');

    // The ghost never answers a ping; Ada (answering) stays.
    expect(await ada.next('peer.presence')).toMatchObject({ userId: ghost.userId, presence: 'reconnecting' });
    expect(await ada.next('peer.left')).toEqual({ type: 'peer.left', userId: ghost.userId, reason: 'disconnected' });
    expect((await ghost.closed).code).toBe(1006);
    ada.send({ type: 'voice.state', muted: true, deafened: false });
    await ada.sync();
    expect(ada.socket.readyState).toBe(ada.socket.OPEN);
  });
});
