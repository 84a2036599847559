import { readdirSync, readFileSync } from 'node:fs';

/** A launch flag: with a spare renderer kept warm, a new page would take that one and start another. */
export const WITHOUT_SPARE_RENDERER = '--disable-features=SpareRendererForSitePerProcess';

/**
 * The pids of the Chromium renderer processes this process started (at any
 * depth), read from /proc: Linux only, as CI is.
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

/**
 * Runs `open` (a page opening, in a browser launched WITHOUT_SPARE_RENDERER)
 * and returns what it returned with the one renderer process that appeared
 * meanwhile: that page's, which a test can stop (SIGSTOP) the way a machine
 * starved of CPU stops a page. Throws if not exactly one appeared.
 */
export async function withNewRenderer<T>(open: () => Promise<T>): Promise<{ opened: T; rendererPid: number }> {
  const before = ownRendererPids();
  const opened = await open();
  const fresh = [...ownRendererPids()].filter((pid) => !before.has(pid));
  if (fresh.length !== 1) throw new Error(`expected one new renderer process for the page, found ${fresh.length}`);
  return { opened, rendererPid: fresh[0] as number };
}
