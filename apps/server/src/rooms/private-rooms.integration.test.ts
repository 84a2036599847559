import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ListedRooms } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../config';
import type { ServerDeps } from '../server';
import { openDatabase } from '../store/database';
import { createMemoryRoomSettingsStore } from '../store/memory-room-settings-store';
import type { RoomSettingsStore } from '../store/room-settings-store';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';

// Rooms their owner keeps to themselves, as people on real sockets meet them:
// the owner key, the password (and its attempt limit), invites, the lock,
// removal, mute for everyone, the open-rooms list, and settings that outlive
// a restart.

const HEARTBEAT_MS = 3_600_000;
let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function start(overrides: Partial<Config> = {}, deps: Partial<ServerDeps> = {}): Promise<TestServer> {
  const server = await startTestServer({ heartbeatIntervalMs: HEARTBEAT_MS, ...overrides }, deps);
  cleanups.push(() => server.close());
  return server;
}

async function connect(server: TestServer, name: string, resumeToken?: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, name, resumeToken === undefined ? {} : { resumeToken });
  cleanups.push(() => client.close());
  return client;
}

/** Ada creates `roomId` and sets a password; resolves with her socket and her owner key. */
async function ownerWithPassword(server: TestServer, roomId: string, password: string) {
  const ada = await connect(server, 'Ada');
  ada.send({ type: 'room.join', roomId });
  await ada.next('room.joined');
  const { ownerKey } = await ada.next('room.ownerKey');
  expect(await ada.next('room.settings')).toMatchObject({ ownerId: ada.userId, passwordRequired: false });
  ada.send({ type: 'room.configure', roomId, password });
  expect(await ada.next('room.settings')).toMatchObject({ passwordRequired: true });
  return { ada, ownerKey };
}

const rosterNames = async (client: TestClient): Promise<string[]> =>
  (await client.next('room.joined')).participants.map((p) => p.displayName);

