import { createHistogram, performance } from 'node:perf_hooks';

/** How late the event loop was, in seconds, over a stretch of time. */
export type EventLoopReading = { p99Seconds: number; maxSeconds: number };

export type EventLoopDelay = {
  /** The stretch since the previous call, after which a new one begins; the first call starts watching and reads zeros. */
  sinceLastRead(): EventLoopReading;
  stop(): void;
};

const RESOLUTION_MS = 20;

/**
 * Watches how late this process's event loop runs: a timer due every 20 ms
 * records how much later than that it ran. Every frame of every socket waits
 * on that loop: a loop held up for seconds is every participant's signaling
 * gone quiet at once, which is worth telling apart from a quiet network.
 * Read by /metrics only, so each scrape covers the time since the one before,
 * and the timer starts with the first scrape: a server nobody scrapes (no
 * PARLEY_METRICS_TOKEN, or no scraper yet) is not woken 50 times a second.
 *
 * Not Node's monitorEventLoopDelay: after its reset() the first timer only
 * starts counting again, so a stall that spans a scrape was dropped
 * (measured on Node 20: a 300 ms block right after a reset read as 20 ms).
 * Here the clock runs on across readings.
 */
export function watchEventLoopDelay(): EventLoopDelay {
  let histogram = createHistogram();
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    let last = performance.now();
    timer = setInterval(() => {
      const now = performance.now();
      // In nanoseconds; a histogram records whole numbers from 1.
      histogram.record(Math.max(1, Math.round((now - last - RESOLUTION_MS) * 1e6)));
      last = now;
    }, RESOLUTION_MS);
    timer.unref();
  };
  return {
    sinceLastRead() {
      if (timer === undefined) start();
      const reading =
        histogram.count === 0 ? { p99Seconds: 0, maxSeconds: 0 } : { p99Seconds: histogram.percentile(99) / 1e9, maxSeconds: histogram.max / 1e9 };
      histogram = createHistogram();
      return reading;
    },
    stop: () => clearInterval(timer),
  };
}
