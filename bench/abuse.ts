/**
 * Attacks on a local server (the built one, as a process of its own), each for
 * a few seconds, while a well-behaved two-person room chats and signals:
 * server RSS before, at its peak and after each attack; the well-behaved
 * messages' latency (send -> arrival at the other member, one clock) p50/p99
 * during each attack against the same figure with no attack; and how many
 * sockets one address got accepted. Goals (issue 10): RSS peak under +50 MB
 * for every attack, well-behaved p99 under 50 ms throughout.
 *
 * The server runs with its default limits. Everything comes from 127.0.0.1, so
 * the well-behaved pair shares the attackers' address: per-address chat
 * budgets would throttle the pair along with the attacker. The pair therefore
 * signals (per-socket budgets); chat floods are measured by what they store.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, ServerProcess } from '@parley/e2e/support';
import { LIMITS, PROTOCOL_VERSION, type ServerMessage } from '@parley/protocol';
import WebSocket from 'ws';
import { openDatabase } from '../apps/server/src/store/database';
import { RawSocket } from '../apps/server/src/testing/raw-socket';
import { loadAverage } from './lib/cpu';
import { percentile } from './lib/stats';
import { WireClient } from './lib/wire-client';

const ATTACK_SECONDS = Number(process.env.BENCH_ABUSE_SECONDS ?? 4);
const ROOM = 'calm';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Ada signals Bob ten times a second; Bob notes each signal's latency while `recording`. */
async function calmPair(port: number) {
  let recording: number[] | undefined;
  let ada!: WireClient;
  const joined: Array<Promise<void>> = [];
  const join = (name: string, onMessage: (m: ServerMessage) => void) =>
    new Promise<WireClient>((resolve, reject) => {
      let client: WireClient;
      let done!: () => void;
      joined.push(new Promise<void>((r) => (done = r)));
      void WireClient.connect(port, name, (m) => {
        if (m.type === 'room.joined') done();
        onMessage(m);
      }).then((c) => {
        client = c;
        client.send({ type: 'room.join', roomId: ROOM });
        resolve(client);
      }, reject);
    });
  const bob = await join('Bob', (m) => {
    if (m.type !== 'peer.signal' || m.signal.kind !== 'candidate' || !recording) return;
    recording.push(performance.now() - Number(m.signal.candidate.candidate));
  });
  ada = await join('Ada', () => {});
  await Promise.all(joined);
  const timer = setInterval(() => {
    ada.send({ type: 'peer.signal', to: bob.userId, signal: { kind: 'candidate', epoch: 1, candidate: { candidate: String(performance.now()) } } });
  }, 100);
  return {
    async measure(during: () => Promise<void>): Promise<number[]> {
      recording = [];
      await during();
      const samples = recording;
      recording = undefined;
      return samples;
    },
    close() {
      clearInterval(timer);
      ada.close();
      bob.close();
    },
  };
}

type Attack = { name: string; run(port: number, until: number): Promise<{ note?: string }> };

/** Opens a ws socket and says hello; resolves undefined when the server refuses it. */
async function hello(port: number, name: string): Promise<WebSocket | undefined> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  socket.on('error', () => {});
  const open = await new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('error', () => resolve(false));
    socket.once('unexpected-response', () => resolve(false));
  });
  if (!open) return undefined;
  socket.send(JSON.stringify({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: name }));
  return socket;
}

