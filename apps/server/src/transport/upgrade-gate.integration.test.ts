import { PROTOCOL_VERSION, parseServerMessage, type ServerMessage } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Config } from '../config';
import type { ServerDeps } from '../server';
import { createFakeClock } from '../testing/fake-clock';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

// Who may open a signaling socket, checked on the upgrade request before any
// socket exists: the Origin allowlist, and per-address limits on open sockets
// and handshakes, where the address is the forwarded one behind trusted proxies.

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function start(overrides: Partial<Config> = {}, deps: Partial<ServerDeps> = {}): Promise<TestServer> {
  const server = await startTestServer({ heartbeatIntervalMs: 15_000, ...overrides }, deps);
  cleanups.push(() => server.close());
  return server;
}

type Inbox = { send(message: Record<string, unknown>): void; next(type: string): Promise<ServerMessage> };
type Upgrade = { status: number; retryAfter: string | undefined; socket: WebSocket | undefined; inbox: Inbox | undefined };

/** Asks for a socket with these request headers; resolves with the answer: 101 and an open socket, or the refusal. */
function upgrade(server: TestServer, headers: Record<string, string> = {}): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl, { headers });
    const inbox = collect(socket);
    socket.once('open', () => {
      cleanups.push(() => socket.terminate());
      resolve({ status: 101, retryAfter: undefined, socket, inbox });
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      socket.on('error', () => {}); // the server hangs up after its answer
      const retryAfter = res.headers['retry-after'];
      resolve({ status: res.statusCode ?? 0, retryAfter, socket: undefined, inbox: undefined });
    });
    socket.once('error', reject);
  });
}

