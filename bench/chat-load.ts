/**
 * Chat under load, with Node clients on the real server process:
 *  1. CLIENTS clients in ROOMS rooms, each sending one message a second for
 *     SECONDS s: delivery latency (send -> chat.message at every other member,
 *     one clock since all clients live in this process), p50/p99.
 *  2. One room flooded by FLOODERS clients sending as fast as the server
 *     acknowledges (rate limit lifted): stored messages per second.
 */
import { performance } from 'node:perf_hooks';
import { freePort, ServerProcess } from '@parley/e2e/support';
import type { ServerMessage } from '@parley/protocol';
import { percentile } from './lib/stats';
import { ONE_ADDRESS_ENV } from './lib/targets';
import { WireClient } from './lib/wire-client';

const CLIENTS = Number(process.env.BENCH_CHAT_CLIENTS ?? 500);
// Rooms hold at most 10 people (LIMITS.maxRoomSize: a full mesh), so 500 clients fill 50 rooms.
const ROOMS = Number(process.env.BENCH_CHAT_ROOMS ?? 50);
const SECONDS = Number(process.env.BENCH_CHAT_SECONDS ?? 20);
const FLOODERS = Number(process.env.BENCH_CHAT_FLOODERS ?? 10);
const FLOOD_SECONDS = Number(process.env.BENCH_CHAT_FLOOD_SECONDS ?? 10);
const IN_FLIGHT = 8;

async function withServer<T>(env: Record<string, string>, run: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = new ServerProcess(await freePort(), { ...ONE_ADDRESS_ENV, ...env });
  await server.start();
  try {
    return await run(server);
  } finally {
    await server.dispose();
  }
}

async function joinAll(port: number, count: number, roomOf: (i: number) => string, onMessage: (i: number, m: ServerMessage) => void) {
  const clients: WireClient[] = [];
  const joined: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    let markJoined!: () => void;
    let refuse!: (error: Error) => void;
    joined.push(new Promise<void>((resolve, reject) => ((markJoined = resolve), (refuse = reject))));
    const client = await WireClient.connect(port, `bot ${i}`, (m) => {
      if (m.type === 'room.joined') markJoined();
      if (m.type === 'error' && m.inReplyTo === 'room.join') refuse(new Error(`bot ${i} could not join: ${m.code}`));
      onMessage(i, m);
    });
    client.send({ type: 'room.join', roomId: roomOf(i) });
    clients.push(client);
  }
  await Promise.all(joined);
  return clients;
}

async function steadyLoad(): Promise<void> {
  await withServer({}, async (server) => {
    const latencies: number[] = [];
    let measuring = false;
    const roomOf = (i: number) => `load-${i % ROOMS}`;
    const clients = await joinAll(server.port, CLIENTS, roomOf, (_i, m) => {
      if (m.type !== 'chat.message' || !measuring) return;
      const sentAt = Number(m.message.text.split(' ')[0]);
      if (Number.isFinite(sentAt)) latencies.push(performance.now() - sentAt);
    });
    let sent = 0;
    let seq = 0;
    const timers = clients.map((client, i) =>
      setTimeout(() => {
        const tick = () => {
          client.send({ type: 'chat.send', roomId: roomOf(i), clientId: `c${i}-m${seq++}-xxxxxx`, text: `${performance.now()} hello` });
          sent++;
        };
        tick();
        timers[i] = setInterval(tick, 1000);
      }, (i * 1000) / CLIENTS),
    ) as Array<NodeJS.Timeout>;
    await new Promise((r) => setTimeout(r, 3_000)); // warm up
    measuring = true;
    const sentAtStart = sent;
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    for (const timer of timers) clearInterval(timer);
    const perRoom = CLIENTS / ROOMS;
    console.log(
      `${CLIENTS} clients in ${ROOMS} rooms (${perRoom} each), 1 message/s each for ${SECONDS} s: ` +
        `${sent - sentAtStart} sent, ${latencies.length} deliveries; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );
    for (const client of clients) client.close();
  });
}

async function flood(): Promise<void> {
  await withServer({ PARLEY_CHAT_RATE_PER_S: '1000', PARLEY_CHAT_BURST: '10000', PARLEY_CHAT_ROOM_RATE_PER_S: '10000', PARLEY_CHAT_ROOM_BURST: '100000' }, async (server) => {
    let acked = 0;
    let running = true;
    const outstanding = new Map<number, number>();
    let clients: WireClient[] = [];
    const sendNext = (i: number) => {
      const client = clients[i];
      if (!client || !running) return;
      const n = (outstanding.get(i) ?? 0) + 1;
      outstanding.set(i, n);
      client.send({ type: 'chat.send', roomId: 'flood', clientId: `f${i}-${acked}-${n}-${Math.random().toString(36).slice(2, 10)}`, text: 'flood' });
    };
    clients = await joinAll(server.port, FLOODERS, () => 'flood', (i, m) => {
      if (m.type === 'chat.ack') {
        acked++;
        sendNext(i);
      } else if (m.type === 'error') {
        sendNext(i);
      }
    });
    const started = performance.now();
    for (let i = 0; i < FLOODERS; i++) for (let k = 0; k < IN_FLIGHT; k++) sendNext(i);
    await new Promise((r) => setTimeout(r, FLOOD_SECONDS * 1000));
    running = false;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `one room flooded by ${FLOODERS} clients (${IN_FLIGHT} in flight each) for ${FLOOD_SECONDS} s: ` +
        `${acked} messages stored, ${Math.round(acked / seconds)} stored messages/s (each also delivered to ${FLOODERS - 1} others)`,
    );
    for (const client of clients) client.close();
  });
}

export async function benchChat(): Promise<void> {
  await steadyLoad();
  await flood();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchChat();
}
