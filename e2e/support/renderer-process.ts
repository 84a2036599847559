import { readdirSync, readFileSync } from 'node:fs';

/**
 * The pids of the Chromium renderer processes this test process started (at
 * any depth), read from /proc: Linux only, as CI is. Taken before and after a
 * page opens in a browser launched without a spare renderer
 * (WITHOUT_SPARE_RENDERER), the one new pid is that page's process, which a
 * test can stop (SIGSTOP) the way a machine starved of CPU stops a page.
 */
export function ownRendererPids(): Set<number> {
  const parents = new Map<number, number>();
  const renderers: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      // The command name may hold spaces and parentheses: the parent pid is the second field after its closing one.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(pid);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const startedHere = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  return new Set(renderers.filter(startedHere));
}

/** A launch flag: with a spare renderer kept warm, a new page would take that one and start another. */
export const WITHOUT_SPARE_RENDERER = '--disable-features=SpareRendererForSitePerProcess';
