import { describe, expect, it } from 'vitest';
import { PeerConnectionSpares } from './peer-connection-spares';

/** What a page's RTCPeerConnection shows of itself here: its configuration, and whether it was closed. */
class StubConnection {
  closed = false;
  constructor(public readonly configuration: RTCConfiguration) {}
  close(): void {
    this.closed = true;
  }
}

const base: RTCConfiguration = { bundlePolicy: 'max-bundle', iceServers: [], iceTransportPolicy: 'all' };
const withTurn: RTCConfiguration = { ...base, iceServers: [{ urls: 'turn:turn.example:3478', username: 'u', credential: 'c' }] };

function setup(options: { count?: number } = {}) {
  const made: StubConnection[] = [];
  const idle: Array<() => void> = [];
  const later: Array<() => void> = [];
  const spares = new PeerConnectionSpares({
    create: (configuration) => {
      const pc = new StubConnection(configuration);
      made.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    whenIdle: (work) => idle.push(work),
    afterUse: (work) => later.push(work),
    count: options.count ?? 2,
    baseConfiguration: base,
  });
  const runIdle = () => {
    while (idle.length > 0) idle.shift()?.();
  };
  return { spares, made, idle, later, runIdle };
}

describe('PeerConnectionSpares', () => {
  it('makes its spares one idle moment at a time, and hands each out once', () => {
    const { spares, made, idle, runIdle } = setup();
    spares.fill();
    spares.fill();
    expect(made).toHaveLength(0);
    expect(idle).toHaveLength(1);
    runIdle();
    expect(made).toHaveLength(2);
    expect(spares.take(base)).toBe(made[0]);
    expect(spares.take(base)).toBe(made[1]);
    expect(spares.take(base)).toBeUndefined();
  });

  it('hands a spare only to a taker wanting the ICE servers it was made with, and makes the next ones with theirs', () => {
    const { spares, made, later, runIdle } = setup({ count: 1 });
    spares.fill();
    runIdle();
    expect(spares.take(withTurn)).toBeUndefined();
    expect(made[0]?.closed).toBe(true);
    later.shift()?.();
    runIdle();
    expect(made[1]?.configuration).toEqual(withTurn);
    expect(spares.take(withTurn)).toBe(made[1]);
  });

  it('makes more only after the links just made have had their time, not while they form', () => {
    const { spares, made, idle, later, runIdle } = setup({ count: 2 });
    spares.fill();
    runIdle();
    spares.take(base);
    spares.take(base);
    expect(idle).toHaveLength(0);
    expect(later).toHaveLength(1);
    later.shift()?.();
    runIdle();
    expect(made).toHaveLength(4);
    expect(spares.size).toBe(2);
  });

  it('hands out nothing for another bundle policy, and keeps its spare for a taker that can use it', () => {
    const { spares, made, runIdle } = setup({ count: 1 });
    spares.fill();
    runIdle();
    expect(spares.take({ ...base, bundlePolicy: 'balanced' })).toBeUndefined();
    expect(spares.size).toBe(1);
    expect(spares.take(base)).toBe(made[0]);
  });

  it('makes none where the browser has no WebRTC', () => {
    const idle: Array<() => void> = [];
    const spares = new PeerConnectionSpares({
      create: () => {
        throw new ReferenceError('RTCPeerConnection is not defined');
      },
      whenIdle: (work) => idle.push(work),
      afterUse: () => {},
      count: 2,
      baseConfiguration: base,
    });
    spares.fill();
    idle.shift()?.();
    expect(spares.size).toBe(0);
    expect(idle).toHaveLength(0);
    expect(spares.take(base)).toBeUndefined();
  });
});
