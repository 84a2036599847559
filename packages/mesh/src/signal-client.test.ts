import { CLOSE_CODES, PROTOCOL_VERSION, type SessionWelcome } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { fakeEnvironment } from '../test-support/fake-environment';
import { FakeWebSocket } from '../test-support/fake-websocket';
import { welcomeFrame } from '../test-support/frames';
import type { ConnectionState } from './events';
import { exponentialBackoff } from './retry-policy';
import { type InboundMessage, SignalClient } from './signal-client';

const welcome = (overrides: Partial<SessionWelcome> = {}): SessionWelcome => welcomeFrame({ userId: 'u1', resumeToken: 'token-1', ...overrides });

function setup(options: { resumeToken?: string; reconnect?: boolean; forever?: boolean } = {}) {
  const fake = fakeEnvironment();
  const client = new SignalClient({
    url: 'ws://test/ws',
    displayName: 'Ada',
    env: fake.env,
    ...(options.resumeToken ? { resumeToken: options.resumeToken } : {}),
    ...(options.reconnect ? { reconnectPolicy: exponentialBackoff({ initialDelayMs: 100, maxElapsedMs: 1000 }) } : {}),
    ...(options.forever ? { reconnectPolicy: exponentialBackoff() } : {}),
  });
  const states: ConnectionState[] = [];
  const messages: InboundMessage[] = [];
  const errors: string[] = [];
  client.on('stateChanged', ({ to }) => states.push(to));
  client.on('message', (message) => messages.push(message));
  client.on('error', ({ error }) => errors.push(error.reason));
  return { ...fake, client, states, messages, errors };
}

/** A client whose environment holds a socket that said hello ahead of time and heard its welcome. */
function onGreetedSocket(options: { resumeToken?: string } = {}) {
  const greeted = new FakeWebSocket('ws://test/ws');
  greeted.open();
  const fake = fakeEnvironment();
  const client = new SignalClient({
    url: 'ws://test/ws',
    displayName: 'Ada',
    ...(options.resumeToken ? { resumeToken: options.resumeToken } : {}),
    env: { ...fake.env, takeGreetedSocket: (url) => (url === 'ws://test/ws' ? { socket: greeted, received: [JSON.stringify(welcome())] } : undefined) },
  });
  return { greeted, fake, client };
}

