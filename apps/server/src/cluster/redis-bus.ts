import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { systemClock } from '../clock';
import type { Bus, BusEvent, BusHandlers } from './bus';
import { createOutbox } from './outbox';

export type RedisBusOptions = {
  logger: Logger;
  /** The stream every node appends to and reads; the epoch and the leases are keys beside it. */
  streamKey?: string;
  /** The stream is trimmed to about this many entries; a node further behind than that has lost its place. */
  maxLength?: number;
  /** How long a node waits for another node's snapshot before it asks again, or (nobody else being live) goes on alone. */
  syncWaitMs?: number;
  /** A published event not handled here within this long is given up: publish rejects and it is not sent again. */
  publishTimeoutMs?: number;
  /** A node that has not renewed its lease for this long counts as dead; renewed every third of it. */
  leaseMs?: number;
};

/**
 * An entry as it sits in the stream: the event, the node that wrote it, and
 * that node's count of its own entries. A node writes its entries in count
 * order, so an entry whose count is not above the highest handled from its
 * node is a repeat (written again after a reconnect) and is dropped.
 */
type Envelope = BusEvent & { origin: string; serial: number };

/** What a snapshot entry carries: the rooms, and how far the stream had been handled when they were taken. */
type SnapshotState = { rooms: unknown; handled: Array<[string, number]> };

type Phase =
  | { kind: 'starting' }
  | { kind: 'live' }
  /**
   * Waiting for a snapshot answering `requestId`. Entries before the request
   * still go to this node's own copy, if it has one; entries after it wait in
   * `buffered` to be applied on top of the snapshot.
   */
  | { kind: 'catchingUp'; requestId: string; pastRequest: boolean; buffered: Envelope[]; timer: NodeJS.Timeout };

const FIELD = 'e';

