import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from './child-process';

const SERVER_MAIN = fileURLToPath(new URL('../../apps/server/dist/main.js', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The built signaling server as a real child process, so a test can kill it
 * with SIGKILL and start it again on the same port, as a crash would. Unless
 * told otherwise it keeps its data (chat database, secret) in a temporary
 * directory of its own that lives across restarts and goes with dispose().
 */
export class ServerProcess {
  private readonly process = new ManagedProcess('parley server');
  private readonly env: Record<string, string>;
  private readonly ownDataDir: string | undefined;

  constructor(
    readonly port: number,
    env: Record<string, string> = {},
  ) {
    this.ownDataDir = env.PARLEY_DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'parley-server-')) : undefined;
    this.env = this.ownDataDir === undefined ? env : { PARLEY_DATA_DIR: this.ownDataDir, ...env };
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Whether it runs, and what it last printed (warnings and errors: see start), for a failure message. */
  describe(): string {
    return this.process.describe();
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 15_000): Promise<void> {
    const env = { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...this.env };
    await this.process.start(process.execPath, [SERVER_MAIN], env, () => this.healthy(), timeoutMs);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.process.kill(signal);
  }

  /** SIGSTOP: the process stays, its sockets stay open, and nothing answers (a hung server). */
  freeze(): void {
    this.process.signal('SIGSTOP');
  }

  thaw(): void {
    this.process.signal('SIGCONT');
  }

  /** Shuts the server down gracefully and removes the data directory it made. */
  async dispose(): Promise<void> {
    this.thaw(); // a frozen process would never handle the SIGTERM
    await this.process.kill('SIGTERM');
    if (this.ownDataDir !== undefined) rmSync(this.ownDataDir, { recursive: true, force: true });
  }

  private async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.baseUrl}/healthz`)).ok;
    } catch {
      return false; // not listening yet
    }
  }
}
