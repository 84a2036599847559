/**
 * Several nodes (issue 12), with Node clients on real processes: two Parley
 * nodes on Redis and PostgreSQL (e2e/support/cluster.ts), and for
 * comparison one plain process (memory bus, SQLite).
 *  1. Chat fan-out: CLIENTS clients in rooms of 10, each sending a message
 *     every 2 s for SECONDS s: deliveries per second and latency p50/p99
 *     (send -> chat.message at every other member, one clock). On one plain
 *     process; on the cluster with every client on node 1; and on the
 *     cluster with each room split across both nodes (the most cross-node
 *     traffic).
 *  2. Memory per idle joined connection: what a node holds before any
 *     connection, after WARM clients have joined (rooms of 10) and sat, and
 *     after IDLE more, against a bare ws server holding as many idle sockets,
 *     measured the same way. Both processes collect garbage before every
 *     reading (--expose-gc, lib/memory.ts). The first WARM connections also
 *     pay for what a fresh process grows once (code the JIT compiles, the
 *     malloc arenas its compiler threads keep); the IDLE after them, only for
 *     themselves: both are printed. The figure is RSS without V8's young
 *     generation, whose pages are empty after a collection and sized by how
 *     fast the process allocated just before (up to 32 MB, so 32 kB a
 *     connection at 1,000: noise), with heap+external and the raw RSS beside it.
 *  3. Failover: 20 clients in two rooms, half on each node; node 1 is
 *     killed (SIGKILL) and its clients reconnect to node 2 with their resume
 *     tokens at once: time from the kill until every client's roster lists
 *     everyone once and online.
 * BENCH_CLUSTER_PARTS (fanout,memory,failover) runs only the parts named.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Cluster, freePort, ServerProcess } from '@parley/e2e/support';
import { PROTOCOL_VERSION, type Participant, type ServerMessage } from '@parley/protocol';
import WebSocket from 'ws';
import { loadAverage } from './lib/cpu';
import { connectionCost, describeConnectionCost, MemoryProbe, type ConnectionCost } from './lib/memory';
import { percentile } from './lib/stats';
import { ONE_ADDRESS_ENV } from './lib/targets';
import { WireClient } from './lib/wire-client';

const CLIENTS = Number(process.env.BENCH_CLUSTER_CLIENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_CLUSTER_SECONDS ?? 15);
const IDLE = Number(process.env.BENCH_CLUSTER_IDLE ?? 1000);
/** Connections made first, which pay for what a fresh process grows once; the IDLE made after them are measured apart. */
const WARM = Number(process.env.BENCH_CLUSTER_WARM ?? 1000);
/** How long connections sit before a memory reading: every join done and delivered. */
const SETTLE_MS = 2_000;
const ROOM_SIZE = 10;
const PARTS = ['fanout', 'memory', 'failover'] as const;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function partsToRun(): Set<string> {
  const named = (process.env.BENCH_CLUSTER_PARTS ?? PARTS.join(',')).split(',').map((part) => part.trim()).filter(Boolean);
  const unknown = named.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`BENCH_CLUSTER_PARTS: unknown ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
  return new Set(named);
}

/** Connects `count` clients, client i to `portOf(i)` and room `roomOf(i)`, a few at a time, and waits until all are in. */
async function joinAll(count: number, portOf: (i: number) => number, roomOf: (i: number) => string, onMessage: (i: number, m: ServerMessage) => void) {
  const clients: WireClient[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, async (_, k) => {
        const i = start + k;
        let joined!: () => void;
        let refused!: (error: Error) => void;
        const inRoom = new Promise<void>((resolve, reject) => ((joined = resolve), (refused = reject)));
        const client = await WireClient.connect(portOf(i), `bot ${i}`, (m) => {
          if (m.type === 'room.joined') joined();
          if (m.type === 'error' && m.inReplyTo === 'room.join') refused(new Error(`bot ${i} could not join ${roomOf(i)}: ${m.code} ${m.message}`));
          onMessage(i, m);
        });
        client.send({ type: 'room.join', roomId: roomOf(i) });
        await inRoom;
        return client;
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

async function fanOut(label: string, slug: string, portOf: (i: number) => number): Promise<{ perS: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let measuring = false;
  const roomOf = (i: number) => `${slug}-${Math.floor(i / ROOM_SIZE)}`;
  const clients = await joinAll(CLIENTS, portOf, roomOf, (_i, m) => {
    if (m.type !== 'chat.message' || !measuring) return;
    latencies.push(performance.now() - Number(m.message.text.split(' ')[0]));
  });
  let seq = 0;
  const timers: NodeJS.Timeout[] = [];
  clients.forEach((client, i) => {
    const tick = () => client.send({ type: 'chat.send', roomId: roomOf(i), clientId: `c${i}-${seq++}-xxxxxxxx`, text: `${performance.now()} hi` });
    timers.push(setTimeout(() => timers.push(setInterval(tick, 2_000)), (i * 2_000) / CLIENTS));
  });
  await sleep(3_000);
  measuring = true;
  const started = performance.now();
  await sleep(SECONDS * 1_000);
  measuring = false;
  const seconds = (performance.now() - started) / 1_000;
  for (const timer of timers) clearInterval(timer);
  for (const client of clients) client.close();
  const result = { perS: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  console.log(`  ${label}: ${Math.round(result.perS)} deliveries/s, latency p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`);
  await sleep(1_000);
  return result;
}

type Closable = { close(): void };

/**
 * What connections made by `connect` cost the process `pid`: readings before
 * any, after WARM, and after IDLE more, each once the connections have sat
 * for SETTLE_MS. The first ones also pay for what a fresh process grows once;
 * the next ones, only for themselves.
 */
async function costPerConnection(pid: number | undefined, probe: MemoryProbe, connect: (count: number, label: string) => Promise<Closable[]>): Promise<ConnectionCost> {
  await sleep(SETTLE_MS);
  const start = await probe.read(pid);
  const warm = await connect(WARM, 'warm');
  await sleep(SETTLE_MS);
  const warmed = await probe.read(pid);
  const measured = await connect(IDLE, 'idle');
  await sleep(SETTLE_MS);
  const end = await probe.read(pid);
  for (const connection of [...warm, ...measured]) connection.close();
  return connectionCost({ start, warmed, end }, WARM, IDLE);
}

async function parleyPerConnection(probe: MemoryProbe): Promise<ConnectionCost> {
  const server = new ServerProcess(await freePort(), { ...ONE_ADDRESS_ENV, ...probe.env });
  await server.start();
  try {
    return await costPerConnection(server.pid, probe, (count, label) =>
      joinAll(count, () => server.port, (i) => `${label}-${Math.floor(i / ROOM_SIZE)}`, () => undefined),
    );
  } finally {
    await server.dispose();
  }
}

/** A ws server that does nothing but hold sockets: what the library alone costs per connection. */
async function bareWsPerConnection(probe: MemoryProbe): Promise<ConnectionCost> {
  const port = await freePort();
  const script = `const { WebSocketServer } = require('ws'); new WebSocketServer({ port: ${port}, host: '127.0.0.1' }, () => console.log('up'));`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: new URL('.', import.meta.url).pathname,
    env: { ...process.env, ...probe.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const open = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}`);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    return await costPerConnection(child.pid, probe, async (count) => {
      const sockets: WebSocket[] = [];
      for (let start = 0; start < count; start += 50) sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, count - start) }, open))));
      return sockets;
    });
  } finally {
    child.kill();
  }
}

