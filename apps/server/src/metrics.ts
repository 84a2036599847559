/** Process-wide counters, shown at GET /metrics. Mutated by the transport and the chat service. */
export type Counters = {
  /** Sockets open right now. */
  socketsOpen: number;
  /** Sockets accepted since start. */
  socketsAccepted: number;
  /** Frames received since start, valid or not. */
  messagesIn: number;
  /** `error` frames sent since start. */
  errorsSent: number;
  /** Chat messages stored since start (resends of a stored clientId not counted). */
  chatMessagesStored: number;
  /** chat.send refused with rate_limited since start. */
  chatRateLimited: number;
  /** Chat store operations that failed since start. */
  chatStoreFailures: number;
};

export function createCounters(): Counters {
  return {
    socketsOpen: 0,
    socketsAccepted: 0,
    messagesIn: 0,
    errorsSent: 0,
    chatMessagesStored: 0,
    chatRateLimited: 0,
    chatStoreFailures: 0,
  };
}

/** Everything /metrics and /healthz report. */
export type Stats = Counters & { rooms: number; participants: number };
