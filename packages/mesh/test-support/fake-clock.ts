import type { Clock, TimerHandle } from '../src/environment';

type Timer = { id: number; atMs: number; callback: () => void };

/** A clock that only moves when a test says so. Timers fire in due order. */
export class FakeClock implements Clock {
  private nowMs: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.nextId++, atMs: this.nowMs + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing every timer that falls due, including ones scheduled on the way. */
  advance(ms: number): void {
    const endMs = this.nowMs + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.atMs <= endMs).sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.nowMs = due.atMs;
      due.callback();
    }
    this.nowMs = endMs;
  }
}