async function idleMemory(): Promise<void> {
  const probe = new MemoryProbe();
  try {
    const parley = await parleyPerConnection(probe);
    const ws = await bareWsPerConnection(probe);
    console.log(`  Parley, idle joined connections: ${describeConnectionCost(parley)}`);
    console.log(`  bare ws, idle connections: ${describeConnectionCost(ws)}`);
    const { each: p, firstEach: pFirst } = parley;
    const { each: w, firstEach: wFirst } = ws;
    console.log(
      `  Parley - bare ws: ${(p.heldKb - w.heldKb).toFixed(1)} kB held per connection (heap+external ${(p.heapKb - w.heapKb).toFixed(1)} kB), ratio ${(p.heldKb / w.heldKb).toFixed(2)}x; ` +
        `over the first ${WARM} ${(pFirst.heldKb - wFirst.heldKb).toFixed(1)} kB, ${(pFirst.heldKb / wFirst.heldKb).toFixed(2)}x`,
    );
    console.log('  goal: Parley at most 10 kB held per idle joined connection');
  } finally {
    probe.dispose();
  }
}

/** A client that keeps its own view of the roster, as a page would, and can come back with its resume token. */
class RosterClient {
  roster = new Map<string, Participant['presence']>();
  private socket!: WebSocket;
  resumeToken = '';
  userId = '';

  constructor(readonly name: string, readonly roomId: string) {}

