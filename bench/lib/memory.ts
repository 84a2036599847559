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

/** The cost of each of `count` connections: the difference between two readings, per connection, in kB. */
export type PerConnection = {
  /** RSS without the young generation's pages: what the connections hold. */
  heldKb: number;
  /** V8 heap in use plus external memory. */
  heapKb: number;
  /** RSS as the OS counts it, the young generation's pages included. */
  rssKb: number;
  youngMb: { before: number; after: number };
};

export function perConnection(before: MemoryReading, after: MemoryReading, count: number): PerConnection {
  const kb = (bytes: number) => bytes / 1024 / count;
  return {
    heldKb: kb(after.rssBytes - after.youngBytes - (before.rssBytes - before.youngBytes)),
    heapKb: kb(after.heapUsedBytes + after.externalBytes - (before.heapUsedBytes + before.externalBytes)),
    rssKb: kb(after.rssBytes - before.rssBytes),
    youngMb: { before: before.youngBytes / 2 ** 20, after: after.youngBytes / 2 ** 20 },
  };
}

/** "9.4 kB held (heap+external 7.1 kB; RSS 21.0 kB with the young generation, 8.0 -> 20.0 MB)" */
export function describePerConnection(cost: PerConnection): string {
  const { heldKb, heapKb, rssKb, youngMb } = cost;
  return `${heldKb.toFixed(1)} kB held (heap+external ${heapKb.toFixed(1)} kB; RSS ${rssKb.toFixed(1)} kB with V8's young generation, ${youngMb.before.toFixed(1)} -> ${youngMb.after.toFixed(1)} MB)`;
}