describe('SignalClient', () => {
  it('says hello on open and is connected once welcomed', () => {
    const { client, socket, states } = setup({ resumeToken: 'earlier' });
    client.connect();
    expect(socket().url).toBe('ws://test/ws');
    socket().open();
    expect(socket().sentMessages).toEqual([
      { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ada', resumeToken: 'earlier' },
    ]);
    expect(states).toEqual(['connecting']);
    socket().receive(welcome());
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('joins on a socket that said hello ahead of time, and takes what it heard since as just received', async () => {
    const { greeted, fake, client } = onGreetedSocket();
    const welcomes: string[] = [];
    client.on('welcome', ({ userId }) => welcomes.push(userId));
    client.connect();
    client.send({ type: 'room.join', roomId: 'friday' });
    // No second hello (the server would refuse it): the join is the first frame this client writes.
    expect(greeted.sentMessages).toEqual([{ type: 'room.join', roomId: 'friday' }]);
    await Promise.resolve();
    expect(welcomes).toEqual(['u1']);
    expect(client.connectionState).toBe('connected');
    client.send({ type: 'voice.state', muted: true, deafened: false });
    expect(greeted.sentMessages.map((m) => m.type)).toEqual(['room.join', 'voice.state']);
    expect(fake.sockets).toHaveLength(0);
  });

  it('says hello itself where it has a resume token, leaving a greeted socket alone', () => {
    // A greeted socket is a new participant; a resume token comes back as the old one.
    const { greeted, fake, client } = onGreetedSocket({ resumeToken: 'earlier' });
    client.connect();
    client.send({ type: 'room.join', roomId: 'friday' });
    fake.socket().open();
    expect(fake.socket().sentMessages).toEqual([
      { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ada', resumeToken: 'earlier' },
      { type: 'room.join', roomId: 'friday' },
    ]);
    expect(greeted.sentMessages).toEqual([]);
  });

  it('says hello at once on a socket that was opened ahead of time', () => {
    const warm = new FakeWebSocket('ws://test/ws');
    warm.open();
    const fake = fakeEnvironment();
    const client = new SignalClient({ url: 'ws://test/ws', displayName: 'Ada', env: { ...fake.env, createWebSocket: () => warm } });
    client.connect();
    client.send({ type: 'room.join', roomId: 'friday' });
    expect(warm.sentMessages).toEqual([
      { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ada' },
      { type: 'room.join', roomId: 'friday' },
    ]);
    warm.receive(welcome());
    expect(client.connectionState).toBe('connected');
    expect(warm.sentMessages).toHaveLength(2);
  });

  it('on the first socket, sends messages right behind the hello, each once', () => {
    const { client, socket } = setup();
    client.connect();
    client.send({ type: 'room.join', roomId: 'friday' });
    socket().open();
    client.send({ type: 'voice.state', muted: true, deafened: false });
    expect(socket().sentMessages.map((m) => m.type)).toEqual(['session.hello', 'room.join', 'voice.state']);
    socket().receive(welcome());
    client.send({ type: 'room.leave' });
    expect(socket().sentMessages.map((m) => m.type)).toEqual(['session.hello', 'room.join', 'voice.state', 'room.leave']);
  });

  it('sends what followed a hello again when the socket died before its welcome', () => {
    const { client, socket, sockets, clock } = setup({ reconnect: true });
    client.connect();
    socket().open();
    client.send({ type: 'room.join', roomId: 'friday' });
    socket().drop(1006);
    clock.advance(100);
    expect(sockets).toHaveLength(2);
    socket().open();
    expect(socket().sentMessages.map((m) => m.type)).toEqual(['session.hello', 'room.join']);
    socket().receive(welcome());
    expect(socket().sentMessages.map((m) => m.type)).toEqual(['session.hello', 'room.join']);
  });

  it('after a welcome, holds messages on a new socket until its own welcome', () => {
    const { client, socket, clock } = setup({ reconnect: true });
    client.connect();
    socket().open();
    socket().receive(welcome());
    socket().drop(1006);
    client.send({ type: 'room.join', roomId: 'friday' });
    clock.advance(100);
    socket().open();
    client.send({ type: 'voice.state', muted: true, deafened: false });
    expect(socket().sentMessages.map((m) => m.type)).toEqual(['session.hello']);
    socket().receive(welcome({ resumed: true }));
    expect(socket().sentMessages.map((m) => m.type)).toEqual(['session.hello', 'room.join', 'voice.state']);
  });

  it('drops invalid frames and keeps serving the valid ones', () => {
    const { client, socket, messages, logger } = setup();
    client.connect();
    socket().open();
    socket().receive(welcome());
    socket().receive('not json');
    socket().receive('{"type":"room.nuke"}');
    socket().receive('{"type":"peer.left","userId":"u2"}');
    socket().receive({ type: 'peer.left', userId: 'u2', reason: 'left' });
    expect(messages).toEqual([{ type: 'peer.left', userId: 'u2', reason: 'left' }]);
    expect(logger.entries.filter((e) => e.message === 'dropped an invalid signaling frame')).toHaveLength(3);
  });

  it('ignores room messages that arrive before the welcome', () => {
    const { client, socket, messages } = setup();
    client.connect();
    socket().open();
    socket().receive({ type: 'peer.left', userId: 'u2', reason: 'left' });
    socket().receive(welcome());
    expect(messages).toEqual([]);
  });

  it('reconnects after a drop and comes back with the latest resume token', () => {
    const { client, socket, sockets, clock, states } = setup({ reconnect: true });
    client.connect();
    socket().open();
    socket().receive(welcome({ resumeToken: 'fresh' }));
    socket().drop(1006);
    expect(states.at(-1)).toBe('reconnecting');
    client.send({ type: 'voice.state', muted: true, deafened: false });
    clock.advance(99);
    expect(sockets).toHaveLength(1);
    clock.advance(1);
    expect(sockets).toHaveLength(2);
    socket().open();
    expect(socket().sentMessages).toEqual([
      { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ada', resumeToken: 'fresh' },
    ]);
    socket().receive(welcome({ resumed: true }));
    expect(states.at(-1)).toBe('connected');
    expect(socket().sentMessages.map((m) => m.type)).toEqual(['session.hello', 'voice.state']);
  });

  it('gives up when the policy says so', () => {
    const { client, socket, sockets, clock, states } = setup({ reconnect: true });
    client.connect();
    for (let attempt = 0; attempt < 10 && states.at(-1) !== 'closed'; attempt++) {
      socket().drop(1006);
      clock.advance(10_000);
    }
    expect(states.at(-1)).toBe('closed');
    const opened = sockets.length;
    clock.advance(60_000);
    expect(sockets).toHaveLength(opened);
  });

  it.each([
    [CLOSE_CODES.unsupportedVersion, 'unsupportedVersion'],
    [CLOSE_CODES.replaced, 'replaced'],
  ])('does not reconnect after close code %i and reports %s', (code, reason) => {
    const { client, socket, sockets, clock, states, errors } = setup({ reconnect: true });
    client.connect();
    socket().open();
    socket().drop(code);
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
    expect(errors).toEqual([reason]);
  });

  it('closes its socket and stays closed when asked to', () => {
    const { client, socket, sockets, clock, states } = setup({ reconnect: true });
    client.connect();
    socket().open();
    socket().receive(welcome());
    client.close();
    expect(socket().closedWith).toEqual({ code: 1000, reason: 'client closed' });
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(states).toEqual(['connecting', 'connected', 'closed']);
  });

  it('retryNow reconnects at once instead of waiting out the backoff', () => {
    const { client, socket, sockets, clock, states } = setup({ forever: true });
    client.connect();
    for (let i = 0; i < 8; i++) {
      socket().drop(1006);
      clock.advance(10_000);
    }
    socket().drop(1006);
    const opened = sockets.length;
    clock.advance(100);
    expect(sockets).toHaveLength(opened);
    client.retryNow();
    expect(sockets).toHaveLength(opened + 1);
    socket().open();
    expect(socket().sentMessages.map((m) => m.type)).toEqual(['session.hello']);
    socket().receive(welcome({ heartbeatIntervalMs: 120_000 }));
    expect(states.at(-1)).toBe('connected');
    // The abandoned wait does not open a second socket later.
    clock.advance(60_000);
    expect(sockets).toHaveLength(opened + 1);
  });

  it('retryNow abandons an attempt still hanging and tries a fresh socket', () => {
    const { client, socket, sockets } = setup({ forever: true });
    client.connect();
    socket().open();
    socket().receive(welcome());
    socket().drop(1006);
    const hanging = sockets.length;
    client.retryNow();
    expect(sockets).toHaveLength(hanging + 1);
    client.retryNow(); // this one never opened: abandoned for another
    expect(sockets).toHaveLength(hanging + 2);
    expect(sockets[hanging]?.closedWith).toEqual({ code: 1000, reason: 'retrying' });
  });

  it('retryNow does nothing while connected', () => {
    const { client, socket, sockets } = setup({ forever: true });
    client.connect();
    socket().open();
    socket().receive(welcome());
    client.retryNow();
    expect(sockets).toHaveLength(1);
  });

  it('abandons a socket with no welcome after 10 s and tries again', () => {
    const { client, sockets, clock, states } = setup({ forever: true });
    client.connect();
    clock.advance(9_999);
    expect(sockets).toHaveLength(1);
    clock.advance(1);
    expect(states.at(-1)).toBe('reconnecting');
    clock.advance(100);
    expect(sockets).toHaveLength(2);
  });

  it('gives a socket that opened late its full wait for the welcome from the open', () => {
    const { client, socket, sockets, clock, states } = setup({ forever: true });
    client.connect();
    clock.advance(9_000);
    socket().open(); // a starved browser: the upgrade is through, the hello goes out now
    clock.advance(9_999); // 19 s since the attempt began, 10 s since it opened
    expect(sockets).toHaveLength(1);
    socket().receive(welcome());
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('still gives up on a socket that opened but was never welcomed, 10 s after the open', () => {
    const { client, socket, sockets, clock, states } = setup({ forever: true });
    client.connect();
    clock.advance(2_000);
    socket().open();
    clock.advance(9_999);
    expect(states.at(-1)).toBe('connecting');
    clock.advance(1);
    expect(states.at(-1)).toBe('reconnecting');
    expect(socket().closedWith).toEqual({ code: 1000, reason: 'retrying' });
    clock.advance(100);
    expect(sockets).toHaveLength(2);
  });

  it('waits longer for each welcome that did not come in time, up to three times as long, until one does', () => {
    const fake = fakeEnvironment();
    const client = new SignalClient({ url: 'ws://test/ws', displayName: 'Ada', env: fake.env, reconnectPolicy: { nextRetryDelayInMs: () => 0 } });
    const { socket, sockets, clock } = fake;
    client.connect();
    const abandonedAfter: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const count = sockets.length;
      let waited = 0;
      while (sockets.length === count && waited < 60_000) {
        clock.advance(1_000);
        waited += 1_000;
      }
      abandonedAfter.push(waited);
    }
    expect(abandonedAfter).toEqual([10_000, 20_000, 30_000, 30_000]);
    socket().open();
    socket().receive(welcome());
    socket().drop(1006);
    clock.advance(0);
    const count = sockets.length;
    clock.advance(9_999); // a welcome came since: 10 s again
    expect(sockets).toHaveLength(count);
    clock.advance(1);
    expect(sockets).toHaveLength(count + 1);
  });

  it('never gives up with the default backoff, even after an hour of outage', () => {
    const { client, socket, sockets, clock, states } = setup({ forever: true });
    client.connect();
    for (let minute = 0; minute < 60 * 6; minute++) {
      socket().drop(1006);
      clock.advance(10_000);
    }
    expect(states.at(-1)).toBe('reconnecting');
    expect(sockets.length).toBeGreaterThan(300);
  });

  describe('keepalive', () => {
    function connected() {
      const t = setup({ reconnect: true, resumeToken: 'earlier' });
      t.client.connect();
      t.socket().open();
      t.socket().receive(welcome({ heartbeatIntervalMs: 10_000 }));
      return t;
    }
    const pings = (socket: FakeWebSocket) => socket.sentMessages.filter((m) => m.type === 'session.ping');

    it('pings at the interval the server announced; an answered socket is kept', () => {
      const { socket, sockets, clock, client } = connected();
      clock.advance(9_999);
      expect(pings(socket())).toEqual([]);
      clock.advance(1);
      expect(pings(socket())).toEqual([{ type: 'session.ping', seq: 1 }]);
      socket().receive({ type: 'session.pong', seq: 1 });
      clock.advance(10_000);
      expect(pings(socket())).toHaveLength(2);
      socket().receive({ type: 'session.pong', seq: 2 });
      clock.advance(5_000);
      expect(sockets).toHaveLength(1);
      expect(client.connectionState).toBe('connected');
    });

    it('any frame is a sign of life, and a pong is not passed on as a message', () => {
      const { socket, sockets, clock, messages } = connected();
      clock.advance(10_000);
      socket().receive({ type: 'peer.presence', userId: 'u2', presence: 'online' });
      clock.advance(5_000);
      expect(sockets).toHaveLength(1);
      socket().receive({ type: 'session.pong', seq: 1 });
      expect(messages.map((m) => m.type)).toEqual(['peer.presence']);
    });

    it('a silence shorter than the timeout is ridden out, pinging on: the late answers keep the socket', () => {
      // A starved browser was seen to hand a page nothing for 10-21 s from a server answering within 0.75 s.
      const { socket, sockets, clock, states } = connected();
      clock.advance(10_000 + 25_000);
      expect(pings(socket()).map((p) => p.seq)).toEqual([1, 2, 3]);
      socket().receive({ type: 'session.pong', seq: 1 });
      socket().receive({ type: 'session.pong', seq: 2 });
      // Pinging goes on as before, and an answered socket stays.
      for (let seq = 4; seq <= 9; seq++) {
        clock.advance(10_000);
        expect(pings(socket()).at(-1)).toEqual({ type: 'session.ping', seq });
        socket().receive({ type: 'session.pong', seq });
      }
      expect(states).toEqual(['connecting', 'connected']);
      expect(sockets).toHaveLength(1);
    });

    it('a socket silent for the timeout after a ping is dead: reconnecting, then a fresh socket resumes', () => {
      const { socket, sockets, clock, states } = connected();
      const frozen = socket();
      clock.advance(10_000 + 29_999); // three intervals (30 s), which is the cap too
      expect(states.at(-1)).toBe('connected');
      expect(pings(frozen)).toHaveLength(3);
      clock.advance(1);
      expect(states.at(-1)).toBe('reconnecting');
      expect(frozen.closedWith?.code).toBe(1000);
      clock.advance(1_000);
      expect(sockets).toHaveLength(2);
      socket().open();
      expect(socket().sentMessages).toEqual([
        { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ada', resumeToken: 'token-1' },
      ]);
      // The old socket's late frames change nothing.
      frozen.receive({ type: 'session.pong', seq: 1 });
      expect(states.at(-1)).toBe('reconnecting');
    });

    it('a timeout never exceeds three intervals', () => {
      const t = setup({ reconnect: true });
      t.client.connect();
      t.socket().open();
      t.socket().receive(welcome({ heartbeatIntervalMs: 2_000 }));
      t.clock.advance(2_000 + 5_999);
      expect(t.states.at(-1)).toBe('connected');
      t.clock.advance(1);
      expect(t.states.at(-1)).toBe('reconnecting');
    });
  });
});
