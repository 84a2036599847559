import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A machine already busy: `cores` processes that each spin on one core for
 * as long as they run (ordinary scheduling, as a build or another tab's
 * script would be), stopped by the returned function. Benchmarks take the
 * count from BUSY_CORES (BENCH_BUSY_CORES; 0: none).
 */
export function occupyCores(cores: number): () => void {
  const spinners: ChildProcess[] = [];
  for (let i = 0; i < cores; i++) {
    spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  }
  return () => {
    for (const spinner of spinners) spinner.kill('SIGKILL');
  };
}

/** BENCH_BUSY_CORES, 0 when unset. */
export const BUSY_CORES = Number(process.env.BENCH_BUSY_CORES ?? 0);
