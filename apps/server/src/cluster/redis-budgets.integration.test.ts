import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import type { Budget, Budgets, Charge } from '../limits/budgets';
import { startTestRedis, type TestRedis } from '../testing/redis';
import { createRedisBudgets } from './redis-budgets';

let redis: TestRedis;
const opened: Budgets[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  for (const budgets of opened.splice(0)) await budgets.close();
});

let prefixes = 0;
/** `count` nodes' budgets on one Redis, under a key prefix of this test's own. */
async function nodes(count: number): Promise<Budgets[]> {
  const keyPrefix = `parley:test:${process.pid}:${++prefixes}`;
  const logger = pino({ level: process.env.BUS_LOG ?? 'silent' });
  const started = Array.from({ length: count }, () => createRedisBudgets(redis.url, { logger, clock: systemClock, keyPrefix }));
  opened.push(...started);
  await Promise.all(started.map((budgets) => budgets.start()));
  return started;
}

// Slow enough that no token comes back while a test runs.
const chat: Budget = { name: 'test.chat', perS: 0.01, burst: 4 };
const room: Budget = { name: 'test.room', perS: 0.01, burst: 5 };

/** `count` takes of `charges`, going round the nodes in turn; true for each one let through. */
async function alternately(via: Budgets[], charges: Charge[], count: number): Promise<boolean[]> {
  const results: boolean[] = [];
  for (let i = 0; i < count; i++) results.push((await via[i % via.length]!.take(charges)).ok);
  return results;
}

describe('budgets shared through Redis', () => {
  it('give a client whose requests go alternately through two nodes one budget, not two, and say when to come back', async () => {
    const [one, two] = await nodes(2);
    const ada: Charge[] = [{ budget: chat, key: 'ada' }];
    expect(await alternately([one!, two!], ada, 6)).toEqual([true, true, true, true, false, false]);
    const refused = await one!.take(ada);
    expect(refused.ok).toBe(false);
    // One token every 100 s: the wait is most of that, never more.
    if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(90_000);
    if (!refused.ok) expect(refused.retryAfterMs).toBeLessThanOrEqual(100_000);
    // Someone else's budget is their own.
    expect(await two!.take([{ budget: chat, key: 'bob' }])).toEqual({ ok: true });
  });

  it('take every charge of a request or none, and a peek takes nothing', async () => {
    const [one, two] = await nodes(2);
    const ada: Charge[] = [{ budget: chat, key: 'ada' }, { budget: room, key: 'den' }];
    const bob: Charge[] = [{ budget: chat, key: 'bob' }, { budget: room, key: 'den' }];
    expect(await alternately([one!, two!], ada, 5)).toEqual([true, true, true, true, false]);
    // Ada's refused fifth took nothing from the room: one token is left there for Bob.
    for (let i = 0; i < 3; i++) expect(await two!.peek(bob)).toEqual({ ok: true });
    expect(await alternately([two!, one!], bob, 2)).toEqual([true, false]);
  });

  it('count on each node alone while Redis is away, within the same limits, and share again once it is back', async () => {
    const [one, two] = await nodes(2);
    const ada: Charge[] = [{ budget: chat, key: 'ada' }];
    expect(await alternately([one!, two!], ada, 2)).toEqual([true, true]);

    await redis.restart({
      whileDown: async () => {
        // Nobody waits for Redis, nothing fails, and nothing is let through unbounded: one budget per node.
        for (const node of [one!, two!]) {
          expect(await alternately([node], [{ budget: chat, key: 'eve' }], 6)).toEqual([true, true, true, true, false, false]);
        }
      },
    });

    // Back (empty, and without the script): a charge made through one node is seen through the other again.
    let probes = 0;
    const once: Budget = { name: 'test.probe', perS: 0.01, burst: 1 };
    await expect
      .poll(
        async () => {
          const probe: Charge[] = [{ budget: once, key: `probe-${++probes}` }];
          await one!.take(probe);
          return (await two!.peek(probe)).ok;
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(false);
    expect(await alternately([two!, one!], [{ budget: chat, key: 'cara' }], 5)).toEqual([true, true, true, true, false]);
  }, 30_000);
});
