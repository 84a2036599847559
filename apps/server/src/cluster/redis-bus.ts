import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Bus, BusEvent, BusHandlers } from './bus';

export type RedisBusOptions = {
  logger: Logger;
  /** The stream every node appends to and reads. */
  streamKey?: string;
  /** The stream is trimmed to about this many entries; a node further behind than that has lost its place. */
  maxLength?: number;
  /** How long a starting node waits for another node's snapshot before deciding it is the first. */
  syncWaitMs?: number;
  /** A published event not seen back within this long has been lost (Redis died before anyone read it). */
  publishTimeoutMs?: number;
  /** A node that has not renewed its lease for this long counts as dead; renewed every third of it. */
  leaseMs?: number;
};

/** An entry as it sits in the stream: the event and the node that wrote it. */
type Envelope = BusEvent & { origin: string };

const FIELD = 'e';

/**
 * The bus on one Redis stream (XADD by every node, each node reading it
 * all with XREAD): one order for every node, which is what keeps their
 * copies of the rooms state alike. Two connections: one blocks reading,
 * the other writes. ioredis reconnects by itself and queues what is
 * published meanwhile; the reader carries on after the last entry it saw
 * (entry ids grow with time, so a Redis restarted empty is no obstacle).
 *
 * Why a stream and not pub/sub: a stream is ordered with ids, so a node
 * knows exactly where its snapshot stands, and an entry written while a
 * reader reconnects is read when it is back instead of being lost.
 */
