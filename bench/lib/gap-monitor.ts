import type { Page } from '@playwright/test';

type GapState = Record<string, { lastBytes: number; lastChangeAt: number; maxGapMs: number }>;
type MonitorWindow = {
  __parleyTest: { links(): Promise<Array<{ name: string | null; bytesReceived: number }>> };
  __gapMonitor?: { state: GapState; timer: number };
};

/**
 * Inside the page, every `intervalMs`: for each remote person, the longest
 * time inbound audio bytes did not grow. Audio is 20 ms packets, so a healthy
 * path shows gaps of a few tens of milliseconds; an interrupted one, seconds.
 */
export async function startGapMonitor(page: Page, intervalMs = 25): Promise<void> {
  await page.evaluate((intervalMs) => {
    const w = window as unknown as MonitorWindow;
    const state: GapState = {};
    const tick = async () => {
      const now = performance.now();
      for (const link of await w.__parleyTest.links()) {
        if (!link.name) continue;
        const entry = (state[link.name] ??= { lastBytes: link.bytesReceived, lastChangeAt: now, maxGapMs: 0 });
        if (link.bytesReceived !== entry.lastBytes) {
          entry.maxGapMs = Math.max(entry.maxGapMs, now - entry.lastChangeAt);
          entry.lastBytes = link.bytesReceived;
          entry.lastChangeAt = now;
        }
      }
    };
    w.__gapMonitor = { state, timer: window.setInterval(() => void tick(), intervalMs) };
  }, intervalMs);
}

/** Stops the monitor; the longest gap per remote person, counting a gap still open now. */
export async function stopGapMonitor(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const w = window as unknown as MonitorWindow;
    const monitor = w.__gapMonitor;
    if (!monitor) throw new Error('gap monitor not running');
    window.clearInterval(monitor.timer);
    const now = performance.now();
    const out: Record<string, number> = {};
    for (const [name, entry] of Object.entries(monitor.state)) {
      out[name] = Math.max(entry.maxGapMs, now - entry.lastChangeAt);
    }
    return out;
  });
}
