import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './free-port';

/** A redis-server for tests on a free loopback port, keeping nothing on disk; it can be killed and started again on the same port. */
export type TestRedis = {
  url: string;
  port: number;
  /** `kill -9`, then a fresh (empty) server on the same port after `downMs` and once `whileDown` (what the test checks meanwhile) has resolved. */
  restart(options?: { downMs?: number; whileDown?: () => Promise<void> }): Promise<void>;
  /** `kill -9`: everything it held is gone. */
  kill(): Promise<void>;
  /** A fresh (empty) server on the same port, once it accepts connections. */
  start(): Promise<void>;
  stop(): Promise<void>;
};


function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child = started;
    const exited = new Promise<never>((_, reject) =>
      started.once('exit', (code) => reject(new Error(`redis-server exited (${String(code)}); is it installed? apt-get install -y redis-server`))),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (!(await Promise.race([accepting(port), exited]))) {
      if (Date.now() > deadline) throw new Error('redis-server did not start within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const kill = async (): Promise<void> => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null) return;
    const gone = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGKILL');
    await gone;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart({ downMs = 0, whileDown } = {}) {
      await kill();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      try {
        await whileDown?.();
      } finally {
        await launch();
      }
    },
    kill,
    start: launch,
    stop: kill,
  };
}
