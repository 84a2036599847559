/**
 * The longest a background task may wait when the page never goes idle
 * enough for one (a busy machine): the work then runs in a plain task.
 */
export const BACKGROUND_WAIT_MS = 150;

/** Chromium's prioritized task scheduling, where the browser has it (not in Node or jsdom). */
type TaskScheduler = { postTask(callback: () => void, options: { priority: 'background' }): Promise<unknown> };

/**
 * Runs `work` once, in a task of background priority where the browser
 * offers it (the signals and clicks queued meanwhile go first), within
 * BACKGROUND_WAIT_MS; in a plain task elsewhere.
 */
export function inBackground(work: () => void): void {
  const scheduler = (globalThis as { scheduler?: TaskScheduler }).scheduler;
  if (typeof scheduler?.postTask !== 'function') {
    setTimeout(work, 0);
    return;
  }
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(deadline);
    work();
  };
  const deadline = setTimeout(once, BACKGROUND_WAIT_MS);
  void scheduler.postTask(once, { priority: 'background' });
}
