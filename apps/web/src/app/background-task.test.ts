import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKGROUND_WAIT_MS, inBackground } from './background-task';

describe('inBackground', () => {
  afterEach(() => {
    vi.useRealTimers();
    delete (globalThis as { scheduler?: unknown }).scheduler;
  });

  /** A browser whose background task comes only when `idle()` is called. */
  function busyBrowser() {
    vi.useFakeTimers();
    const waiting: Array<() => void> = [];
    (globalThis as { scheduler?: unknown }).scheduler = {
      postTask: (callback: () => void) => {
        waiting.push(callback);
        return Promise.resolve();
      },
    };
    return { idle: () => waiting.splice(0).forEach((run) => run()) };
  }

  it('runs the work in the background task, once, and not again at the deadline', () => {
    const browser = busyBrowser();
    let runs = 0;
    inBackground(() => runs++);
    expect(runs).toBe(0);
    browser.idle();
    vi.advanceTimersByTime(BACKGROUND_WAIT_MS);
    expect(runs).toBe(1);
  });

  it('on a page that never goes idle, runs the work at the deadline, and not again when the task comes', () => {
    const browser = busyBrowser();
    let runs = 0;
    inBackground(() => runs++);
    vi.advanceTimersByTime(BACKGROUND_WAIT_MS - 1);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(1);
    browser.idle();
    expect(runs).toBe(1);
  });
});
