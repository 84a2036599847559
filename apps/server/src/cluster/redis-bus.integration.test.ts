import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../testing/redis';
import type { Bus, BusEvent } from './bus';
import { busContract, recorder } from './bus.contract';
import { createRedisBus } from './redis-bus';

let redis: TestRedis;
const opened: Bus[] = [];
let streams = 0;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const bus of opened.splice(0)) await bus.close();
});

function open(streamKey: string): Bus {
  const bus = createRedisBus(redis.url, { logger: pino({ level: 'silent' }), streamKey, syncWaitMs: 300 });
  opened.push(bus);
  return bus;
}

/** Two nodes started on a stream of their own; `state` is what each hands a node that starts later. */
async function twoNodes(state?: unknown) {
  const key = `bus-test-${++streams}`;
  const first = recorder(state);
  const second = recorder(state);
  const one = open(key);
  const two = open(key);
  await Promise.all([one.start(first.handlers), two.start(second.handlers)]);
  return { key, first, second, one, two };
}

describe('the Redis bus', () => {
  busContract(async () => open(`bus-test-${++streams}`));

  it('gives every node the same order, whoever published, and a node that starts later the state the others hold', async () => {
    const { key, first, second, one, two } = await twoNodes(['rooms as the first node has them']);
    const sends: Array<Promise<void>> = [];
    for (let seq = 1; seq <= 20; seq++) sends.push((seq % 2 ? one : two).publish({ kind: 'command', command: { kind: 'leave', userId: `u${seq}` }, node: 'test' }));
    await Promise.all(sends);
    await expect.poll(() => second.seen.length).toBe(20);
    expect(first.seen).toEqual(second.seen);

    const late = recorder();
    await open(key).start(late.handlers);
    expect(late.restored).toContainEqual(['rooms as the first node has them']);
    expect(late.seen).toEqual([]);
  });

  const leave = (userId: string): Extract<BusEvent, { kind: 'command' }> => ({ kind: 'command', command: { kind: 'leave', userId }, node: 'test' });
  const users = (seen: ReturnType<typeof recorder>['seen']) => seen.map((e) => (e.kind === 'command' && e.command.kind === 'leave' ? e.command.userId : '?'));

  it('hands on what was published while Redis was away, once each and in one order on every node, when it is back empty', async () => {
    const { first, second, one, two } = await twoNodes();
    await one.publish(leave('before'));
    await expect.poll(() => users(second.seen)).toEqual(['before']);

    await redis.kill();
    const sends: Array<Promise<void>> = [];
    for (let n = 1; n <= 10; n++) sends.push((n % 2 ? one : two).publish(leave(`away-${n}`)));
    await redis.start();
    await Promise.all(sends);

    await expect.poll(() => users(second.seen).length, { timeout: 10_000 }).toBe(11);
    await expect.poll(() => users(first.seen).length, { timeout: 10_000 }).toBe(11);
    expect(users(first.seen)).toEqual(users(second.seen));
    expect(users(first.seen).sort()).toEqual(['before', ...Array.from({ length: 10 }, (_, i) => `away-${i + 1}`)].sort());
    // Each node's own events in the order it published them.
    expect(users(first.seen).filter((u) => /away-\d*[13579]$/.test(u))).toEqual(['away-1', 'away-3', 'away-5', 'away-7', 'away-9']);
  }, 30_000);

  it('reads on when the stream comes back with ids below where a node had read (a Redis whose clock is behind)', async () => {
    const { key, first, second, one, two } = await twoNodes();
    // An entry far in the future: every id after it, and each node's place, is beyond any id the next Redis hands out.
    const probe = new Redis(redis.url);
    try {
      await probe.xadd(key, '9999999999999-0', 'e', JSON.stringify({ kind: 'deliver', to: [], message: { type: 'session.pong', seq: 0 }, origin: 'probe', serial: 1 }));
    } finally {
      probe.disconnect();
    }
    await one.publish(leave('far-ahead'));
    await expect.poll(() => users(second.seen)).toEqual(['?', 'far-ahead']);

    await redis.restart();
    await Promise.all([one.publish(leave('after-1')), two.publish(leave('after-2'))]);
    await expect.poll(() => users(second.seen).length, { timeout: 10_000 }).toBe(4);
    await expect.poll(() => users(first.seen).length, { timeout: 10_000 }).toBe(4);
    expect(users(first.seen)).toEqual(users(second.seen));
  }, 30_000);
});
