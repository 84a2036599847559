import type { Clock } from '../clock';

type Timer = { id: number; dueAt: number; fn: () => void; everyMs: number | undefined };

export type FakeClock = Clock & {
  /** Moves time forward, running every timer that falls due, in order of due time. */
  advance(ms: number): void;
  /** Timers still scheduled. */
  pending(): number;
};

/** A clock that only moves when told to. Starts at a fixed, realistic epoch time. */
export function createFakeClock(startMs = Date.UTC(2030, 0, 1)): FakeClock {
  let now = startMs;
  let nextId = 1;
  let timers: Timer[] = [];

  const schedule = (fn: () => void, delayMs: number, everyMs: number | undefined): (() => void) => {
    const timer: Timer = { id: nextId++, dueAt: now + Math.max(0, delayMs), fn, everyMs };
    timers.push(timer);
    return () => {
      timers = timers.filter((t) => t !== timer);
    };
  };

  const nextDue = (until: number): Timer | undefined =>
    timers.filter((t) => t.dueAt <= until).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];

  return {
    now: () => now,
    setTimeout: (fn, delayMs) => schedule(fn, delayMs, undefined),
    setInterval: (fn, intervalMs) => schedule(fn, intervalMs, Math.max(1, intervalMs)),
    advance(ms) {
      const until = now + ms;
      for (let timer = nextDue(until); timer; timer = nextDue(until)) {
        now = timer.dueAt;
        if (timer.everyMs === undefined) timers = timers.filter((t) => t !== timer);
        else timer.dueAt += timer.everyMs;
        timer.fn();
      }
      now = until;
    },
    pending: () => timers.length,
  };
}
