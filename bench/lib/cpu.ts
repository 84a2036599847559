import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by every Chromium process on this machine (user + system, from /proc). */
export function chromiumCpuSeconds(): number {
  const ticksPerSecond = 100;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks / ticksPerSecond;
}

/** Share of one core Chromium used over `windowMs`, per page. */
export async function cpuPerPage(pages: number, windowMs = 10_000): Promise<number> {
  const before = chromiumCpuSeconds();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  return (chromiumCpuSeconds() - before) / (windowMs / 1000) / pages;
}

/** The machine's load average over the last minute, for the record. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
