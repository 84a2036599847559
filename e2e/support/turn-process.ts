import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/**
 * A real coturn (Debian's `turnserver`) on loopback with time-limited REST
 * credentials, so a test can kill it and start it again like a crashed relay.
 */
export class TurnProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    readonly port: number,
    readonly secret: string,
    private readonly relayPorts: { min: number; max: number },
  ) {}

  get url(): string {
    return `turn:127.0.0.1:${this.port}?transport=udp`;
  }

  async start(timeoutMs = 10_000): Promise<void> {
    if (this.child) throw new Error('turnserver already running');
    const child = spawn(
      'turnserver',
      [
        '-n', // no config file: everything is on this command line
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.1',
        `--listening-port=${this.port}`,
        `--min-port=${this.relayPorts.min}`,
        `--max-port=${this.relayPorts.max}`,
        '--realm=parley.test',
        '--use-auth-secret',
        `--static-auth-secret=${this.secret}`,
        '--allow-loopback-peers', // otherwise 403 Forbidden IP for 127.0.0.1 peers
        '--no-tls',
        '--no-dtls',
        '--no-cli',
        '--fingerprint',
        '--log-file=stdout',
        '--simple-log',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const capture = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`turnserver exited during start:\n${this.output}`);
      if (await tcpAccepts(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`turnserver did not listen in ${timeoutMs} ms:\n${this.output}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  get log(): string {
    return this.output;
  }
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
