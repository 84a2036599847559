import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { TestClient } from './testing/test-client';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

it('ends within ten seconds of SIGTERM while its log reader is gone and a client never reads', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-shutdown-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  // stdout is a pipe nobody reads: trace logging fills it within a few hundred lines.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'trace', PARLEY_DATA_DIR: dataDir, PARLEY_SECRET: 'shutdown-test-secret-0123' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ready = false;
  child.stdout.once('data', () => {
    ready = true;
    child.stdout.pause(); // and never read again
  });
  while (!ready) await new Promise((r) => setTimeout(r, 50));
  const url = `ws://127.0.0.1:${port}/ws`;
  let client: TestClient | undefined;
  for (let i = 0; i < 100 && !client; i++) {
    client = await TestClient.connect(url, 'Ada').catch(() => undefined);
    if (!client) await new Promise((r) => setTimeout(r, 100));
  }
  if (!client) throw new Error('server never came up');
  client.send({ type: 'room.join', roomId: 'den' });
  await client.next('room.joined');
  const bob = await TestClient.connect(url, 'Bob');
  cleanups.push(() => bob.socket.terminate());
  bob.send({ type: 'room.join', roomId: 'den' });
  await bob.next('room.joined');
  // Signals are logged whole at trace: about a megabyte of log, several times what the
  // stdout socket's buffers hold, so a synchronous logger would now be stuck in a write.
  const sdp = 'v=0 '.repeat(10_000);
  const SIGNALS = 24; // within the sender's frame budget (a 40 KB signal weighs 5 tokens of 150)
  for (let i = 0; i < SIGNALS; i++) client.send({ type: 'peer.signal', to: bob.userId, signal: { kind: 'description', epoch: i, description: { type: 'offer', sdp } } });
  await bob.next('peer.signal', (m) => m.signal.epoch === SIGNALS - 1);
  // The client stops reading.
  (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  cleanups.push(() => client?.socket.terminate());

  const signalledAt = Date.now();
  child.kill('SIGTERM');
  await exited;
  expect(Date.now() - signalledAt).toBeLessThan(10_500);
}, 60_000);
