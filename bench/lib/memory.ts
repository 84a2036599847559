import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './stats';

const PROBE = fileURLToPath(new URL('./memory-probe.cjs', import.meta.url));

/** What a measured process holds right after a full garbage collection (memory-probe.cjs). */
export type MemoryReading = {
  rssBytes: number;
  heapUsedBytes: number;
  /** Memory outside the V8 heap that JavaScript objects own (Buffers and the like). */
  externalBytes: number;
  /** Resident pages of V8's young generation: empty after the collection, sized by the recent allocation rate. */
  youngBytes: number;
};

/**
 * Reads the memory of a child process started with `env` in its environment:
 * collected (gc) first, so a reading is what the process holds, not garbage
 * that a later collection would have freed.
 */
export class MemoryProbe {
  private readonly dir = mkdtempSync(join(tmpdir(), 'parley-bench-memory-'));
  private readonly file = join(this.dir, 'reading.json');

  /** The environment (NODE_OPTIONS and the reading's file) a measured process must start with. */
  get env(): Record<string, string> {
    return { NODE_OPTIONS: `--expose-gc --require ${PROBE}`, BENCH_MEMORY_FILE: this.file };
  }

  async read(pid: number | undefined): Promise<MemoryReading> {
    if (pid === undefined) throw new Error('the measured process is not running');
    rmSync(this.file, { force: true });
    process.kill(pid, 'SIGUSR2');
    await waitFor(async () => (existsSync(this.file) ? true : undefined), 10_000, `a memory reading from process ${pid}`);
    return JSON.parse(readFileSync(this.file, 'utf8')) as MemoryReading;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What each of `count` connections made between two readings cost, in kB. */
export type PerConnection = {
  /** RSS without the young generation's pages: what the connections hold. */
  heldKb: number;
  /** V8 heap in use plus external memory. */
  heapKb: number;
  /** RSS as the OS counts it, the young generation's pages included. */
  rssKb: number;
};

function perConnection(before: MemoryReading, after: MemoryReading, count: number): PerConnection {
  const kb = (bytes: number) => bytes / 1024 / count;
  return {
    heldKb: kb(after.rssBytes - after.youngBytes - (before.rssBytes - before.youngBytes)),
    heapKb: kb(after.heapUsedBytes + after.externalBytes - (before.heapUsedBytes + before.externalBytes)),
    rssKb: kb(after.rssBytes - before.rssBytes),
  };
}

/**
 * Memory as what each connection holds plus what a fresh process grows once,
 * from three readings: before any connection, after the `first`, and after
 * `next` more. The next ones give the cost of a connection; whatever the
 * first ones cost beyond it is the process's one-time growth (the code the
 * JIT compiles, the malloc arenas its compiler threads keep).
 */
export type ConnectionCost = {
  each: PerConnection;
  /** Held by the process once, beyond `each` for every connection. */
  onceMb: number;
  /** The first connections' cost as it looks on a fresh process, the one-time growth shared among them. */
  firstEach: PerConnection;
  first: number;
  youngMb: number;
};

export function connectionCost(readings: { start: MemoryReading; warmed: MemoryReading; end: MemoryReading }, first: number, next: number): ConnectionCost {
  const { start, warmed, end } = readings;
  const each = perConnection(warmed, end, next);
  const firstEach = perConnection(start, warmed, first);
  return { each, firstEach, first, onceMb: ((firstEach.heldKb - each.heldKb) * first) / 1024, youngMb: end.youngBytes / 2 ** 20 };
}

/** "5.1 kB held per connection (heap+external 4.2 kB, RSS 5.3 kB); ...: 11.2 kB each over the first 1000" */
export function describeConnectionCost(cost: ConnectionCost): string {
  const { each, firstEach, onceMb, first, youngMb } = cost;
  return (
    `${each.heldKb.toFixed(1)} kB held per connection (heap+external ${each.heapKb.toFixed(1)} kB, RSS ${each.rssKb.toFixed(1)} kB), ` +
    `plus ${onceMb.toFixed(1)} MB grown once: ${firstEach.heldKb.toFixed(1)} kB each over the first ${first}; ` +
    `V8's young generation ${youngMb.toFixed(1)} MB at the end`
  );
}
