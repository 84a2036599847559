import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import type { Config } from '../config';
import { openPgDatabase } from '../store/pg-database';
import { startTestPostgres, type TestPostgres } from '../testing/postgres';
import { startTestRedis, type TestRedis } from '../testing/redis';
import { TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createRedisBudgets } from './redis-budgets';
import { createRedisBus } from './redis-bus';

/**
 * Nodes as PARLEY_REDIS_URL and PARLEY_DATABASE_URL make them, each with its
 * own connections to a real Redis and a real PostgreSQL: what an owner set
 * holds on every node, one started later included, and a budget is one
 * budget whichever nodes a client's requests go through.
 */
let redis: TestRedis;
let postgres: TestPostgres;
const cleanups: Array<() => Promise<void> | void> = [];
const secret = Buffer.alloc(32, 9);

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startTestRedis(), startTestPostgres()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([redis?.stop(), postgres?.stop()]);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let clusters = 0;
/** A cluster of its own (stream, key prefix, database): `node()` starts one more of its nodes. */
async function cluster(config: Partial<Config> = {}) {
  const id = `parley:test:${process.pid}:shared:${++clusters}`;
  const databaseUrl = await postgres.createDatabase();
  const logger = pino({ level: process.env.BUS_LOG ?? 'silent' });
  return async function node(): Promise<TestServer> {
    const db = await openPgDatabase(databaseUrl, { now: Date.now, poolSize: 2 });
    const bus = createRedisBus(redis.url, { logger, streamKey: `${id}:bus`, syncWaitMs: 300 });
    const budgets = createRedisBudgets(redis.url, { logger, clock: systemClock, keyPrefix: `${id}:budget` });
    const server = await startTestServer({ heartbeatIntervalMs: 3_600_000, ...config }, { bus, budgets, chatStore: db.chat, roomSettings: db.rooms, secret, logger });
    cleanups.push(async () => {
      await server.close();
      await Promise.all([bus.close(), budgets.close()]);
      await db.close();
    });
    return server;
  };
}

async function connect(server: TestServer, name: string, resumeToken?: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl, name, resumeToken === undefined ? {} : { resumeToken });
  cleanups.push(() => client.close());
  return client;
}

describe('room settings on several nodes', () => {
  it("are known to a node started after the room went idle: its password, its lock and its owner's key hold there", async () => {
    const node = await cluster();
    const first = await node();
    const ada = await connect(first, 'Ada');
    const keys = new Map<string, string>();
    for (const [roomId, change] of [
      ['vault', { password: 'open sesame' }],
      ['attic', { locked: true }],
    ] as const) {
      ada.send({ type: 'room.join', roomId });
      keys.set(roomId, (await ada.next('room.ownerKey')).ownerKey);
      ada.send({ type: 'room.configure', roomId, ...change });
      await ada.next('room.settings', (m) => m.roomId === roomId && (m.locked || m.passwordRequired));
    }
    ada.send({ type: 'room.leave' });
    await ada.next('room.left');

    const later = await node();
    const eve = await connect(later, 'Eve');
    eve.send({ type: 'room.join', roomId: 'vault' });
    await eve.nextError('password_required');
    eve.send({ type: 'room.join', roomId: 'vault', password: 'guess' });
    await eve.nextError('wrong_password');
    eve.send({ type: 'room.join', roomId: 'attic' });
    await eve.nextError('room_locked');

    const bob = await connect(later, 'Bob');
    bob.send({ type: 'room.join', roomId: 'vault', password: 'open sesame' });
    expect((await bob.next('room.joined')).roomId).toBe('vault');
    expect(await bob.next('room.settings')).toMatchObject({ passwordRequired: true, ownerId: bob.userId });

    // Ada, back through the new node on a fresh session, opens the locked room with her key and runs it.
    const adaAgain = await connect(later, 'Ada');
    adaAgain.send({ type: 'room.join', roomId: 'attic', ownerKey: keys.get('attic') });
    await adaAgain.next('room.joined');
    expect(await adaAgain.next('room.settings')).toMatchObject({ roomId: 'attic', locked: true, ownerId: adaAgain.userId });
  }, 30_000);
});

describe('budgets on several nodes', () => {
  it('give a chatter whose sends go alternately through two nodes one budget, not one per node', async () => {
    const node = await cluster({ chatRate: { perS: 0.01, burst: 3 } });
    const nodes = [await node(), await node()];
    let ada = await connect(nodes[0]!, 'Ada');
    ada.send({ type: 'room.join', roomId: 'den' });
    await ada.next('room.joined');

    const answers: string[] = [];
    for (let i = 0; i < 4; i++) {
      if (i > 0) {
        // The load balancer sends her next connection to the other node; she resumes as herself.
        const token = ada.resumeToken;
        ada.close();
        ada = await connect(nodes[i % 2]!, 'Ada', token);
        await ada.next('room.joined');
      }
      ada.send({ type: 'chat.send', roomId: 'den', clientId: `ada-${String(i).padStart(6, '0')}`, text: `message ${i}` });
      const answer = await ada.nextOf(['chat.ack', 'error']);
      answers.push(answer.type === 'error' ? answer.code : answer.type);
      if (answer.type === 'error') expect(answer.retryAfterMs).toBeGreaterThan(0);
    }
    expect(answers).toEqual(['chat.ack', 'chat.ack', 'chat.ack', 'rate_limited']);
  }, 30_000);

  it('count wrong passwords from one address on every node together: the sixth waits, whichever node it reaches', async () => {
    const node = await cluster();
    const nodes = [await node(), await node()];
    const ada = await connect(nodes[0]!, 'Ada');
    ada.send({ type: 'room.join', roomId: 'vault' });
    await ada.next('room.ownerKey');
    ada.send({ type: 'room.configure', roomId: 'vault', password: 'right one' });
    await ada.next('room.settings', (m) => m.passwordRequired);

    const guessers = [await connect(nodes[0]!, 'Eve'), await connect(nodes[1]!, 'Eve')];
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const eve = guessers[i % 2]!;
      // The sixth is the right password: it still waits, as on one node.
      eve.send({ type: 'room.join', roomId: 'vault', password: i === 5 ? 'right one' : `wrong ${i}` });
      const answer = await eve.nextOf(['error', 'room.joined']);
      answers.push(answer.type === 'error' ? answer.code : answer.type);
    }
    expect(answers).toEqual([...Array<string>(5).fill('wrong_password'), 'rate_limited']);
  }, 30_000);

  it('keep answering and keep limiting while Redis is away: each node counts alone until it is back', async () => {
    const node = await cluster({ chatRate: { perS: 0.01, burst: 3 } });
    const ada = await connect(await node(), 'Ada');
    ada.send({ type: 'room.join', roomId: 'den' });
    await ada.next('room.joined');
    let sent = 0;
    const send = async () => {
      ada.send({ type: 'chat.send', roomId: 'den', clientId: `ada-${String(++sent).padStart(6, '0')}`, text: 'still here?' });
      const answer = await ada.nextOf(['chat.ack', 'error']);
      return answer.type === 'error' ? answer.code : answer.type;
    };
    expect(await send()).toBe('chat.ack');

    await redis.restart({
      whileDown: async () => {
        // Chat is stored in PostgreSQL: it goes on, and the node alone keeps the limit.
        const answers: string[] = [];
        for (let i = 0; i < 4; i++) answers.push(await send());
        expect(answers).toEqual(['chat.ack', 'chat.ack', 'chat.ack', 'rate_limited']);
      },
    });
  }, 30_000);
});
