import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Take } from '../chat/rate-limiter';
import type { Clock } from '../clock';
import { createLocalBudgetCounter, type Budgets, type Charge } from '../limits/budgets';

export type RedisBudgetsOptions = {
  logger: Logger;
  /** Times the local fallback and how long it lasts; Redis's own clock times the shared buckets. */
  clock: Pick<Clock, 'now'>;
  /** Every bucket's key starts with this. */
  keyPrefix?: string;
  /** A count Redis has not answered within this long is made on this node instead. */
  commandTimeoutMs?: number;
  /** After a count Redis did not answer, counts stay on this node this long before Redis is asked again. */
  localForMs?: number;
};

/**
 * The GCRA of chat/rate-limiter.ts, in Redis: one key per bucket, holding
 * the time (µs, Redis's clock, so nodes whose clocks differ still agree) at
 * which the bucket is full again, expiring then, so a full bucket costs no
 * key. All the charges of one call are checked before any is taken, in one
 * script, so nothing runs between the check and the take.
 * KEYS: one bucket each. ARGV[1]: 'take' or 'peek'; then, per key: the
 * interval between tokens (µs), the tolerance ((burst - 1) intervals, µs)
 * and the cost in tokens. Returns {1, 0}, or {0, retryAfterMs}.
 */
const GCRA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local fullAt = {}
for i, key in ipairs(KEYS) do
  local at = 2 + (i - 1) * 3
  local interval = tonumber(ARGV[at])
  local tolerance = tonumber(ARGV[at + 1])
  local cost = tonumber(ARGV[at + 2])
  local start = math.max(tonumber(redis.call('GET', key) or now), now)
  local wait = start + (cost - 1) * interval - now - tolerance
  if wait > 0 then return {0, math.ceil(wait / 1000)} end
  fullAt[i] = start + cost * interval
end
if ARGV[1] == 'take' then
  for i, key in ipairs(KEYS) do
    redis.call('SET', key, string.format('%.0f', fullAt[i]), 'PX', math.max(1, math.ceil((fullAt[i] - now) / 1000)))
  end
end
return {1, 0}
`;
const GCRA_SHA = createHash('sha1').update(GCRA).digest('hex');

/**
 * Budgets every node of a cluster counts in one place: the Redis of
 * PARLEY_REDIS_URL. A client whose requests go alternately through two
 * nodes meets one budget, not two.
 *
 * Why Redis and not the replicated room log: chat does not travel on the
 * bus (it goes straight to PostgreSQL), and a wrong password must be counted
 * before its scrypt runs, not once the bus has carried the join around. One
 * round trip to Redis per counted request (joins, chat sends, owners'
 * requests: a few a second per person) is what sharing them costs; frames per
 * socket, which a socket's node alone pays for, stay local and synchronous.
 *
 * Redis away (down, restarting, not answering within commandTimeoutMs):
 * counted on this node alone, with the same limits, until Redis answers
 * again (it is asked again after localForMs). That is neither fail-open nor
 * fail-closed: during the outage a client gets at most one budget per node,
 * as before there was a cluster; nothing is let through unbounded, nobody is
 * refused for Redis's sake, and no request waits longer than the timeout.
 * A separate connection from the bus's: the bus wants its commands queued
 * while Redis reconnects, the budgets want an answer now.
 */
export function createRedisBudgets(url: string, options: RedisBudgetsOptions): Budgets {
  const { clock } = options;
  const log = options.logger.child({ component: 'redis-budgets' });
  const prefix = options.keyPrefix ?? 'parley:budget';
  const localForMs = options.localForMs ?? 1_000;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: 'parley-budgets',
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs ?? 250,
    maxRetriesPerRequest: 0,
  });
  // Without a listener an 'error' would end the process; ioredis reconnects by itself.
  redis.on('error', (err: Error) => log.debug({ err: err.message }, 'redis connection error'));
  const local = createLocalBudgetCounter(clock);
  let localUntil = 0;
  let alone = false;
  let closed = false;

  const evaluate = async (mode: 'take' | 'peek', charges: readonly Charge[]): Promise<Take> => {
    const keys = charges.map(({ budget, key }) => `${prefix}:${budget.name}:${key}`);
    const args: string[] = [mode];
    for (const { budget, cost = 1 } of charges) {
      const intervalUs = Math.round(1_000_000 / budget.perS);
      args.push(String(intervalUs), String((budget.burst - 1) * intervalUs), String(cost));
    }
    let reply: unknown;
    try {
      reply = await redis.evalsha(GCRA_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      // A Redis that restarted has forgotten the script: send it whole once.
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      reply = await redis.eval(GCRA, keys.length, ...keys, ...args);
    }
    const [ok, retryAfterMs] = reply as [number, number];
    return ok === 1 ? { ok: true } : { ok: false, retryAfterMs };
  };

  const count = async (mode: 'take' | 'peek', charges: readonly Charge[]): Promise<Take> => {
    if (charges.length === 0) return { ok: true };
    if (closed || clock.now() < localUntil) return local[mode](charges);
    try {
      if (redis.status !== 'ready') throw new Error(`the budgets' Redis connection is ${redis.status}`);
      const take = await evaluate(mode, charges);
      if (alone) {
        alone = false;
        log.info('Redis answers again: budgets shared with the other nodes');
      }
      return take;
    } catch (err) {
      localUntil = clock.now() + localForMs;
      if (!alone) {
        alone = true;
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'Redis does not answer: budgets counted on this node alone until it does');
      }
      return local[mode](charges);
    }
  };

  return {
    kind: 'redis',
    take: (charges) => count('take', charges),
    peek: (charges) => count('peek', charges),
    async start() {
      try {
        await redis.connect();
      } catch (err) {
        // It keeps trying by itself; meanwhile each node counts alone.
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not reach Redis for the budgets yet; counting on this node alone until it answers');
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
