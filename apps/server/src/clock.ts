/** Time enters the server through this interface so timers can be faked in tests. */
export type Clock = {
  now(): number;
  /** Runs `fn` once after `delayMs`; returns a function that cancels it. */
  setTimeout(fn: () => void, delayMs: number): () => void;
  /** Runs `fn` every `intervalMs`; returns a function that stops it. */
  setInterval(fn: () => void, intervalMs: number): () => void;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, delayMs) {
    const handle = setTimeout(fn, delayMs);
    return () => clearTimeout(handle);
  },
  setInterval(fn, intervalMs) {
    const handle = setInterval(fn, intervalMs);
    return () => clearInterval(handle);
  },
};
