import type { ServerMessage } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { Bus, BusEvent, BusHandlers } from './bus';

type Delivered = Extract<BusEvent, { kind: 'command' | 'deliver' }>;

/** A recording node: what its bus handed it, in order. */
export function recorder(state: unknown = []): { handlers: BusHandlers; seen: Delivered[]; restored: unknown[] } {
  const seen: Delivered[] = [];
  const restored: unknown[] = [];
  return {
    seen,
    restored,
    handlers: {
      event: (event) => seen.push(event),
      snapshot: () => state,
      restore: (s) => {
        restored.push(s);
        return [];
      },
    },
  };
}

const pong = (seq: number): Delivered => ({ kind: 'deliver', to: ['u1'], message: { type: 'session.pong', seq } as ServerMessage });

/** What every Bus does with one node: the in-memory bus (memory-bus.test.ts) and the Redis bus (redis-bus.integration.test.ts). */
export function busContract(makeBus: () => Promise<Bus>): void {
  describe('one node', () => {
    it('hands every event to the node in publish order, and publish resolves once the node has handled it', async () => {
      const bus = await makeBus();
      const node = recorder();
      await bus.start(node.handlers);
      for (let seq = 1; seq <= 3; seq++) {
        await bus.publish(pong(seq));
        expect(node.seen).toHaveLength(seq);
      }
      await Promise.all([4, 5, 6].map((seq) => bus.publish(pong(seq))));
      expect(node.seen.map((e) => (e.kind === 'deliver' && e.message.type === 'session.pong' ? e.message.seq : 0))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await bus.ping()).toBe(true);
      await bus.close();
      expect(await bus.ping()).toBe(false);
      await expect(bus.publish(pong(7))).rejects.toThrow();
    });
  });
}