/** The messages a raw socket receives, taken by type in arrival order. */
function collect(socket: WebSocket): Inbox {
  const inbox: ServerMessage[] = [];
  let wake = (): void => {};
  socket.on('message', (data) => {
    const parsed = parseServerMessage(String(data));
    if (!parsed.ok) throw new Error(`not a server message: ${String(data)}`);
    inbox.push(parsed.value);
    wake();
  });
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    async next(type) {
      const giveUpAt = Date.now() + 3_000;
      for (;;) {
        const index = inbox.findIndex((m) => m.type === type);
        if (index >= 0) return inbox.splice(index, 1)[0] as ServerMessage;
        if (Date.now() >= giveUpAt) throw new Error(`no ${type} within 3 s; unread: ${JSON.stringify(inbox)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, giveUpAt - Date.now());
        });
      }
    },
  };
}

async function socketsOpen(server: TestServer): Promise<number> {
  return ((await (await fetch(`${server.httpUrl}/healthz`)).json()) as { sockets: number }).sockets;
}

describe('origin', () => {
  it('lets in a browser on the page\'s own origin, a listed origin, and a client that sends none', async () => {
    const server = await start({ allowedOrigins: ['https://parley.example'] });
    const own = new URL(server.httpUrl).origin;
    for (const headers of [{ Origin: own }, { Origin: 'https://parley.example' }, {}] as Record<string, string>[]) {
      expect((await upgrade(server, headers)).status).toBe(101);
    }
    // The page's own origin is whatever Host the browser reached the server by.
    expect((await upgrade(server, { Host: 'parley.lan:8080', Origin: 'http://parley.lan:8080' })).status).toBe(101);
    expect((await upgrade(server, { Host: 'parley.lan', Origin: 'https://parley.lan' })).status).toBe(101);
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['the same host on another port', 'http://127.0.0.1:1'],
    ['an opaque origin', 'null'],
    ['a non-web scheme', 'chrome-extension://abcdef'],
  ])('refuses an upgrade from %s with 403, before any socket exists', async (_what, origin) => {
    const server = await start({ allowedOrigins: ['https://parley.example'] });
    const refused = await upgrade(server, { Origin: origin });
    expect(refused.status).toBe(403);
    expect(await socketsOpen(server)).toBe(0);
  });
});

describe('per-address limits', () => {
  it('refuses a socket beyond the per-address cap with 429 and Retry-After, and counts each until it closes', async () => {
    const server = await start({ maxSocketsPerAddress: 2 });
    const first = await upgrade(server);
    const second = await upgrade(server);
    expect([first.status, second.status]).toEqual([101, 101]);

    const third = await upgrade(server);
    expect(third.status).toBe(429);
    expect(Number(third.retryAfter)).toBeGreaterThan(0);
    expect(await socketsOpen(server)).toBe(2);

    const closed = new Promise((resolve) => first.socket?.once('close', resolve));
    first.socket?.close();
    await closed;
    await vi.waitFor(async () => expect((await upgrade(server)).status).toBe(101), { timeout: 3_000, interval: 20 });
  });

  it('refuses handshakes beyond the per-minute rate with 429 until the bucket refills', async () => {
    const clock = createFakeClock();
    const server = await start({ maxHandshakesPerMin: 3 }, { clock });
    for (let i = 0; i < 3; i++) {
      const ok = await upgrade(server);
      expect(ok.status).toBe(101);
      ok.socket?.close();
    }
    const limited = await upgrade(server);
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBe('20'); // three a minute: one every 20 s
    clock.advance(20_000);
    expect((await upgrade(server)).status).toBe(101);
    expect((await upgrade(server)).status).toBe(429);
  });

  it('counts the sockets of a whole IPv6 /64 together', async () => {
    const server = await start({ trustProxy: 1, maxSocketsPerAddress: 1 });
    expect((await upgrade(server, { 'X-Forwarded-For': '2001:db8:1:2::a' })).status).toBe(101);
    expect((await upgrade(server, { 'X-Forwarded-For': '2001:db8:1:2::b' })).status).toBe(429);
    expect((await upgrade(server, { 'X-Forwarded-For': '2001:db8:1:3::a' })).status).toBe(101);
  });
});

describe('behind a trusted proxy', () => {
  it.each([
    ['one trusted hop', 1],
    ['the proxy listed by address', ['127.0.0.1']],
  ] as const)('with %s, counts clients by the address the proxy appended', async (_what, trustProxy) => {
    const server = await start({ trustProxy: typeof trustProxy === 'number' ? trustProxy : [...trustProxy], maxSocketsPerAddress: 1 });
    expect((await upgrade(server, { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(101);
    expect((await upgrade(server, { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(101);
    // What the client wrote itself comes first; the proxy's entry, last, is what counts.
    expect((await upgrade(server, { 'X-Forwarded-For': '198.51.100.9, 203.0.113.1' })).status).toBe(429);
  });

  it.each([
    ['no proxy is trusted', 0],
    ['the peer is not a listed proxy', ['10.0.0.0/8']],
  ] as const)('ignores X-Forwarded-For when %s', async (_what, trustProxy) => {
    const server = await start({ trustProxy: typeof trustProxy === 'number' ? trustProxy : [...trustProxy], maxSocketsPerAddress: 1 });
    expect((await upgrade(server, { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(101);
    expect((await upgrade(server, { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(429);
  });

  it.each([
    [1, 'room.joined'],
    [0, 'error'],
  ] as const)('limits wrong room passwords by that address (trust %s: the right password gets %s)', async (trustProxy, outcome) => {
    const server = await start({ trustProxy });
    const ada = await TestClient.connect(server.wsUrl, 'Ada');
    cleanups.push(() => ada.socket.terminate());
    ada.send({ type: 'room.join', roomId: 'vault' });
    await ada.next('room.joined');
    ada.send({ type: 'room.configure', roomId: 'vault', password: 'right one' });
    await ada.next('room.settings', (settings) => settings.passwordRequired);

    const hello = async (forwardedFor: string, displayName: string): Promise<Inbox> => {
      const { inbox } = await upgrade(server, { 'X-Forwarded-For': forwardedFor });
      if (!inbox) throw new Error('refused');
      inbox.send({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName });
      await inbox.next('session.welcome');
      return inbox;
    };
    const eve = await hello('203.0.113.66', 'Eve');
    for (let i = 0; i < 5; i++) {
      eve.send({ type: 'room.join', roomId: 'vault', password: `wrong ${i}` });
      expect(await eve.next('error')).toMatchObject({ code: 'wrong_password' });
    }
    const bob = await hello('203.0.113.7', 'Bob');
    bob.send({ type: 'room.join', roomId: 'vault', password: 'right one' });
    const answer = await bob.next(outcome);
    if (outcome === 'error') expect(answer).toMatchObject({ code: 'rate_limited' });
  });
});
