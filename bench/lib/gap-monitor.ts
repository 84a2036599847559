import type { Page } from '@playwright/test';

/**
 * Inside the page, every `intervalMs`: for each remote person, the longest
 * time inbound audio bytes did not grow. Audio is 20 ms packets, so a healthy
 * path shows gaps of a few tens of milliseconds; an interrupted one, seconds.
 * Sent as source text: tsx rewrites named functions in evaluate() callbacks
 * with a helper the page does not have.
 */
const START = (intervalMs: number) => `(() => {
  const state = {};
  const tick = async () => {
    const now = performance.now();
    for (const link of await window.__parleyTest.links()) {
      if (!link.name) continue;
      const entry = state[link.name] || (state[link.name] = { lastBytes: link.bytesReceived, lastChangeAt: now, maxGapMs: 0 });
      if (link.bytesReceived !== entry.lastBytes) {
        entry.maxGapMs = Math.max(entry.maxGapMs, now - entry.lastChangeAt);
        entry.lastBytes = link.bytesReceived;
        entry.lastChangeAt = now;
      }
    }
  };
  window.__gapMonitor = { state, timer: setInterval(() => void tick(), ${intervalMs}) };
})()`;

const STOP = `(() => {
  const monitor = window.__gapMonitor;
  if (!monitor) throw new Error('gap monitor not running');
  clearInterval(monitor.timer);
  const now = performance.now();
  const out = {};
  for (const [name, entry] of Object.entries(monitor.state)) out[name] = Math.max(entry.maxGapMs, now - entry.lastChangeAt);
  return out;
})()`;

export async function startGapMonitor(page: Page, intervalMs = 25): Promise<void> {
  await page.evaluate(START(intervalMs));
}

/** Stops the monitor; the longest gap per remote person, counting a gap still open now. */
export async function stopGapMonitor(page: Page): Promise<Record<string, number>> {
  return (await page.evaluate(STOP)) as Record<string, number>;
}