export function createRedisBus(url: string, options: RedisBusOptions): Bus {
  const nodeId = randomBytes(6).toString('hex');
  const log = options.logger.child({ component: 'redis-bus', nodeId });
  const key = options.streamKey ?? 'parley:bus';
  const maxLength = options.maxLength ?? 10_000;
  const syncWaitMs = options.syncWaitMs ?? 1_500;
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  const leaseMs = options.leaseMs ?? 3_000;
  const leaseKey = (node: string) => `${key}:node:${node}`;
  let leaseTimer: NodeJS.Timeout | undefined;
  const renewLease = (): void => {
    writer.set(leaseKey(nodeId), '1', 'PX', leaseMs).catch((err: unknown) => log.warn({ err: String(err) }, 'renewing the node lease failed'));
  };
  const redisOptions = { lazyConnect: true, connectionName: `parley-${nodeId}` };
  const writer = new Redis(url, redisOptions);
  const reader = new Redis(url, redisOptions);
  for (const [name, connection] of [
    ['writer', writer],
    ['reader', reader],
  ] as const) {
    // Without a listener an 'error' would end the process; ioredis reconnects by itself.
    connection.on('error', (err: Error) => log.warn({ err: err.message, connection: name }, 'redis connection error'));
  }

  let closed = false;
  let handlers: BusHandlers | undefined;
  /** Our own entries, by id, whose publisher waits to hear that this node handled them. */
  const waiting = new Map<string, () => void>();
  /** Our own entries handled before XADD's reply told the publisher their id. */
  const handledEarly = new Set<string>();

  const append = (envelope: Envelope): Promise<string> =>
    writer.xadd(key, 'MAXLEN', '~', String(maxLength), '*', FIELD, JSON.stringify(envelope)).then((id) => {
      if (id === null) throw new Error('XADD returned no id');
      return id;
    });

  const handled = (id: string, envelope: Envelope): void => {
    if (envelope.origin !== nodeId) return;
    const resolve = waiting.get(id);
    if (resolve) {
      waiting.delete(id);
      resolve();
    } else {
      handledEarly.add(id);
    }
  };

  /** Reads from `after` for as long as the bus is open, handing entries to `onEntry` in order. */
  const readLoop = async (after: string, onEntry: (id: string, envelope: Envelope) => void): Promise<void> => {
    let last = after;
    while (!closed) {
      let batch: [string, [string, string[]][]][] | null;
      try {
        batch = (await reader.xread('COUNT', 500, 'BLOCK', 1_000, 'STREAMS', key, last)) as [string, [string, string[]][]][] | null;
      } catch (err) {
        if (closed) return;
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reading the bus failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      for (const [, entries] of batch ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const raw = fields[fields.indexOf(FIELD) + 1];
          let envelope: Envelope;
          try {
            envelope = JSON.parse(raw ?? '') as Envelope;
          } catch {
            log.error({ id }, 'unreadable bus entry skipped');
            continue;
          }
          onEntry(id, envelope);
        }
      }
    }
  };

  return {
    kind: 'redis',
    nodeId,

    async start(given) {
      await Promise.all([writer.connect(), reader.connect()]);
      // Our lease, renewed while we run: other nodes take its absence for our death (lease-watch.ts).
      renewLease();
      leaseTimer = setInterval(renewLease, leaseMs / 3);
      leaseTimer.unref();
      const requestId = `${nodeId}-${randomBytes(4).toString('hex')}`;
      const asked = await append({ kind: 'syncRequest', requestId, origin: nodeId });
      let live = false;
      const buffered: Array<[string, Envelope]> = [];

      const goLive = (): void => {
        live = true;
        handlers = given;
        for (const [id, envelope] of buffered.splice(0)) deliver(id, envelope);
      };

      const deliver = (id: string, envelope: Envelope): void => {
        const current = handlers;
        if (!current) return;
        if (envelope.kind === 'command' || envelope.kind === 'deliver') {
          current.event(envelope);
          handled(id, envelope);
        } else if (envelope.kind === 'syncRequest' && envelope.origin !== nodeId) {
          // Our state as of this entry is what that node needs; every running node answers, it takes the first.
          append({ kind: 'snapshot', requestId: envelope.requestId, state: current.snapshot(), origin: nodeId }).catch((err: unknown) =>
            log.warn({ err: String(err) }, 'could not answer a starting node'),
          );
        }
      };

      let synced: () => void = () => undefined;
      const caughtUp = new Promise<void>((resolve) => {
        synced = resolve;
      });
      const timer = setTimeout(() => {
        if (live) return;
        log.info('no other node answered: starting with no rooms');
        goLive();
        synced();
      }, syncWaitMs);

      void readLoop(asked, (id, envelope) => {
        if (live) return deliver(id, envelope);
        if (envelope.kind === 'snapshot' && envelope.requestId === requestId) {
          clearTimeout(timer);
          given.restore(envelope.state);
          log.info({ from: envelope.origin }, 'caught up with the other nodes');
          goLive();
          synced();
          return;
        }
        // Everything after our request, applied on top of the snapshot once it comes.
        buffered.push([id, envelope]);
      });
      await caughtUp;
    },

    async publish(event) {
      if (closed) throw new Error('bus closed');
      const id = await append({ ...event, origin: nodeId });
      if (handledEarly.delete(id)) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`bus entry ${id} was not seen back within ${publishTimeoutMs} ms`));
        }, publishTimeoutMs);
        waiting.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },

    async ping() {
      if (closed) return false;
      try {
        return (await Promise.race([writer.ping(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 1_000))])) === 'PONG';
      } catch {
        return false;
      }
    },

    async liveNodes(nodes) {
      if (closed || nodes.length === 0) return new Set<string>();
      try {
        const pipeline = writer.pipeline();
        for (const node of nodes) pipeline.exists(leaseKey(node));
        const results = await pipeline.exec();
        if (!results) return undefined;
        const live = new Set<string>();
        for (const [i, [err, exists]] of results.entries()) {
          if (err) return undefined;
          if (exists === 1) live.add(nodes[i] as string);
        }
        return live;
      } catch {
        // Redis away: nobody is declared dead for it.
        return undefined;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      handlers = undefined;
      clearInterval(leaseTimer);
      // Gone at once rather than when the lease runs out.
      await writer.del(leaseKey(nodeId)).catch(() => undefined);
      reader.disconnect();
      await writer.quit().catch(() => writer.disconnect());
    },
  };
}
