import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

const TURN_SECRET = 'coturn-static-auth-secret';
const TURN_TTL_S = 600;
const STUN = 'stun:stun.example.org:3478';
const TURN = ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'];

const servers: TestServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  for (const server of servers.splice(0)) await server.close();
});

/** What coturn computes for a username, independently of the server's code. */
const password = (username: string) => createHmac('sha1', TURN_SECRET).update(username).digest('base64');

it('hands out TURN credentials to members only, before their first roster, and fresh ones while they stay', async () => {
  const clock = createFakeClock(Date.UTC(2030, 0, 1, 0, 0, 0, 250));
  const server = await startTestServer(
    { iceUrls: [STUN, ...TURN], turnSecret: TURN_SECRET, turnTtlS: TURN_TTL_S, heartbeatIntervalMs: 3_600_000 },
    { clock, secret: randomBytes(32) },
  );
  servers.push(server);
  const ada = await TestClient.connect(server.wsUrl, 'Ada');
  clients.push(ada);

  // Saying hello is not enough: the welcome has STUN only.
  expect(ada.welcome?.iceServers).toEqual([{ urls: STUN }]);
  expect(ada.welcome?.iceServersExpireAt).toBeUndefined();
  await ada.sync();
  expect(ada.unread().filter((m) => m.type === 'ice.servers')).toEqual([]);

  // Joining a room: credentials first, then the roster.
  ada.send({ type: 'room.join', roomId: 'den' });
  const expiresAtS = Math.floor(clock.now() / 1000) + TURN_TTL_S;
  const username = `${expiresAtS}:${ada.userId}`;
  expect(await ada.nextOf(['ice.servers', 'room.joined'])).toMatchObject({
    type: 'ice.servers',
    iceServers: [{ urls: STUN }, { urls: TURN, username, credential: password(username) }],
    iceServersExpireAt: expiresAtS * 1000,
  });
  await ada.next('room.joined');

  // Nothing until 80% of the lifetime has passed, then fresh credentials.
  const refreshMs = TURN_TTL_S * 1000 * 0.8;
  clock.advance(refreshMs - 1);
  await ada.sync();
  expect(ada.unread().filter((m) => m.type === 'ice.servers')).toEqual([]);
  clock.advance(1);
  const renewedAtS = Math.floor(clock.now() / 1000) + TURN_TTL_S;
  const renewed = `${renewedAtS}:${ada.userId}`;
  expect(await ada.next('ice.servers')).toEqual({
    type: 'ice.servers',
    iceServers: [{ urls: STUN }, { urls: TURN, username: renewed, credential: password(renewed) }],
    iceTransportPolicy: 'all',
    iceServersExpireAt: renewedAtS * 1000,
  });
  expect(renewedAtS * 1000).toBeGreaterThan(expiresAtS * 1000 + refreshMs - 1000);

  // And again before those expire, while Ada stays; once she has left, no more.
  clock.advance(refreshMs);
  expect(await ada.next('ice.servers')).toMatchObject({ iceServersExpireAt: (renewedAtS + refreshMs / 1000) * 1000 });
  ada.send({ type: 'room.leave' });
  await ada.next('room.left');
  clock.advance(refreshMs * 3);
  await ada.sync();
  expect(ada.unread().filter((m) => m.type === 'ice.servers')).toEqual([]);
});

it('hands out URLs without credentials when no TURN secret is configured', async () => {
  const server = await startTestServer({ iceUrls: [STUN, ...TURN] });
  servers.push(server);
  const ada = await TestClient.connect(server.wsUrl, 'Ada');
  clients.push(ada);
  expect(ada.welcome?.iceServers).toEqual([{ urls: STUN }, { urls: TURN[0] }, { urls: TURN[1] }]);
  expect(ada.welcome?.iceServersExpireAt).toBeUndefined();
});