describe('a room with a password', () => {
  it('refuses a stranger without it, who never appears in a roster and cannot read the history', async () => {
    const server = await start();
    const { ada } = await ownerWithPassword(server, 'den', 'open sesame');
    ada.send({ type: 'chat.send', roomId: 'den', clientId: 'client-0001', text: 'the door code is 4711' });
    await ada.next('chat.ack');

    const eve = await connect(server, 'Eve');
    eve.send({ type: 'room.join', roomId: 'den' });
    expect(await eve.nextError('password_required')).toMatchObject({ inReplyTo: 'room.join' });
    eve.send({ type: 'room.join', roomId: 'den', password: 'guess' });
    expect(await eve.nextError('wrong_password')).toMatchObject({ inReplyTo: 'room.join' });
    eve.send({ type: 'chat.history', roomId: 'den' });
    expect(await eve.nextError('not_in_room')).toMatchObject({ inReplyTo: 'chat.history' });

    // Ada heard of nobody: a new member would have come with a peer.joined before this one.
    const bob = await connect(server, 'Bob');
    bob.send({ type: 'room.join', roomId: 'den', password: 'open sesame' });
    expect(await rosterNames(bob)).toEqual(['Ada', 'Bob']);
    expect((await ada.next('peer.joined')).participant.displayName).toBe('Bob');
    expect(ada.unread().filter((m) => m.type === 'peer.joined')).toEqual([]);
  });

  it('limits wrong attempts per address: after five, even the right password waits', async () => {
    const server = await start();
    await ownerWithPassword(server, 'vault', 'right one');
    const eve = await connect(server, 'Eve');
    for (let i = 0; i < 5; i++) {
      eve.send({ type: 'room.join', roomId: 'vault', password: `wrong ${i}` });
      await eve.nextError('wrong_password');
    }
    eve.send({ type: 'room.join', roomId: 'vault', password: 'right one' });
    const limited = await eve.nextError('rate_limited');
    expect(limited).toMatchObject({ inReplyTo: 'room.join' });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });

  it('admits the holder of an invite without the password, and refuses a tampered or expired one', async () => {
    let now = Date.now();
    const clock = { now: () => now, setTimeout: (fn: () => void, ms: number) => { const h = setTimeout(fn, ms); return () => clearTimeout(h); }, setInterval: (fn: () => void, ms: number) => { const h = setInterval(fn, ms); return () => clearInterval(h); } };
    const server = await start({ inviteTtlS: 3600 }, { clock });
    const { ada } = await ownerWithPassword(server, 'club', 'pw');
    ada.send({ type: 'room.invite', roomId: 'club' });
    const { token, expiresAt } = await ada.next('room.invite');
    expect(expiresAt).toBe((Math.floor(now / 1000) + 3600) * 1000);

    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const mallory = await connect(server, 'Mallory');
    mallory.send({ type: 'room.join', roomId: 'club', invite: tampered });
    await mallory.nextError('invite_invalid');
    mallory.send({ type: 'room.join', roomId: 'club', invite: `${token}x` });
    await mallory.nextError('invite_invalid');
    mallory.send({ type: 'room.join', roomId: 'other-room', invite: token });
    // Another room has no policy yet: Mallory creates it, and the invite is not needed.
    expect((await mallory.next('room.joined')).roomId).toBe('other-room');

    const bob = await connect(server, 'Bob');
    bob.send({ type: 'room.join', roomId: 'club', invite: token });
    expect(await rosterNames(bob)).toEqual(['Ada', 'Bob']);

    now += 3601 * 1000;
    const cy = await connect(server, 'Cy');
    cy.send({ type: 'room.join', roomId: 'club', invite: token });
    await cy.nextError('invite_invalid');
  });

  it('only the owner may change settings, invite, remove or mute', async () => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    ada.send({ type: 'room.join', roomId: 'mine' });
    await ada.next('room.joined');
    const bob = await connect(server, 'Bob');
    bob.send({ type: 'room.join', roomId: 'mine' });
    await bob.next('room.joined');
    expect(await bob.next('room.settings')).toMatchObject({ ownerId: ada.userId });
    bob.send({ type: 'room.configure', roomId: 'mine', locked: true });
    expect(await bob.nextError('not_owner')).toMatchObject({ inReplyTo: 'room.configure' });
    bob.send({ type: 'room.invite', roomId: 'mine' });
    expect(await bob.nextError('not_owner')).toMatchObject({ inReplyTo: 'room.invite' });
    bob.send({ type: 'room.remove', roomId: 'mine', userId: ada.userId });
    expect(await bob.nextError('not_owner')).toMatchObject({ inReplyTo: 'room.remove' });
    bob.send({ type: 'room.mute', roomId: 'mine', userId: ada.userId, muted: true });
    expect(await bob.nextError('not_owner')).toMatchObject({ inReplyTo: 'room.mute' });
    bob.send({ type: 'chat.clear', roomId: 'mine' });
    expect(await bob.nextError('not_owner')).toMatchObject({ inReplyTo: 'chat.clear' });
  });

  it('limits how fast anyone sends owner requests', async () => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    ada.send({ type: 'room.join', roomId: 'busy' });
    await ada.next('room.joined');
    for (let i = 0; i < 12; i++) ada.send({ type: 'room.configure', roomId: 'busy', listed: i % 2 === 0 });
    const limited = await ada.nextError('rate_limited');
    expect(limited).toMatchObject({ inReplyTo: 'room.configure' });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });
});

