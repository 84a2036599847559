import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock';
import { SPEAKING_POLL_INTERVAL_MS, SpeakingMonitor } from './speaking-monitor';

/** A stats report as a browser returns it: a map of untyped entries. */
function report(entries: Record<string, unknown>[]): RTCStatsReport {
  return new Map(entries.map((entry, i) => [`s${i}`, entry])) as unknown as RTCStatsReport;
}

function setup(levels: { inbound: number; local: number }, muted = false) {
  const clock = new FakeClock(0);
  const changes: [string, boolean][] = [];
  const monitor = new SpeakingMonitor({
    clock,
    sources: () => [
      {
        userId: 'bob',
        getStats: async () =>
          report([
            { type: 'inbound-rtp', kind: 'audio', audioLevel: levels.inbound },
            { type: 'media-source', kind: 'audio', audioLevel: levels.local },
            { type: 'inbound-rtp', kind: 'video' },
          ]),
      },
    ],
    selfId: () => 'ada',
    selfMuted: () => muted,
    onChange: (userId, speaking) => changes.push([userId, speaking]),
  });
  /** One poll: the timer fires, then the stats promises settle. */
  const tick = async () => {
    clock.advance(SPEAKING_POLL_INTERVAL_MS);
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { monitor, changes, levels, tick };
}

describe('SpeakingMonitor', () => {
  it('reports the peer and ourselves speaking, then silent after the hold time', async () => {
    const { monitor, changes, levels, tick } = setup({ inbound: 0.3, local: 0.2 });
    monitor.start();
    await tick();
    expect(changes).toEqual([
      ['bob', true],
      ['ada', true],
    ]);
    levels.inbound = 0;
    levels.local = 0;
    for (let i = 0; i < 3; i++) await tick();
    expect(changes).toHaveLength(4);
    expect(changes.slice(2)).toEqual([
      ['bob', false],
      ['ada', false],
    ]);
    monitor.stop();
  });

  it('never reports ourselves speaking while muted', async () => {
    const { monitor, changes, tick } = setup({ inbound: 0, local: 0.9 }, true);
    monitor.start();
    await tick();
    await tick();
    expect(changes).toEqual([]);
    monitor.stop();
  });

  it('reports everyone silent when stopped', async () => {
    const { monitor, changes, tick } = setup({ inbound: 0.3, local: 0 });
    monitor.start();
    await tick();
    monitor.stop();
    expect(changes).toEqual([
      ['bob', true],
      ['bob', false],
    ]);
  });
});
