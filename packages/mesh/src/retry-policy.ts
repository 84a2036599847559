/** What a reconnect policy is told about the outage so far. */
export type RetryContext = {
  /** 0 for the first retry after the connection dropped. */
  retryCount: number;
  /** Time since the connection dropped. */
  elapsedMs: number;
};

/** Decides when to retry the signaling connection; null means give up. Swappable. */
export interface ReconnectPolicy {
  nextRetryDelayInMs(context: RetryContext): number | null;
}

export type BackoffOptions = {
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up once the outage has lasted this long. */
  maxElapsedMs?: number;
  /** Uniform in [0, 1): spreads reconnecting clients apart. */
  random?: () => number;
};

/** Exponential backoff with up to 50% jitter: 500 ms, 1 s, 2 s, ... capped at 10 s, for 5 minutes. */
export function exponentialBackoff(options: BackoffOptions = {}): ReconnectPolicy {
  const { initialDelayMs = 500, maxDelayMs = 10_000, maxElapsedMs = 5 * 60_000, random = () => 0 } = options;
  return {
    nextRetryDelayInMs({ retryCount, elapsedMs }) {
      if (elapsedMs >= maxElapsedMs) return null;
      const base = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(retryCount, 30));
      return Math.round(base * (1 + 0.5 * random()));
    },
  };
}

export const neverReconnect: ReconnectPolicy = { nextRetryDelayInMs: () => null };