describe('the owner', () => {
  it('locks the room: a newcomer is refused, a member resuming their session gets back in', async () => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    ada.send({ type: 'room.join', roomId: 'quiet' });
    await ada.next('room.joined');
    const bob = await connect(server, 'Bob');
    bob.send({ type: 'room.join', roomId: 'quiet' });
    await bob.next('room.joined');
    ada.send({ type: 'room.configure', roomId: 'quiet', locked: true });
    expect(await bob.next('room.settings', (m) => m.locked)).toMatchObject({ locked: true });

    const eve = await connect(server, 'Eve');
    eve.send({ type: 'room.join', roomId: 'quiet' });
    await eve.nextError('room_locked');

    const token = bob.resumeToken;
    bob.close();
    await ada.next('peer.presence', (m) => m.presence === 'reconnecting');
    const back = await connect(server, 'Bob', token);
    expect(await rosterNames(back)).toEqual(['Ada', 'Bob']);
  });

  it('removes a participant: gone from every roster, told so, and not let back as themselves', async () => {
    const server = await start();
    const [ada, bob, cy] = [await connect(server, 'Ada'), await connect(server, 'Bob'), await connect(server, 'Cy')];
    for (const client of [ada, bob, cy]) {
      client.send({ type: 'room.join', roomId: 'crew' });
      await client.next('room.joined');
    }
    ada.send({ type: 'room.remove', roomId: 'crew', userId: bob.userId });
    expect(await bob.next('room.removed')).toEqual({ type: 'room.removed', roomId: 'crew' });
    expect(await cy.next('peer.left', (m) => m.userId === bob.userId)).toMatchObject({ reason: 'removed' });
    expect(await ada.next('peer.left', (m) => m.userId === bob.userId)).toMatchObject({ reason: 'removed' });

    bob.send({ type: 'room.join', roomId: 'crew' });
    await bob.nextError('removed');
    // Coming back on a new socket with the same session changes nothing.
    const token = bob.resumeToken;
    bob.close();
    const again = await connect(server, 'Bob', token);
    again.send({ type: 'room.join', roomId: 'crew' });
    await again.nextError('removed');
  });

  it('mutes someone for everyone, and lifts it', async () => {
    const server = await start();
    const [ada, bob] = [await connect(server, 'Ada'), await connect(server, 'Bob')];
    for (const client of [ada, bob]) {
      client.send({ type: 'room.join', roomId: 'talk' });
      await client.next('room.joined');
    }
    ada.send({ type: 'room.mute', roomId: 'talk', userId: bob.userId, muted: true });
    expect(await bob.next('room.settings', (m) => m.silenced.length > 0)).toMatchObject({ silenced: [bob.userId] });
    ada.send({ type: 'room.mute', roomId: 'talk', userId: bob.userId, muted: false });
    expect(await bob.next('room.settings', (m) => m.silenced.length === 0)).toMatchObject({ silenced: [] });
  });

  it('comes back with the owner key after everyone left and is the owner again; meanwhile the longest present ran the room', async () => {
    const server = await start();
    const ada = await connect(server, 'Ada');
    ada.send({ type: 'room.join', roomId: 'home' });
    await ada.next('room.joined');
    const { ownerKey } = await ada.next('room.ownerKey');
    const [bob, cy] = [await connect(server, 'Bob'), await connect(server, 'Cy')];
    for (const client of [bob, cy]) {
      client.send({ type: 'room.join', roomId: 'home' });
      await client.next('room.joined');
    }
    ada.send({ type: 'room.leave' });
    expect(await cy.next('room.settings', (m) => m.ownerId !== ada.userId)).toMatchObject({ ownerId: bob.userId });

    const adaAgain = await connect(server, 'Ada');
    adaAgain.send({ type: 'room.join', roomId: 'home', ownerKey });
    await adaAgain.next('room.joined');
    expect(await adaAgain.next('room.settings')).toMatchObject({ ownerId: adaAgain.userId });
    expect(await cy.next('room.settings', (m) => m.ownerId === adaAgain.userId)).toBeDefined();
    // A wrong key is just no key.
    const eve = await connect(server, 'Eve');
    eve.send({ type: 'room.join', roomId: 'home', ownerKey: 'x'.repeat(32) });
    await eve.next('room.joined');
    expect(await eve.next('room.settings')).toMatchObject({ ownerId: adaAgain.userId });
  });
});

