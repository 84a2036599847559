import { describe, expect, it } from 'vitest';
import { createRoomQueue } from './room-queue';

/** A promise settled from outside, to play a store that answers late or out of order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('room queue', () => {
  it('starts a key\'s next work only after the previous one settled, and settles them in order', async () => {
    const queue = createRoomQueue(10);
    const first = deferred<string>();
    const started: string[] = [];
    const settled: string[] = [];
    const a = queue.run('den', () => {
      started.push('a');
      return first.promise;
    });
    const b = queue.run('den', async () => {
      started.push('b');
      return 'b';
    });
    void a?.then((v) => settled.push(v));
    void b?.then((v) => settled.push(v));
    await Promise.resolve();
    expect(started).toEqual(['a']);
    first.resolve('a');
    await b;
    expect(started).toEqual(['a', 'b']);
    expect(settled).toEqual(['a', 'b']);
    expect(queue.pending('den')).toBe(0);
  });

  it('goes on after a failure, and keeps other keys independent', async () => {
    const queue = createRoomQueue(10);
    const blocked = deferred<string>();
    const failing = queue.run('den', () => Promise.reject(new Error('store down')));
    const after = queue.run('den', async () => 'after');
    const other = queue.run('attic', () => blocked.promise);
    await expect(failing).rejects.toThrow('store down');
    await expect(after).resolves.toBe('after');
    expect(queue.pending('attic')).toBe(1);
    blocked.resolve('x');
    await other;
    expect(queue.pending('attic')).toBe(0);
  });

  it('refuses past its bound instead of buffering behind a slow store', async () => {
    const queue = createRoomQueue(2);
    const slow = deferred<number>();
    const one = queue.run('den', () => slow.promise);
    const two = queue.run('den', async () => 2);
    expect(queue.run('den', async () => 3)).toBeUndefined();
    expect(queue.run('attic', async () => 4)).toBeDefined();
    slow.resolve(1);
    await Promise.all([one, two]);
    expect(queue.run('den', async () => 5)).toBeDefined();
  });
});
