import { describe, expect, it } from 'vitest';
import { InertPeerConnection } from '../test-support/inert-peer-connection';
import { testLogger } from '../test-support/test-logger';
import { SpareConnections } from './spare-connections';

const CONFIG: RTCConfiguration = { bundlePolicy: 'max-bundle', iceServers: [] };
const TURN: RTCConfiguration = { bundlePolicy: 'max-bundle', iceServers: [{ urls: 'turn:turn.example:3478' }], iceTransportPolicy: 'all' };

function microphone(): MediaStreamTrack {
  return { kind: 'audio', readyState: 'live' } as unknown as MediaStreamTrack;
}

function ended(track: MediaStreamTrack): void {
  (track as unknown as { readyState: string }).readyState = 'ended';
}

/** Spares over inert connections, with the page's idle moments played by the test. */
function setup() {
  const made: (InertPeerConnection & { configured: RTCConfiguration[] })[] = [];
  const idle: (() => void)[] = [];
  const spares = new SpareConnections({
    createPeerConnection: (configuration) => {
      const pc = Object.assign(new InertPeerConnection(), { configured: [configuration] });
      Object.assign(pc, { setConfiguration: (next: RTCConfiguration) => void pc.configured.push(next) });
      made.push(pc);
      return pc;
    },
    whenIdle: (work) => idle.push(work),
    logger: testLogger('spares '),
  });
  /** Every idle moment the page has until nothing more is asked for. */
  const idleUntilDone = () => {
    for (let work = idle.shift(); work; work = idle.shift()) work();
  };
  const open = () => made.filter((pc) => pc.signalingState !== 'closed');
  return { spares, made, idle, idleUntilDone, open };
}

describe('SpareConnections', () => {
  it('makes the wanted number, one per idle moment, each with our track and the control channel', () => {
    const { spares, made, idle, idleUntilDone } = setup();
    const track = microphone();
    spares.want({ polite: true, track, count: 3, configuration: CONFIG });
    expect(made).toHaveLength(0); // nothing while the page is busy
    idle.shift()?.();
    expect(made).toHaveLength(1);
    idleUntilDone();
    expect(made).toHaveLength(3);
    expect(made.every((pc) => pc.channels.map((channel) => channel.label).join() === 'control')).toBe(true);
    expect(spares.size).toBe(3);
  });

  it('makes none while not allowed (a join under way), and carries on when asked again', () => {
    const { spares, made, idleUntilDone } = setup();
    const track = microphone();
    let allowed = false;
    spares.want({ polite: false, track, count: 1, configuration: CONFIG, allowed: () => allowed });
    idleUntilDone();
    expect(made).toHaveLength(0);
    allowed = true;
    spares.want({ polite: false, track, count: 1, configuration: CONFIG, allowed: () => allowed });
    idleUntilDone();
    expect(made).toHaveLength(1);
  });

  it.each([
    ['the same role and track', { polite: true, sameTrack: true }, true],
    ['the other role', { polite: false, sameTrack: true }, false],
    ['another microphone', { polite: true, sameTrack: false }, false],
  ])('hands one over for %s', (_, asked, handed) => {
    const { spares, idleUntilDone } = setup();
    const track = microphone();
    spares.want({ polite: true, track, count: 1, configuration: CONFIG });
    idleUntilDone();
    const taken = spares.take({ polite: asked.polite, track: asked.sameTrack ? track : microphone() }, CONFIG);
    expect(taken !== undefined).toBe(handed);
    if (taken) expect(taken.track).toBe(track);
  });

  it('hands over none made with a microphone that has since ended', () => {
    const { spares, idleUntilDone } = setup();
    const track = microphone();
    spares.want({ polite: true, track, count: 2, configuration: CONFIG });
    idleUntilDone();
    ended(track);
    expect(spares.take({ polite: true, track }, CONFIG)).toBeUndefined();
  });

  it('applies the configuration the link has now, and only when it differs', () => {
    const { spares, idleUntilDone } = setup();
    const track = microphone();
    spares.want({ polite: false, track, count: 2, configuration: CONFIG });
    idleUntilDone();
    const same = spares.take({ polite: false, track }, CONFIG)?.pc as unknown as { configured: RTCConfiguration[] };
    const turn = spares.take({ polite: false, track }, TURN)?.pc as unknown as { configured: RTCConfiguration[] };
    expect(same.configured).toEqual([CONFIG]);
    expect(turn.configured).toEqual([CONFIG, TURN]);
  });

  it('makes one again after a take, while still wanted', () => {
    const { spares, made, idleUntilDone } = setup();
    const track = microphone();
    spares.want({ polite: false, track, count: 1, configuration: CONFIG });
    idleUntilDone();
    spares.take({ polite: false, track }, CONFIG);
    idleUntilDone();
    expect(made).toHaveLength(2);
    expect(spares.size).toBe(1);
  });

  it('closes the form’s spares once the links are made, and wants no more of them', () => {
    const { spares, made, open, idleUntilDone } = setup();
    const track = microphone();
    spares.want({ polite: true, track, count: 5, configuration: CONFIG });
    idleUntilDone();
    for (let i = 0; i < 3; i++) spares.take({ polite: true, track }, CONFIG);
    spares.keepOnly({ polite: false });
    idleUntilDone();
    expect(made).toHaveLength(5); // the three taken are the links'; none made again
    expect(open()).toHaveLength(3);
    expect(spares.size).toBe(0);
  });

  it('keeps those of the microphone in use and closes the rest', () => {
    const { spares, open, idleUntilDone } = setup();
    const track = microphone();
    spares.want({ polite: true, track, count: 2, configuration: CONFIG });
    idleUntilDone();
    spares.keepOnly({ track });
    expect(open()).toHaveLength(2);
    spares.keepOnly({ track: microphone() });
    expect(open()).toHaveLength(0);
  });

  it('clear closes every spare and makes no more', () => {
    const { spares, made, open, idleUntilDone } = setup();
    const track = microphone();
    spares.want({ polite: false, track, count: 1, configuration: CONFIG });
    idleUntilDone();
    spares.clear();
    idleUntilDone();
    expect(made).toHaveLength(1);
    expect(open()).toHaveLength(0);
  });

  it('gives up quietly where no connection can be made', () => {
    const idle: (() => void)[] = [];
    const spares = new SpareConnections({
      createPeerConnection: () => {
        throw new Error('WebRTC is disabled');
      },
      whenIdle: (work) => idle.push(work),
      logger: testLogger('spares '),
    });
    spares.want({ polite: true, track: microphone(), count: 5, configuration: CONFIG });
    for (let work = idle.shift(); work; work = idle.shift()) work();
    expect(spares.size).toBe(0);
    expect(idle).toHaveLength(0);
  });
});
