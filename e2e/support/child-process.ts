import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A child process a test can start, wait for, kill and start again: what the
 * server and coturn fixtures share. Keeps the tail of its output for failure
 * messages.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(private readonly name: string) {}

  /** What it last printed (the last 20 kB) and whether it still runs, for a failure message. */
  describe(): string {
    return `${this.name} ${this.child ? 'running' : 'not running'}; its last output:\n${this.output || '(none)'}`;
  }

  /** The running process's id, for reading its memory (bench/abuse.ts). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process, then polls `ready` until it says yes, the process exits, or time runs out. */
  async start(command: string, args: string[], env: NodeJS.ProcessEnv, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    if (this.child) throw new Error(`${this.name} already running`);
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
      if (!this.child) throw new Error(`${this.name} exited during start:\n${this.output}`);
      if (await ready()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.name} was not ready in ${timeoutMs} ms:\n${this.output}`);
  }

  /** Sends `signal` and returns at once: SIGSTOP freezes the process, SIGCONT thaws it. */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** Stops the process with `signal` and waits until it has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}
