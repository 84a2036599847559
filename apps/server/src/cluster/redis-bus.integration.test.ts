import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../testing/redis';
import type { Bus } from './bus';
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

describe('the Redis bus', () => {
  busContract(async () => open(`bus-test-${++streams}`));

  it('gives every node the same order, whoever published, and a node that starts later the state the others hold', async () => {
    const key = `bus-test-${++streams}`;
    const first = recorder(['rooms as the first node has them']);
    const second = recorder(['rooms as the first node has them']);
    const one = open(key);
    const two = open(key);
    await Promise.all([one.start(first.handlers), two.start(second.handlers)]);
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
});