/** Sets KEYS[1] to ARGV[2] if it is missing or still ARGV[1]; returns what it holds then. */
const CLAIM_EPOCH = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return ARGV[2]
end
return current`;

/**
 * The bus on one Redis stream (XADD by every node, each node reading it
 * all with XREAD): one order for every node, which is what keeps their
 * copies of the rooms state alike.
 *
 * Why a stream and not pub/sub: a stream is ordered with ids, so a node
 * knows exactly where its snapshot stands, and an entry written while a
 * reader reconnects is read when it is back instead of being lost.
 *
 * Redis going away for a while:
 * - Every entry this node writes stays in its outbox until this node has
 *   read it back; after each reconnect the outbox is written again, in order
 *   (what Redis lost is there again, what it had is a repeat and is dropped).
 *   What is published while Redis is away waits in the outbox too.
 * - An epoch key names the stream's life. Redis restarted empty has lost it
 *   (and the stream, and the leases): the first node to find it missing
 *   claims a new epoch and keeps its state; every other node reads the new
 *   stream from its start and catches up from a snapshot as a node that
 *   starts does, so all hold one state again. Entries read by some nodes and
 *   not by others before Redis died would otherwise leave their copies
 *   apart. Each node then re-announces its own participants where the state
 *   it took has them otherwise (cluster/reannounce.ts, through `restore`).
 * - Leases lost with Redis are renewed as soon as each node is back, and
 *   nobody is judged by its lease until every node has had time to renew.
 */
export function createRedisBus(url: string, options: RedisBusOptions): Bus {
  const nodeId = randomBytes(6).toString('hex');
  const log = options.logger.child({ component: 'redis-bus', nodeId });
  const key = options.streamKey ?? 'parley:bus';
  const epochKey = `${key}:epoch`;
  const leaseKey = (node: string) => `${key}:node:${node}`;
  const maxLength = options.maxLength ?? 10_000;
  const syncWaitMs = options.syncWaitMs ?? 1_500;
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  const leaseMs = options.leaseMs ?? 3_000;
  const newEpoch = () => `${nodeId}:${randomBytes(4).toString('hex')}`;

  const retryStrategy = (times: number) => Math.min(times * 100, 1_000);
  const named = { lazyConnect: true, connectionName: `parley-${nodeId}`, retryStrategy };
  // Three connections. The writer only appends, and never queues or resends by itself: the outbox
  // does, in order, so a repeat is always recognised. The reader blocks on the stream; what it sent
  // when a connection dropped is sent again (ioredis would otherwise leave it unanswered for good).
  // The rest (leases, the epoch after a wait, pings) go on a third, which queues while Redis is away.
  const writer = new Redis(url, { ...named, enableOfflineQueue: false, autoResendUnfulfilledCommands: false });
  const reader = new Redis(url, named);
  const control = new Redis(url, named);
  for (const [name, connection] of [
    ['writer', writer],
    ['reader', reader],
    ['control', control],
  ] as const) {
    // Without a listener an 'error' would end the process; ioredis reconnects by itself.
    connection.on('error', (err: Error) => log.debug({ err: err.message, connection: name }, 'redis connection error'));
  }

  let closed = false;
  let given: BusHandlers | undefined;
  /** This node's copy of the rooms: set once live, and kept while it catches up again after a Redis restart. */
  let handlers: BusHandlers | undefined;
  let phase: Phase = { kind: 'starting' };
  let started: { resolve(): void; reject(err: Error): void } | undefined;

  let epoch: string | undefined;
  /** Per node, the highest count of its entries handled. Travels with snapshots, so every node drops the same repeats. */
  let handledUpTo = new Map<string, number>();
  /** The id of the last entry read; moved when an epoch begins (`generation` tells a read in flight that it is stale). */
  let last = '0-0';
  let generation = 0;
  let checkPosition = false;
  /** Leases lost with Redis: nobody is judged by theirs before this. */
  let leasesTrustedAfter = 0;

  const outbox = createOutbox<BusEvent>({
    write(event, serial) {
      const envelope = JSON.stringify({ ...event, origin: nodeId, serial });
      // A failure is a dropped connection (the outbox writes it again when it is back) or a refusal (it times out).
      writer.xadd(key, 'MAXLEN', '~', String(maxLength), '*', FIELD, envelope).catch((err: unknown) => log.debug({ err: String(err) }, 'XADD failed'));
    },
    writable: () => writer.status === 'ready',
    clock: systemClock,
    timeoutMs: publishTimeoutMs,
    onLost: (event, err) => log.warn({ err: err.message, kind: event.kind }, 'the bus did not take an event of ours'),
  });
  const sendQuietly = (event: BusEvent, ahead = false): void => {
    outbox.send(event, ahead).catch((err: unknown) => log.warn({ err: String(err), kind: event.kind }, 'the bus did not take an event of ours'));
  };

  const renewLease = (): void => {
    if (control.status !== 'ready') return;
    control
      .set(leaseKey(nodeId), phase.kind === 'live' ? 'live' : 'joining', 'PX', leaseMs)
      .catch((err: unknown) => log.warn({ err: String(err) }, 'renewing the node lease failed'));
  };
  let leaseTimer: NodeJS.Timeout | undefined;

  // Our lease, gone if Redis restarted.
  control.on('ready', () => renewLease());
  // What we wrote and have not read back, which Redis may have lost (a repeat is dropped); then the rest.
  writer.on('ready', () => outbox.rewrite());

  /** One entry on this node's copy, in stream order: while live, or before its request while it catches up. */
  const handle = (envelope: Envelope): void => {
    const { origin } = envelope;
    if (typeof envelope.serial === 'number') {
      if (envelope.serial <= (handledUpTo.get(origin) ?? 0)) return;
      handledUpTo.set(origin, envelope.serial);
      if (origin === nodeId) outbox.handled(envelope.serial);
    }
    const current = handlers;
    if (!current) return;
    if (envelope.kind === 'command' || envelope.kind === 'deliver') {
      current.event(envelope);
    } else if (envelope.kind === 'syncRequest' && phase.kind === 'live' && origin !== nodeId) {
      // Our state as of this entry is what that node needs; every live node answers, it takes the first.
      const state: SnapshotState = { rooms: current.snapshot(), handled: [...handledUpTo] };
      sendQuietly({ kind: 'snapshot', requestId: envelope.requestId, state });
    }
  };

  const goLive = (buffered: readonly Envelope[], reannounced: readonly BusEvent[] = []): void => {
    if (phase.kind === 'catchingUp') clearTimeout(phase.timer);
    phase = { kind: 'live' };
    handlers = given;
    renewLease();
    // What this node said while catching up goes after its re-announcements.
    outbox.release(reannounced);
    outbox.handled(handledUpTo.get(nodeId) ?? 0);
    for (const envelope of buffered) handle(envelope);
    started?.resolve();
    started = undefined;
  };

  const restoreFrom = (envelope: Extract<Envelope, { kind: 'snapshot' }>, buffered: readonly Envelope[]): void => {
    const snapshot = envelope.state as SnapshotState;
    handledUpTo = new Map(snapshot.handled);
    const reannounced = given?.restore(snapshot.rooms) ?? [];
    log.info({ from: envelope.origin, reannounced: reannounced.length }, 'caught up with the other nodes');
    goLive(buffered, reannounced);
  };

  /** Asks the live nodes for their state as of a new request; this node's own events wait until it has it. */
  const catchUp = (): void => {
    if (phase.kind === 'catchingUp') {
      clearTimeout(phase.timer);
      // What came after the previous request goes to our own copy; the next snapshot covers it too.
      for (const envelope of phase.buffered) handle(envelope);
    }
    const requestId = `${nodeId}-${randomBytes(4).toString('hex')}`;
    sendQuietly({ kind: 'syncRequest', requestId }, true);
    outbox.hold();
    const timer = setTimeout(() => void unanswered(requestId), syncWaitMs);
    phase = { kind: 'catchingUp', requestId, pastRequest: false, buffered: [], timer };
    renewLease();
  };

  /** No snapshot came: ask again while some node is live, otherwise claim the epoch and go on with our own copy. */
  const unanswered = async (requestId: string): Promise<void> => {
    const waiting = () => !closed && phase.kind === 'catchingUp' && phase.requestId === requestId;
    if (!waiting()) return;
    try {
      if (await anotherNodeLive()) {
        if (waiting()) catchUp();
        return;
      }
      const value = String(await control.eval(CLAIM_EPOCH, 1, epochKey, epoch ?? '', newEpoch()));
      if (waiting()) adoptEpoch(value);
    } catch (err) {
      log.warn({ err: String(err) }, 'no snapshot came and Redis did not answer; waiting again');
      if (waiting() && phase.kind === 'catchingUp') phase.timer = setTimeout(() => void unanswered(requestId), syncWaitMs);
    }
  };

  const anotherNodeLive = async (): Promise<boolean> => {
    const pattern = `${key.replace(/[*?[\]\\]/g, '\\$&')}:node:*`;
    let cursor = '0';
    do {
      const [next, keys] = await control.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
      cursor = next;
      const others = keys.filter((found) => found !== leaseKey(nodeId));
      if (others.length > 0 && (await control.mget(...others)).includes('live')) return true;
    } while (cursor !== '0');
    return false;
  };

  /**
   * A new epoch: the node it names keeps its copy; any other catches up from a
   * snapshot. Either way it reads on from where it was if the stream still
   * has that entry, and from the start of the stream if Redis lost it.
   */
  const adoptEpoch = (value: string): void => {
    if (value === epoch) return;
    if (epoch === undefined) {
      log.info({ epoch: value }, 'the bus has its first epoch');
    } else {
      // Redis lost its keys (or a node went on alone): leases too may be gone until their nodes renew them.
      log.warn({ from: epoch, to: value }, 'the bus began a new epoch');
      leasesTrustedAfter = Date.now() + leaseMs;
    }
    epoch = value;
    generation++;
    checkPosition = true;
    handlers?.streamLost?.();
    if (!value.startsWith(`${nodeId}:`)) return catchUp();
    if (phase.kind === 'catchingUp') {
      log.info(handlers ? 'no other node is live: going on with our own rooms' : 'no other node is live: starting with no rooms');
      goLive(phase.buffered);
    }
  };

  const claimEpoch = async (): Promise<string> => String(await reader.eval(CLAIM_EPOCH, 1, epochKey, '', newEpoch()));

  const parse = (id: string, fields: string[]): Envelope | undefined => {
    try {
      const envelope = JSON.parse(fields[fields.indexOf(FIELD) + 1] ?? '') as Envelope;
      if (typeof envelope === 'object' && envelope !== null && typeof envelope.origin === 'string') return envelope;
    } catch {
      // reported below
    }
    log.error({ id }, 'unreadable bus entry skipped');
    return undefined;
  };

  const onEntry = (envelope: Envelope): void => {
    if (phase.kind !== 'catchingUp') return handle(envelope);
    const catching = phase;
    if (!catching.pastRequest) {
      if (envelope.kind === 'syncRequest' && envelope.requestId === catching.requestId) catching.pastRequest = true;
      else handle(envelope);
      return;
    }
    catching.buffered.push(envelope);
    if (envelope.kind === 'snapshot' && envelope.requestId === catching.requestId) restoreFrom(envelope, catching.buffered);
  };

  let failing = false;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Reads the stream for as long as the bus is open, checking the epoch before every read. */
  const readLoop = async (): Promise<void> => {
    while (!closed) {
      const reading = generation;
      let seen: unknown;
      let batch: unknown;
      try {
        if (checkPosition) {
          checkPosition = false;
          if (last !== '0-0' && (await reader.xrange(key, last, last)).length === 0) last = '0-0';
          continue;
        }
        const results = await reader.pipeline().get(epochKey).xread('COUNT', 500, 'BLOCK', 1_000, 'STREAMS', key, last).exec();
        const [[epochErr, epochValue] = [], [readErr, read] = []] = results ?? [];
        if (epochErr) throw epochErr;
        if (readErr) throw readErr;
        seen = epochValue;
        batch = read;
        // An epoch this node adopted while the read was on its way is newer than what the read saw.
        if (reading === generation && (typeof seen === 'string' ? seen : undefined) !== epoch) {
          if (typeof seen !== 'string' && !handlers) {
            // Gone, and this node has no rooms yet: it leaves the claim to a node that has them,
            // or to its own wait for a snapshot running out with nobody live.
            await pause(250);
            continue;
          }
          const value = typeof seen === 'string' ? seen : await claimEpoch();
          if (reading === generation) adoptEpoch(value);
        }
      } catch (err) {
        if (closed) return;
        if (!failing) log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reading the bus failed; retrying');
        failing = true;
        await pause(250);
        continue;
      }
      if (failing) log.info('reading the bus again');
      failing = false;
      if (closed) return;
      // The position moved while this read was on its way (a new epoch): read again from there.
      if (reading !== generation) continue;
      for (const [, entries] of (batch ?? []) as Array<[string, Array<[string, string[]]>]>) {
        for (const [id, fields] of entries) {
          last = id;
          const envelope = parse(id, fields);
          if (envelope) onEntry(envelope);
        }
      }
    }
  };

  return {
    kind: 'redis',
    nodeId,

    async start(handlersToUse) {
      given = handlersToUse;
      await Promise.all([writer.connect(), reader.connect(), control.connect()]);
      leaseTimer = setInterval(renewLease, leaseMs / 3);
      leaseTimer.unref();
      // Whatever the stream holds from before is not ours to apply: read on from its end.
      const tail = await reader.xrevrange(key, '+', '-', 'COUNT', 1);
      last = tail[0]?.[0] ?? '0-0';
      // Even with no epoch yet this node asks: Redis may just have restarted under live nodes,
      // which claim the new epoch and answer. Nobody live: it claims one when its wait runs out.
      epoch = (await reader.get(epochKey)) ?? undefined;
      const live = new Promise<void>((resolve, reject) => {
        started = { resolve, reject };
      });
      catchUp();
      void readLoop();
      await live;
    },

    publish(event) {
      if (closed) return Promise.reject(new Error('bus closed'));
      return outbox.send(event);
    },

    async ping() {
      if (closed) return false;
      try {
        if (control.status !== 'ready') return false;
        return (await Promise.race([control.ping(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 1_000))])) === 'PONG';
      } catch {
        return false;
      }
    },

    async liveNodes(nodes) {
      if (closed || nodes.length === 0) return new Set<string>();
      // Just after a new epoch every lease may be missing: nobody is declared dead for that.
      const trusted = () => Date.now() >= leasesTrustedAfter;
      if (!trusted() || control.status !== 'ready') return undefined;
      try {
        const pipeline = control.pipeline();
        for (const node of nodes) pipeline.exists(leaseKey(node));
        const results = await pipeline.exec();
        if (!results || !trusted()) return undefined;
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
      if (phase.kind === 'catchingUp') clearTimeout(phase.timer);
      started?.reject(new Error('bus closed'));
      outbox.close(new Error('bus closed'));
      // Gone at once rather than when the lease runs out.
      if (control.status === 'ready') await control.del(leaseKey(nodeId)).catch(() => undefined);
      reader.disconnect();
      // QUIT after what was written: the last disconnects of a node shutting down still reach the others.
      await Promise.all([writer, control].map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}
