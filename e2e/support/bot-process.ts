import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { botCommand, type BotEvent, type BotReport, isReport, parseBotLine } from '@parley/bot';
import { ManagedProcess } from './child-process';

export type BotProcessOptions = {
  /** Where to go, as `pnpm bot --url` takes it: the server's base URL will do. */
  url: string;
  room: string;
  /** Display name; with `count` > 1 the bots are "<name> 1" .. "<name> <count>". Default "Bot". */
  name?: string;
  /** Participants in the one process. Default 1. */
  count?: number;
  /** More flags for the bot: ['--silent'], ['--muted'], ['--wav', file], ['--tone', '300']. */
  args?: string[];
  /** Report interval; short, so waiting for audio costs little. Default 250 ms. */
  reportMs?: number;
  /** The bots leave by themselves after this long, should nobody dispose of them. Default 300 s. */
  lifetimeS?: number;
  /** How long start() waits for every bot to be in the room. Default 30 s (a busy machine starts tsx slowly). */
  joinTimeoutMs?: number;
};

/** How long dispose() lets the bots leave properly before SIGKILL. */
const LEAVE_TIMEOUT_MS = 5_000;
const POLL_MS = 100;

/**
 * Headless participants (`apps/bot`) for tests and benchmarks: N bots in one
 * child process, started straight with Node and tsx's loader (no pnpm, so it
 * starts fast and a signal reaches the bots themselves). ManagedProcess runs
 * it and keeps its output for failure messages, so the `--json` lines come
 * back through a file (`--out`) instead of stdout.
 */
export class BotProcess {
  private readonly process = new ManagedProcess('bots');
  private readonly reports = new Map<string, BotReport>();
  private readonly seen: BotEvent[] = [];
  private readonly joinedNames: string[] = [];
  private fd: number | undefined;
  private offset = 0;
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');
  private disposing: Promise<void> | undefined;
  /** The output file is gone: what was read is all there will be. */
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly outFile: string,
  ) {}

  /** Starts the bots and waits until every one of them is in the room. */
  static async start(options: BotProcessOptions): Promise<BotProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bots-'));
    const bots = new BotProcess(dir, join(dir, 'lines.jsonl'));
    const count = options.count ?? 1;
    const { command, args } = botCommand([
      ...['--url', options.url, '--room', options.room, '--name', options.name ?? 'Bot', '--count', String(count)],
      ...['--json', '--out', bots.outFile, '--report-ms', String(options.reportMs ?? 250)],
      ...['--duration', String(options.lifetimeS ?? 300), ...(options.args ?? [])],
    ]);
    // Without pnpm's INIT_CWD, relative paths in `args` are taken from this process's directory.
    const { INIT_CWD: _, ...env } = process.env;
    try {
      await bots.process.start(command, args, env, async () => bots.read().joinedNames.length >= count, options.joinTimeoutMs ?? 30_000);
    } catch (error) {
      await bots.dispose();
      throw error;
    }
    return bots;
  }

  /** The bots' display names, in the order they joined. */
  get names(): string[] {
    return [...this.read().joinedNames];
  }

  /** The latest report of each bot. */
  latest(): BotReport[] {
    return [...this.read().reports.values()];
  }

  /** Every event so far (joined, peerJoined, peerLeft, connection, error, left). */
  events(): BotEvent[] {
    return [...this.read().seen];
  }

  /**
   * Waits until every bot hears every one of `names` (itself excepted):
   * bytes arrived and the last interval's audio had energy. Returns the
   * reports that showed it.
   */
  async waitHearing(names: string[], timeoutMs = 15_000): Promise<BotReport[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = this.notHearing(names);
      if (missing.length === 0) return this.latest();
      const fatal = this.events().find((event): event is Extract<BotEvent, { event: 'error' }> => event.event === 'error' && event.fatal);
      if (fatal) throw new Error(`${fatal.name} ${fatal.message}`);
      if (Date.now() >= deadline) throw new Error(`after ${timeoutMs} ms: ${missing.join('; ')}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Lets the bots leave properly (SIGTERM); SIGKILL if they take too long. */
  dispose(): Promise<void> {
    this.disposing ??= this.stop();
    return this.disposing;
  }

  private async stop(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tooLong = new Promise<'too long'>((resolve) => {
      timer = setTimeout(() => resolve('too long'), LEAVE_TIMEOUT_MS);
    });
    if ((await Promise.race([this.process.kill('SIGTERM'), tooLong])) === 'too long') await this.process.kill('SIGKILL');
    clearTimeout(timer);
    this.read(); // the last lines: the bots' goodbyes
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private notHearing(names: string[]): string[] {
    const missing: string[] = [];
    for (const bot of this.names) {
      const report = this.reports.get(bot);
      for (const name of names) {
        if (name === bot) continue;
        const peer = report?.peers.find((p) => p.name === name);
        if (peer?.hearing && peer.bytes > 0) continue;
        missing.push(peer ? `${bot} does not hear ${name} (link ${peer.link}, ${peer.bytes} bytes, level ${peer.level.toFixed(3)})` : `${bot} does not see ${name}`);
      }
    }
    return missing;
  }

  /** Takes in the lines written since the last read. */
  private read(): this {
    if (this.fd === undefined) {
      if (this.closed || !existsSync(this.outFile)) return this;
      this.fd = openSync(this.outFile, 'r');
    }
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      const bytes = readSync(this.fd, chunk, 0, chunk.length, this.offset);
      if (bytes === 0) break;
      this.offset += bytes;
      this.partial += this.decoder.write(chunk.subarray(0, bytes));
    }
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    for (const text of lines) {
      const line = parseBotLine(text);
      if (!line) continue;
      if (isReport(line)) {
        this.reports.set(line.name, line);
        continue;
      }
      this.seen.push(line);
      if (line.event === 'joined' && !this.joinedNames.includes(line.name)) this.joinedNames.push(line.name);
    }
    return this;
  }
}
