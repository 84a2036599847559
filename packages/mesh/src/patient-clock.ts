import type { Clock, TimerHandle } from './environment';

/** A timer firing this much later than asked means the page was starved of CPU. */
export const STARVED_LAG_MS = 500;
/** On a starved page a verdict is looked at again this soon, after the events queued meanwhile. */
export const RECHECK_MS = 250;

/**
 * A clock for timers that decide from silence: no answer to a ping, no
 * welcome, no progress in a negotiation, no audio. On a starved page (six
 * people joining on two busy cores) such a timer fires seconds late, ahead
 * of the very frames and events that would contradict it, still queued
 * behind it; acted on, it closed live sockets and restarted live paths, and
 * each restart added load (seen in the mesh-formation benchmark: a socket
 * "silent for 15 s" on every page at once, links restarted a dozen times).
 *
 * So a timer that fires more than STARVED_LAG_MS late does not run its
 * callback yet: it looks again RECHECK_MS later, after what was queued, and
 * runs it once it fires on time, or once it has been put off by as long as
 * it was first set for (at least a second), so a page that stays starved
 * still decides. On a page with CPU to spare timers fire on time and
 * nothing changes.
 */
export function patientClock(clock: Clock): Clock {
  const current = new Map<number, TimerHandle>();
  let nextId = 1;
  return {
    now: () => clock.now(),
    setTimeout(callback, delayMs) {
      const id = nextId++;
      const giveUpAtMs = clock.now() + delayMs + Math.max(1_000, delayMs);
      const arm = (ms: number) => {
        const dueAtMs = clock.now() + ms;
        current.set(
          id,
          clock.setTimeout(() => {
            const nowMs = clock.now();
            if (nowMs - dueAtMs > STARVED_LAG_MS && nowMs < giveUpAtMs) return arm(RECHECK_MS);
            current.delete(id);
            callback();
          }, ms),
        );
      };
      arm(delayMs);
      return id;
    },
    clearTimeout(handle) {
      const underlying = current.get(handle as number);
      if (underlying === undefined) return;
      clock.clearTimeout(underlying);
      current.delete(handle as number);
    },
  };
}