describe('the open rooms list (GET /api/rooms)', () => {
  /** Reads server-sent events from /api/rooms until `until` holds for one. */
  async function watchRooms(server: TestServer) {
    const controller = new AbortController();
    cleanups.push(() => controller.abort());
    const response = await fetch(`${server.httpUrl}/api/rooms`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    return async (until: (list: ListedRooms) => boolean): Promise<ListedRooms> => {
      for (;;) {
        const events = buffer.split('\n\n');
        buffer = events.pop() ?? '';
        for (const event of events) {
          const data = event.split('\n').find((line) => line.startsWith('data: '));
          if (!data) continue;
          const list = JSON.parse(data.slice(6)) as ListedRooms;
          if (until(list)) return list;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
  }

  it('shows a listed room with its people and drops it when it empties; an unlisted room never appears', async () => {
    const server = await start();
    const next = await watchRooms(server);
    expect(await next(() => true)).toEqual({ rooms: [] });
    const ada = await connect(server, 'Ada');
    ada.send({ type: 'room.join', roomId: 'secret-plans' });
    await ada.next('room.joined');
    const bob = await connect(server, 'Bob');
    bob.send({ type: 'room.join', roomId: 'games' });
    await bob.next('room.joined');
    bob.send({ type: 'room.configure', roomId: 'games', listed: true, password: 'pw' });
    const listed = await next((list) => list.rooms.length > 0 && list.rooms[0]?.passwordRequired === true);
    expect(listed).toEqual({ rooms: [{ roomId: 'games', people: ['Bob'], passwordRequired: true, locked: false }] });
    bob.send({ type: 'room.leave' });
    expect(await next((list) => list.rooms.length === 0)).toEqual({ rooms: [] });
    expect(JSON.stringify(listed)).not.toContain('secret-plans');
  });
});

describe('the open rooms list, watched too often', () => {
  it('lets one address watch it from a few tabs, not from a hundred', async () => {
    const server = await start();
    const controllers: AbortController[] = [];
    cleanups.push(() => controllers.forEach((c) => c.abort()));
    const open = async () => {
      const controller = new AbortController();
      controllers.push(controller);
      return (await fetch(`${server.httpUrl}/api/rooms`, { signal: controller.signal })).status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await open());
    expect(statuses).toEqual([...Array<number>(8).fill(200), 429, 429]);
    // One closes: room for one more.
    controllers[0]?.abort();
    await expect.poll(open, { timeout: 5_000 }).toBe(200);
  });
});

describe('settings in the database', () => {
  it('while the store does not answer, a join to an idle room is refused with internal, never let in as to a new room', async () => {
    const stored = createMemoryRoomSettingsStore();
    let away = false;
    const roomSettings: RoomSettingsStore = {
      ...stored,
      get: (roomId) => (away ? Promise.reject(new Error('the database is away')) : stored.get(roomId)),
    };
    const server = await start({}, { roomSettings });
    const { ada } = await ownerWithPassword(server, 'kept', 'pw');
    ada.send({ type: 'room.leave' });
    await ada.next('room.left');

    away = true;
    const eve = await connect(server, 'Eve');
    eve.send({ type: 'room.join', roomId: 'kept' });
    expect(await eve.nextError('internal')).toMatchObject({ inReplyTo: 'room.join' });
    expect(eve.unread().filter((m) => m.type === 'room.ownerKey' || m.type === 'room.joined')).toEqual([]);

    away = false;
    eve.send({ type: 'room.join', roomId: 'kept' });
    await eve.nextError('password_required');
  });

  it('survive a server restart: the password still holds, the owner key still works', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-settings-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const secret = randomBytes(32);
    const open = () => {
      const db = openDatabase(dataDir, Date.now);
      return { db, deps: { secret, chatStore: db.chat, roomSettings: db.rooms } };
    };
    const first = open();
    const server = await startTestServer({ heartbeatIntervalMs: HEARTBEAT_MS }, first.deps);
    const { ada, ownerKey } = await ownerWithPassword(server, 'kept', 'pw');
    ada.close();
    await server.close();
    first.db.close();

    const second = open();
    cleanups.push(() => second.db.close());
    const again = await start({}, second.deps);
    const eve = await connect(again, 'Eve');
    eve.send({ type: 'room.join', roomId: 'kept' });
    await eve.nextError('password_required');
    const adaBack = await connect(again, 'Ada');
    adaBack.send({ type: 'room.join', roomId: 'kept', ownerKey });
    await adaBack.next('room.joined');
    expect(await adaBack.next('room.settings')).toMatchObject({ ownerId: adaBack.userId, passwordRequired: true });
  });
});
