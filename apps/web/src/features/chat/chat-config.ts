/** Timings of the chat feature, in one place so tests and code agree. */
export const CHAT_TIMING = {
  /** A remote "is typing" entry lasts this long after its last event. */
  typingTtlMs: 5_000,
  /** We announce our own typing at most this often. */
  typingThrottleMs: 2_000,
  /** No ack this long after a send: send it again (the server dedupes by clientId). */
  ackTimeoutMs: 10_000,
  /** A rate_limited rejection without retryAfterMs waits this long. */
  defaultRetryAfterMs: 1_000,
  /** Consecutive messages of one author closer than this share one header. */
  groupWindowMs: 5 * 60_000,
} as const;