const ATTACKS: Attack[] = [
  {
    name: 'history requests from 5 clients that never read',
    async run(port, until) {
      const readers = await Promise.all(Array.from({ length: 5 }, () => RawSocket.open(`ws://127.0.0.1:${port}/ws`)));
      for (const [i, r] of readers.entries()) {
        r.send({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: `Slow ${i}` });
        r.send({ type: 'room.join', roomId: 'library' });
      }
      while (performance.now() < until) {
        for (const r of readers) if (!r.socket.destroyed) r.send({ type: 'chat.history', roomId: 'library', limit: LIMITS.chatHistoryMaxPage });
        await sleep(20);
      }
      const cut = readers.filter((r) => r.socket.destroyed).length;
      for (const r of readers) r.destroy();
      return { note: `${cut} of 5 cut off by the server` };
    },
  },
  {
    name: 'voice.state flood from 10 members of the calm room',
    async run(port, until) {
      const sockets = (await Promise.all(Array.from({ length: 8 }, (_, i) => hello(port, `Toggler ${i}`)))).filter((s): s is WebSocket => !!s);
      for (const s of sockets) s.send(JSON.stringify({ type: 'room.join', roomId: ROOM }));
      let sent = 0;
      while (performance.now() < until) {
        for (const s of sockets) if (s.readyState === WebSocket.OPEN) (s.send(JSON.stringify({ type: 'voice.state', muted: sent % 2 === 0, deafened: false })), sent++);
        await sleep(1);
      }
      const closed = sockets.filter((s) => s.readyState !== WebSocket.OPEN).length;
      for (const s of sockets) s.terminate();
      return { note: `${sent} toggles sent, ${closed} of ${sockets.length} sockets closed` };
    },
  },
  {
    name: 'room.join / room.leave flood',
    async run(port, until) {
      const sockets = (await Promise.all(Array.from({ length: 5 }, (_, i) => hello(port, `Door ${i}`)))).filter((s): s is WebSocket => !!s);
      let n = 0;
      while (performance.now() < until) {
        for (const s of sockets) if (s.readyState === WebSocket.OPEN) s.send(JSON.stringify(n % 2 === 0 ? { type: 'room.join', roomId: `r-${n}` } : { type: 'room.leave' }));
        n++;
        await sleep(2);
      }
      for (const s of sockets) s.terminate();
      return {};
    },
  },
  {
    name: '48 KB offers flooded at a member of the calm room',
    async run(port, until) {
      const sockets = (await Promise.all(Array.from({ length: 3 }, (_, i) => hello(port, `Offerer ${i}`)))).filter((s): s is WebSocket => !!s);
      let target: string | undefined;
      for (const s of sockets) {
        s.on('message', (data) => {
          const m = JSON.parse(String(data)) as ServerMessage;
          if (m.type === 'room.joined') target = m.participants.find((p) => p.displayName === 'Bob')?.userId;
        });
        s.send(JSON.stringify({ type: 'room.join', roomId: ROOM }));
      }
      while (!target && performance.now() < until) await sleep(10);
      const offer = JSON.stringify({ type: 'peer.signal', to: target, signal: { kind: 'description', epoch: 1, description: { type: 'offer', sdp: 'a'.repeat(LIMITS.sdpMaxChars - 100) } } });
      let sent = 0;
      while (performance.now() < until) {
        for (const s of sockets) if (s.readyState === WebSocket.OPEN && s.bufferedAmount < 1e6) (s.send(offer), sent++);
        await sleep(5);
      }
      for (const s of sockets) s.terminate();
      return { note: `${sent} offers sent` };
    },
  },
  {
    name: '300 sockets from one address',
    async run(port, until) {
      const sockets: WebSocket[] = [];
      let accepted = 0;
      for (let i = 0; i < 300 && performance.now() < until; i++) {
        const s = await hello(port, `Crowd ${i}`);
        if (s) (accepted++, sockets.push(s));
      }
      await sleep(Math.max(0, until - performance.now()));
      for (const s of sockets) s.terminate();
      return { note: `${accepted} of 300 accepted` };
    },
  },
  {
    name: 'chat from 50 fresh identities at once',
    async run(port, until) {
      let stored = 0;
      const sockets: WebSocket[] = [];
      for (let i = 0; i < 50; i++) {
        const s = await hello(port, `Spam ${i}`);
        if (!s) continue;
        s.on('message', (data) => {
          if ((JSON.parse(String(data)) as ServerMessage).type === 'chat.ack') stored++;
        });
        s.send(JSON.stringify({ type: 'room.join', roomId: 'market' }));
        sockets.push(s);
      }
      let n = 0;
      while (performance.now() < until) {
        for (const s of sockets) if (s.readyState === WebSocket.OPEN) s.send(JSON.stringify({ type: 'chat.send', roomId: 'market', clientId: `spam-${n++}-xxxxxxxx`, text: 'buy now' }));
        await sleep(10);
      }
      for (const s of sockets) s.terminate();
      return { note: `${stored} messages stored in ${ATTACK_SECONDS} s` };
    },
  },
];

/** A room with the biggest history page there is, for the slow readers to ask for: written into the database before the server starts. */
function fillLibrary(dataDir: string): void {
  const db = openDatabase(dataDir, Date.now);
  const text = 'x'.repeat(LIMITS.chatTextMaxChars);
  for (let i = 0; i < LIMITS.chatHistoryMaxPage; i++) {
    db.chat.append({ roomId: 'library', clientId: `lib-${String(i).padStart(6, '0')}`, userId: 'librarian', displayName: 'Librarian', text, sentAt: Date.now() });
  }
  db.close();
}

export async function benchAbuse(): Promise<void> {
  // The server runs with its default limits: what an operator gets.
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-abuse-'));
  fillLibrary(dataDir);
  const server = new ServerProcess(await freePort(), { PARLEY_DATA_DIR: dataDir });
  await server.start();
  const pid = server.pid as number;
  try {
    console.log(`load before: ${loadAverage()}`);
    const pair = await calmPair(server.port);
    await sleep(1_000);
    const quiet = await pair.measure(() => sleep(ATTACK_SECONDS * 1000));
    const baseline = `p50 ${percentile(quiet, 50).toFixed(1)} ms, p99 ${percentile(quiet, 99).toFixed(1)} ms`;
    console.log(`no attack: well-behaved signal latency ${baseline} (${quiet.length} samples); RSS ${rssMb(pid).toFixed(0)} MB`);
    for (const attack of ATTACKS) {
      const before = rssMb(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
      let note: string | undefined;
      const samples = await pair.measure(async () => {
        note = (await attack.run(server.port, performance.now() + ATTACK_SECONDS * 1000)).note;
      });
      await sleep(1_000);
      clearInterval(sampler);
      const after = rssMb(pid);
      console.log(
        `${attack.name}: RSS ${before.toFixed(0)} -> peak ${peak.toFixed(0)} (+${(peak - before).toFixed(0)} MB) -> ${after.toFixed(0)} MB; ` +
          `well-behaved p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms (${samples.length} samples; no attack: ${baseline})` +
          (note ? `; ${note}` : ''),
      );
    }
    pair.close();
    console.log(`load after: ${loadAverage()}`);
  } finally {
    await server.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchAbuse();
}
