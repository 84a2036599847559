import { connect } from 'node:net';
import { ManagedProcess } from './child-process';

/**
 * A real coturn (Debian's `turnserver`) on loopback with time-limited REST
 * credentials, so a test can kill it and start it again like a crashed relay.
 */
export class TurnProcess {
  private readonly process = new ManagedProcess('turnserver');

  constructor(
    readonly port: number,
    readonly secret: string,
    private readonly relayPorts: { min: number; max: number },
  ) {}

  get url(): string {
    return `turn:127.0.0.1:${this.port}?transport=udp`;
  }

  async start(timeoutMs = 10_000): Promise<void> {
    const args = [
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
    ];
    await this.process.start('turnserver', args, process.env, () => tcpAccepts(this.port), timeoutMs);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.process.kill(signal);
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
