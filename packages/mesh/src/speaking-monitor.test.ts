import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock';
import type { LinkState } from './events';
import {
  MAX_PACED_INTERVAL_MS,
  observationIntervalMs,
  pacedIntervalMs,
  shouldSample,
  SPEAKING_POLL_INTERVAL_MS,
  SpeakingMonitor,
  UNSAMPLED_WHILE_FORMING_MAX_MS,
} from './speaking-monitor';

function setup(levels: { inbound: number; local: number }, muted = false) {
  const clock = new FakeClock(0);
  const changes: [string, boolean][] = [];
  const monitor = new SpeakingMonitor({
    clock,
    sources: () => [{ userId: 'bob', sample: async () => ({ level: levels.inbound }) }],
    selfLevel: () => levels.local,
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

describe('SpeakingMonitor observation', () => {
  function flowing() {
    const clock = new FakeClock(0);
    const stalls: [string, boolean][] = [];
    let flow = 0;
    let hidden = false;
    let samples = 0;
    const monitor = new SpeakingMonitor({
      clock,
      intervalMs: () => (hidden ? 1000 : 250),
      sources: () => [{ userId: 'bob', sample: () => ((samples += 1), { level: 0, flow }) }],
      selfLevel: () => undefined,
      selfId: () => 'ada',
      selfMuted: () => false,
      onChange: () => undefined,
      onMediaStalled: (userId, stalled) => stalls.push([userId, stalled]),
    });
    const run = async (ms: number, grow: boolean) => {
      for (let t = 0; t < ms; t += 50) {
        if (grow) flow += 1;
        clock.advance(50);
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
    };
    return { monitor, stalls, run, setHidden: (h: boolean) => (hidden = h), samples: () => samples };
  }

  it('a flow that stands still for a second is a stall, and growing again ends it', async () => {
    const { monitor, stalls, run } = flowing();
    monitor.start();
    await run(1000, true);
    expect(stalls).toEqual([['bob', false]]); // flowing
    await run(1500, false);
    expect(stalls).toEqual([['bob', false], ['bob', true]]);
    await run(500, true);
    expect(stalls).toEqual([['bob', false], ['bob', true], ['bob', false]]);
    monitor.stop();
  });

  it('samples four times a second while visible, once a second while hidden', async () => {
    const { monitor, run, setHidden, samples } = flowing();
    monitor.start();
    await run(2000, true);
    expect(samples()).toBe(8);
    setHidden(true);
    await run(4000, true);
    expect(samples()).toBeLessThanOrEqual(13);
    expect(samples()).toBeGreaterThanOrEqual(11);
    monitor.stop();
  });
});

describe('SpeakingMonitor on a starved page', () => {
  /** A page whose receiver reads hold it `readCostMs` each: the page's clock moves while it waits. */
  function blocking() {
    const clock = new FakeClock(0);
    let heldMs = 0;
    let readCostMs = 0;
    const looks: number[] = [];
    const pageClock = {
      now: () => clock.now() + heldMs,
      setTimeout: (callback: () => void, delayMs: number) => clock.setTimeout(callback, delayMs),
      clearTimeout: (handle: unknown) => clock.clearTimeout(handle),
    };
    const monitor = new SpeakingMonitor({
      clock: pageClock,
      sources: () => [
        {
          userId: 'bob',
          sample: () => {
            looks.push(pageClock.now());
            heldMs += readCostMs;
            return { level: 0, flow: looks.length };
          },
        },
      ],
      selfLevel: () => undefined,
      selfId: () => 'ada',
      selfMuted: () => false,
      onChange: () => undefined,
    });
    const run = async (ms: number) => {
      for (let t = 0; t < ms; t += 50) {
        clock.advance(50);
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
    };
    return { monitor, run, looks, setReadCost: (ms: number) => (readCostMs = ms) };
  }

  it('looks less often while each look holds the page, and four times a second again once reads are cheap', async () => {
    const { monitor, run, looks, setReadCost } = blocking();
    monitor.start();
    await run(2000);
    expect(looks).toHaveLength(8);
    setReadCost(60); // 60 ms held: at most a tenth of the time, so 600 ms apart
    await run(6000);
    const slow = looks.length - 8;
    expect(slow).toBeGreaterThanOrEqual(9);
    expect(slow).toBeLessThanOrEqual(11);
    setReadCost(0);
    await run(2000);
    expect(looks.length - 8 - slow).toBeGreaterThanOrEqual(7);
    monitor.stop();
  });
});

describe('pacedIntervalMs', () => {
  it.each([
    { intervalMs: 250, blockedMs: 0, expected: 250 },
    { intervalMs: 250, blockedMs: 20, expected: 250 },
    { intervalMs: 250, blockedMs: 60, expected: 600 },
    { intervalMs: 1000, blockedMs: 60, expected: 1000 },
    { intervalMs: 250, blockedMs: 370, expected: MAX_PACED_INTERVAL_MS },
    { intervalMs: 3000, blockedMs: 370, expected: 3000 },
  ])('every $intervalMs ms, a look that held the page $blockedMs ms: the next in $expected ms', ({ intervalMs, blockedMs, expected }) => {
    expect(pacedIntervalMs(intervalMs, blockedMs)).toBe(expected);
  });
});

describe('observationIntervalMs', () => {
  it.each([
    { hidden: false, linkForming: false, expected: 250 },
    { hidden: true, linkForming: false, expected: 1000 },
    { hidden: false, linkForming: true, expected: 1000 },
    { hidden: true, linkForming: true, expected: 1000 },
  ])('visible every 250 ms, hidden $hidden, a link forming $linkForming: every $expected ms', ({ hidden, linkForming, expected }) => {
    expect(observationIntervalMs({ visibleMs: 250, hidden, linkForming })).toBe(expected);
  });

  it('never looks more often than configured', () => {
    expect(observationIntervalMs({ visibleMs: 2000, hidden: false, linkForming: true })).toBe(2000);
  });
});

describe('shouldSample', () => {
  it.each<{ state: LinkState; formingForMs: number | undefined; expected: boolean }>([
    { state: 'connected', formingForMs: undefined, expected: true },
    { state: 'connected', formingForMs: 0, expected: false },
    { state: 'connected', formingForMs: UNSAMPLED_WHILE_FORMING_MAX_MS - 1, expected: false },
    { state: 'connected', formingForMs: UNSAMPLED_WHILE_FORMING_MAX_MS, expected: true },
    { state: 'disconnected', formingForMs: undefined, expected: true },
    { state: 'disconnected', formingForMs: 0, expected: true },
    { state: 'new', formingForMs: 0, expected: false },
    { state: 'connecting', formingForMs: 100, expected: false },
    { state: 'failed', formingForMs: undefined, expected: false },
  ])('a $state link, some link forming for $formingForMs ms: sampled $expected', ({ state, formingForMs, expected }) => {
    expect(shouldSample(state, formingForMs)).toBe(expected);
  });
});
