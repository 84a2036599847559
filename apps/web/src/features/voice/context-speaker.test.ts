import { describe, expect, it, vi } from 'vitest';
import { routeSink } from './context-speaker';

/**
 * An <audio> as setSinkId treats it: a switch takes a while (a device opens),
 * and a device that is gone is refused. `sinkId` is the device it plays on.
 */
class FakeElement {
  sinkId = '';
  constructor(
    private readonly devices: ReadonlySet<string>,
    private readonly delays: Record<string, number> = {},
  ) {}
  setSinkId(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        if (id !== '' && !this.devices.has(id)) {
          reject(new DOMException('Requested device not found', 'NotFoundError'));
          return;
        }
        this.sinkId = id;
        resolve();
      }, this.delays[id] ?? 10);
    });
  }
}

const asElement = (fake: FakeElement) => fake as unknown as HTMLAudioElement;

describe('routeSink', () => {
  it('plays on the speaker asked for', async () => {
    const element = new FakeElement(new Set(['b']));
    await expect(routeSink(asElement(element), 'b')).resolves.toBe(true);
    expect(element.sinkId).toBe('b');
  });

  it('a quick default -> B -> default ends on the default, though B is slower to open', async () => {
    vi.useFakeTimers();
    try {
      const element = new FakeElement(new Set(['b']), { b: 200, '': 5 });
      const toB = routeSink(asElement(element), 'b');
      const back = routeSink(asElement(element), '');
      await vi.runAllTimersAsync();
      await Promise.all([toB, back]);
      expect(element.sinkId).toBe('');
      await expect(back).resolves.toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the last of several switches wins, whatever order they would finish in', async () => {
    vi.useFakeTimers();
    try {
      const element = new FakeElement(new Set(['b', 'c']), { b: 5, c: 300 });
      const calls = [routeSink(asElement(element), 'c'), routeSink(asElement(element), 'b'), routeSink(asElement(element), 'c')];
      await vi.runAllTimersAsync();
      await Promise.all(calls);
      expect(element.sinkId).toBe('c');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a speaker that is gone leaves the sound on the default, and says it did not go there', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const element = new FakeElement(new Set(['b']));
      await routeSink(asElement(element), 'b');
      await expect(routeSink(asElement(element), 'unplugged')).resolves.toBe(false);
      expect(element.sinkId).toBe('');
    } finally {
      warn.mockRestore();
    }
  });

  it('without setSinkId (a browser that cannot choose), only the default counts as routed', async () => {
    const element = {} as HTMLAudioElement;
    await expect(routeSink(element, '')).resolves.toBe(true);
    await expect(routeSink(element, 'b')).resolves.toBe(false);
  });
});
