/**
 * Work that must finish in order, per key: a room's chat appends, so that
 * the acks and broadcasts of one node go out in seq order even when the
 * store (PostgreSQL) answers out of order. Keys with nothing queued cost
 * nothing. A key's queue is bounded: past `maxPending`, `run` refuses
 * (returns undefined) instead of buffering without limit behind a slow store.
 */
export type RoomQueue = {
  run<T>(key: string, work: () => Promise<T>): Promise<T> | undefined;
  pending(key: string): number;
};

export function createRoomQueue(maxPending: number): RoomQueue {
  const queues = new Map<string, { tail: Promise<unknown>; pending: number }>();
  return {
    run(key, work) {
      const queue = queues.get(key) ?? { tail: Promise.resolve(), pending: 0 };
      if (queue.pending >= maxPending) return undefined;
      queue.pending++;
      queues.set(key, queue);
      const result = queue.tail.then(work);
      // The next one waits for this one to settle, however it settles.
      queue.tail = result.then(
        () => undefined,
        () => undefined,
      );
      const done = (): void => {
        queue.pending--;
        if (queue.pending === 0 && queues.get(key) === queue) queues.delete(key);
      };
      result.then(done, done);
      return result;
    },
    pending: (key) => queues.get(key)?.pending ?? 0,
  };
}
