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
  /** Base delay of the first retry; the actual delay is jittered below it. */
  initialDelayMs?: number;
  /** No delay ever exceeds this. */
  maxDelayMs?: number;
  /** Give up once the outage has lasted this long. Default: never give up. */
  maxElapsedMs?: number;
  /** Share of each delay taken off at random, in [0, 1]: spreads reconnecting clients apart. */
  jitterRatio?: number;
  /**
   * For this long after the drop, no delay exceeds `fastPhaseMaxDelayMs`:
   * most outages are a blip or a restart of a few seconds, and a voice room
   * should be whole again within a second or so of the server being back.
   */
  fastPhaseMs?: number;
  fastPhaseMaxDelayMs?: number;
  /** Uniform in [0, 1). */
  random?: () => number;
};

/**
 * Exponential backoff with jitter: the base delay doubles from `initialDelayMs`
 * (100 ms) up to `maxDelayMs` (10 s), and each delay is the base minus up to
 * half of it at random, so the first retry comes within 100 ms and none waits
 * longer than the cap. During the first `fastPhaseMs` (30 s) the base stays at
 * most `fastPhaseMaxDelayMs` (1 s): a restarted server is found again within a
 * second, and only a long outage backs off to the cap. By default it never
 * gives up: a voice room stays open as long as the page does.
 */
export function exponentialBackoff(options: BackoffOptions = {}): ReconnectPolicy {
  const {
    initialDelayMs = 100,
    maxDelayMs = 10_000,
    maxElapsedMs = Number.POSITIVE_INFINITY,
    jitterRatio = 0.5,
    fastPhaseMs = 30_000,
    fastPhaseMaxDelayMs = 1_000,
    random = () => 0,
  } = options;
  const jitter = Math.min(1, Math.max(0, jitterRatio));
  return {
    nextRetryDelayInMs({ retryCount, elapsedMs }) {
      if (elapsedMs >= maxElapsedMs) return null;
      const cap = elapsedMs < fastPhaseMs ? Math.min(maxDelayMs, fastPhaseMaxDelayMs) : maxDelayMs;
      const base = Math.min(cap, initialDelayMs * 2 ** Math.min(Math.max(0, retryCount), 30));
      const share = Math.min(1, Math.max(0, random()));
      return Math.round(base * (1 - jitter * share));
    },
  };
}

export const neverReconnect: ReconnectPolicy = { nextRetryDelayInMs: () => null };
