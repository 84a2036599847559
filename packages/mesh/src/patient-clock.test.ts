import { describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from './environment';
import { patientClock, RECHECK_MS, STARVED_LAG_MS } from './patient-clock';

/** A clock whose timers fire only when the test runs them, at whatever time the test says: a starved page. */
function starvableClock() {
  let nowMs = 0;
  let nextId = 1;
  const timers = new Map<number, { atMs: number; callback: () => void }>();
  const clock: Clock = {
    now: () => nowMs,
    setTimeout: (callback, delayMs) => {
      timers.set(nextId, { atMs: nowMs + delayMs, callback });
      return nextId++;
    },
    clearTimeout: (handle: TimerHandle) => void timers.delete(handle as number),
  };
  /** Moves to `atMs` and runs every timer due by then, each seeing that time (they run late if they were due earlier). */
  const runAt = (atMs: number) => {
    nowMs = atMs;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.atMs <= nowMs).sort((a, b) => a[1].atMs - b[1].atMs)[0];
      if (!due) return;
      timers.delete(due[0]);
      due[1].callback();
    }
  };
  return { clock, runAt, pending: () => timers.size };
}

describe('patientClock', () => {
  it('runs a timer that fires on time at once', () => {
    const { clock, runAt } = starvableClock();
    const fired: number[] = [];
    patientClock(clock).setTimeout(() => fired.push(clock.now()), 5_000);
    runAt(5_000 + STARVED_LAG_MS);
    expect(fired).toEqual([5_000 + STARVED_LAG_MS]);
  });

  it('puts off a timer that fired late until it fires on time, giving queued events their turn first', () => {
    const { clock, runAt } = starvableClock();
    const fired: number[] = [];
    patientClock(clock).setTimeout(() => fired.push(clock.now()), 5_000);
    runAt(8_000); // starved: 3 s late
    expect(fired).toEqual([]);
    runAt(8_000 + RECHECK_MS); // on time now
    expect(fired).toEqual([8_000 + RECHECK_MS]);
  });

  it('a page that stays starved still decides, once the timer was put off as long as it was set for', () => {
    const { clock, runAt } = starvableClock();
    const fired: number[] = [];
    patientClock(clock).setTimeout(() => fired.push(clock.now()), 2_000);
    for (let t = 3_000; fired.length === 0 && t < 20_000; t += 1_000) runAt(t);
    expect(fired).toEqual([4_000]);
  });

  it('a cleared timer never runs, also while it is being put off', () => {
    const { clock, runAt, pending } = starvableClock();
    const patient = patientClock(clock);
    const fired: string[] = [];
    const a = patient.setTimeout(() => fired.push('a'), 1_000);
    const b = patient.setTimeout(() => fired.push('b'), 1_000);
    patient.clearTimeout(a);
    runAt(1_600); // 600 ms late: b is put off
    expect(fired).toEqual([]);
    patient.clearTimeout(b);
    runAt(10_000);
    expect(fired).toEqual([]);
    expect(pending()).toBe(0);
  });
});
