import { createRateLimiter, type RateLimit, type RateLimiter, type Take } from '../chat/rate-limiter';
import type { Clock } from '../clock';

/**
 * A rate limit that must hold for a person, an address or a room wherever
 * they connect, named so that every node counts it in the same place
 * (`chat.user`, `join.password.address`). One name stands for one limit.
 */
export type Budget = RateLimit & { readonly name: string };

/** `cost` tokens (1 unless given) from the bucket `key` has in `budget`. */
export type Charge = { budget: Budget; key: string; cost?: number };

/**
 * Where the budgets that matter across nodes are counted: joins (new rooms,
 * wrong passwords), chat sends and owners' requests. In this process
 * (createLocalBudgets) when the server runs alone; in Redis
 * (cluster/redis-budgets.ts) when several nodes share the rooms, so a client
 * whose requests go through two nodes gets one budget, not one per node.
 * What only a node's own resources pay for stays local and synchronous:
 * frames per socket (a socket lives on one node), sockets and handshakes
 * per address, the typing relay.
 *
 * Never rejects: a budget that cannot be counted where it should be is
 * counted on this node alone (see redis-budgets.ts).
 */
export type Budgets = {
  /** 'memory', or 'redis'. */
  readonly kind: 'memory' | 'redis';
  /** Takes every charge, or none of them when a bucket is short: the first short one says how long until it is not. */
  take(charges: readonly Charge[]): Promise<Take>;
  /** Whether take(charges) would succeed now, taking nothing. */
  peek(charges: readonly Charge[]): Promise<Take>;
  /** Connects where there is something to connect to; resolves either way (until then, counting is local). */
  start(): Promise<void>;
  close(): Promise<void>;
};

const OK: Take = { ok: true };

/** The synchronous core of the local budgets, also the fallback of the shared ones. */
export type LocalBudgets = {
  take(charges: readonly Charge[]): Take;
  peek(charges: readonly Charge[]): Take;
};

export function createLocalBudgetCounter(clock: Pick<Clock, 'now'>): LocalBudgets {
  const limiters = new Map<string, RateLimiter>();
  const limiter = (budget: Budget): RateLimiter => {
    let found = limiters.get(budget.name);
    if (!found) {
      found = createRateLimiter(budget, clock);
      limiters.set(budget.name, found);
    }
    return found;
  };
  const peek = (charges: readonly Charge[]): Take => {
    for (const { budget, key, cost } of charges) {
      const take = limiter(budget).peek(key, cost);
      if (!take.ok) return take;
    }
    return OK;
  };
  return {
    peek,
    take(charges) {
      const checked = peek(charges);
      if (checked.ok) for (const { budget, key, cost } of charges) limiter(budget).take(key, cost);
      return checked;
    },
  };
}

/** Budgets counted in this process: the single node `pnpm start` runs. Synchronous underneath; the promise only carries the answer. */
export function createLocalBudgets(clock: Pick<Clock, 'now'>): Budgets {
  const counter = createLocalBudgetCounter(clock);
  return {
    kind: 'memory',
    take: (charges) => Promise.resolve(counter.take(charges)),
    peek: (charges) => Promise.resolve(counter.peek(charges)),
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
