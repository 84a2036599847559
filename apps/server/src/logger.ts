import pino, { type Logger } from 'pino';
import SonicBoom from 'sonic-boom';

/** Log lines that may wait for a slow or stuck stdout before new ones are dropped. */
const MAX_BUFFERED_LOG_BYTES = 4 * 1024 * 1024;

export type ProcessLogger = {
  logger: Logger;
  /** Writes out what is buffered, waiting at most `timeoutMs` (a stuck stdout must not hold up an exit). */
  flush(timeoutMs: number): Promise<void>;
};

/**
 * The process's logger: JSON lines to stdout, written asynchronously so that a
 * log reader that is slow, stuck or gone never blocks the event loop (pino's
 * default writes synchronously, and a full pipe then stops the whole server,
 * signal handlers included). Past MAX_BUFFERED_LOG_BYTES waiting, new lines
 * are dropped rather than held; a write error (the reader went away) is ignored.
 * The stream is made here rather than with pino.destination(), which registers
 * a flushSync at process exit: on a stdout nobody reads, that loop retries
 * forever and the process never exits (the shutdown test shows it).
 */
export function createProcessLogger(level: string): ProcessLogger {
  const destination = new SonicBoom({ fd: 1, sync: false, maxLength: MAX_BUFFERED_LOG_BYTES });
  destination.on('error', () => {});
  const logger = pino({ level }, destination);
  return {
    logger,
    flush: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        try {
          destination.flush(() => {
            clearTimeout(timer);
            resolve();
          });
        } catch {
          resolve();
        }
      }),
  };
}
