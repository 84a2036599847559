import type { Clock } from '../clock';

/**
 * What a node has to say on the bus and has not yet read back from it, in
 * the order it said it. Each event is numbered (`serial`) when first written;
 * it is written again, with the same number, after every reconnect until the
 * node reads it back (`handled`), so an entry Redis lost is there again and
 * one it kept arrives twice, which readers recognise by its number
 * (redis-bus.ts). While the node catches up with the others (`hold`), what it
 * says waits, so that its re-announcements (`release`) go first.
 */
export type Outbox<E> = {
  /**
   * Resolves once this node has read `event` back; rejects after the timeout,
   * when it is given up and never written again. `ahead`: not held back by
   * hold() (a request to catch up, which must go before what waits).
   */
  send(event: E, ahead?: boolean): Promise<void>;
  /** Writes everything written before and not read back, in order, then the rest: after a reconnect. */
  rewrite(): void;
  /** Everything of this node's numbered up to `serial` has been handled here. */
  handled(serial: number): void;
  /** From now on, what is sent waits until release(). */
  hold(): void;
  /** `first`, then what waited, are written in that order. */
  release(first: readonly E[]): void;
  /** Everything not read back fails with `err`. */
  close(err: Error): void;
};

export type OutboxDeps<E> = {
  /** Writes one numbered event; a failure is the connection's (the next rewrite repeats it) or a refusal (it times out). */
  write(event: E, serial: number): void;
  /** Whether the connection takes writes now. */
  writable(): boolean;
  clock: Pick<Clock, 'setTimeout'>;
  timeoutMs: number;
  /** An event given up without a caller waiting for it (a re-announcement). */
  onLost(event: E, err: Error): void;
};

type Item<E> = { event: E; serial?: number; settle(err?: Error): void };

export function createOutbox<E>(deps: OutboxDeps<E>): Outbox<E> {
  /** Written at least once, in serial order, not read back. */
  const sent: Array<Item<E>> = [];
  /** Not written yet. */
  const queued: Array<Item<E>> = [];
  /** Said while holding. */
  let held: Array<Item<E>> | undefined;
  let serial = 0;

  const remove = (item: Item<E>): void => {
    for (const list of [sent, queued, held ?? []]) {
      const index = list.indexOf(item);
      if (index >= 0) list.splice(index, 1);
    }
  };

  const enqueue = (event: E, into: Array<Item<E>>): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const cancel = deps.clock.setTimeout(() => {
        remove(item);
        reject(new Error(`bus event not read back within ${deps.timeoutMs} ms`));
      }, deps.timeoutMs);
      const item: Item<E> = {
        event,
        settle: (err) => {
          cancel();
          if (err) reject(err);
          else resolve();
        },
      };
      into.push(item);
      pump();
    });

  /** Writes what waits, if the connection takes writes now. */
  const pump = (): void => {
    if (!deps.writable()) return;
    for (let item = queued.shift(); item; item = queued.shift()) {
      item.serial = ++serial;
      sent.push(item);
      deps.write(item.event, item.serial);
    }
  };

  return {
    send: (event, ahead = false) => enqueue(event, ahead ? queued : (held ?? queued)),
    rewrite() {
      if (!deps.writable()) return;
      for (const item of sent) deps.write(item.event, item.serial ?? 0);
      pump();
    },
    handled(upTo) {
      for (let first = sent[0]; first && (first.serial ?? 0) <= upTo; first = sent[0]) {
        sent.shift();
        first.settle();
      }
    },
    hold() {
      held ??= [];
    },
    release(first) {
      const waiting = held ?? [];
      held = undefined;
      for (const event of first) enqueue(event, queued).catch((err: unknown) => deps.onLost(event, err instanceof Error ? err : new Error(String(err))));
      queued.push(...waiting);
      pump();
    },
    close(err) {
      for (const item of [...sent, ...queued, ...(held ?? [])]) item.settle(err);
      sent.length = 0;
      queued.length = 0;
      held = undefined;
    },
  };
}
