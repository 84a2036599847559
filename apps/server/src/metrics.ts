/** Process-wide counters, shown at GET /metrics. Mutated by the transport. */
export type Counters = {
  /** Sockets open right now. */
  socketsOpen: number;
  /** Sockets accepted since start. */
  socketsAccepted: number;
  /** Frames received since start, valid or not. */
  messagesIn: number;
  /** `error` frames sent since start. */
  errorsSent: number;
};

export function createCounters(): Counters {
  return { socketsOpen: 0, socketsAccepted: 0, messagesIn: 0, errorsSent: 0 };
}

/** Everything /metrics and /healthz report. */
export type Stats = Counters & { rooms: number; participants: number };