  async connect(port: number): Promise<void> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const joined = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const m = JSON.parse(String(data)) as ServerMessage;
        if (m.type === 'session.welcome') {
          this.userId = m.userId;
          this.resumeToken = m.resumeToken;
          if (!m.resumed) socket.send(JSON.stringify({ type: 'room.join', roomId: this.roomId }));
        } else if (m.type === 'room.joined') {
          this.roster = new Map(m.participants.map((p) => [p.userId, p.presence]));
          resolve();
        } else if (m.type === 'peer.joined') this.roster.set(m.participant.userId, m.participant.presence);
        else if (m.type === 'peer.left') this.roster.delete(m.userId);
        else if (m.type === 'peer.presence') this.roster.set(m.userId, m.presence);
      });
    });
    socket.send(JSON.stringify({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: this.name, ...(this.resumeToken ? { resumeToken: this.resumeToken } : {}) }));
    await joined;
  }

  onClose(handler: () => void): void {
    this.socket.once('close', handler);
  }

  /** Lists exactly `ids`, each online. */
  sees(ids: string[]): boolean {
    return this.roster.size === ids.length && ids.every((id) => this.roster.get(id) === 'online');
  }

  close(): void {
    this.socket.close();
  }
}

async function failover(): Promise<void> {
  const cluster = await Cluster.start({ env: ONE_ADDRESS_ENV });
  try {
    const [one, two] = cluster.nodes as [ServerProcess, ServerProcess];
    const clients = Array.from({ length: 20 }, (_, i) => new RosterClient(`bot ${i}`, `failover-${i % 2}`));
    for (const [i, client] of clients.entries()) await client.connect(i < 10 ? one.port : two.port);
    const members = (roomId: string) => clients.filter((c) => c.roomId === roomId).map((c) => c.userId);
    const allRight = () => clients.every((c) => c.sees(members(c.roomId)));
    while (!allRight()) await sleep(10);

    const onDeadNode = clients.slice(0, 10);
    // Back at once through the node that is left, as the page does after its socket drops.
    const reconnected = onDeadNode.map((client) => new Promise<void>((resolve) => client.onClose(() => void client.connect(two.port).then(resolve))));
    const killed = performance.now();
    await one.kill('SIGKILL');
    await Promise.all(reconnected);
    const resumedMs = performance.now() - killed;
    while (!allRight()) await sleep(5);
    const rightMs = performance.now() - killed;
    console.log(`  kill -9 of a node with 10 of 20 clients: all back through the other node in ${Math.round(resumedMs)} ms; every roster right (everyone listed once, online) ${Math.round(rightMs)} ms after the kill`);
    for (const client of clients) client.close();
  } finally {
    await cluster.dispose();
  }
}

export async function benchCluster(): Promise<void> {
  const parts = partsToRun();
  console.log(`machine load before: ${loadAverage()}`);
  if (parts.has('fanout')) await chatFanOut();
  if (parts.has('memory')) {
    console.log(`memory, ${WARM} then ${IDLE} more idle connections (joined: rooms of ${ROOM_SIZE}), garbage collected before each reading; held = RSS without V8's young generation:`);
    await idleMemory();
  }
  if (parts.has('failover')) {
    console.log('failover:');
    await failover();
  }
  console.log(`machine load after: ${loadAverage()}`);
}

async function chatFanOut(): Promise<void> {
  console.log(`chat fan-out, ${CLIENTS} clients in rooms of ${ROOM_SIZE}, a message every 2 s each, ${SECONDS} s measured:`);
  const single = new ServerProcess(await freePort(), ONE_ADDRESS_ENV);
  await single.start();
  let alone: { perS: number; p99: number };
  try {
    alone = await fanOut('one process (memory bus, SQLite)', 'alone', () => single.port);
  } finally {
    await single.dispose();
  }
  const cluster = await Cluster.start({ env: ONE_ADDRESS_ENV });
  try {
    const [one, two] = cluster.nodes as [ServerProcess, ServerProcess];
    const onOne = await fanOut('cluster, every client on node 1', 'node1', () => one.port);
    const split = await fanOut('cluster, each room split over both nodes', 'split', (i) => (i % 2 ? two.port : one.port));
    console.log(`  split over two nodes vs one node of the cluster: deliveries/s ${(split.perS / onOne.perS).toFixed(2)}x, p99 ${(split.p99 / onOne.p99).toFixed(2)}x; cluster node vs one process: p99 ${(onOne.p99 / alone.p99).toFixed(2)}x`);
  } finally {
    await cluster.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchCluster();
}
