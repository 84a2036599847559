import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentMicrophone, wrtcEnvironment } from '../test-support/wrtc-environment';
import { PcSession, type SessionSignal as Signal } from './pc-session';

const WAIT = { timeout: 10_000, interval: 20 };
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

type Side = {
  session: PcSession;
  outbox: Signal[];
  seen: { state: RTCPeerConnectionState; rttMs: number | undefined; remoteTrack: boolean; failures: unknown[] };
  connectTo(other: Side): void;
};

function createSide(name: string, polite: boolean): Side {
  const { env } = wrtcEnvironment(name);
  const microphone = silentMicrophone();
  const outbox: Signal[] = [];
  const seen: Side['seen'] = { state: 'new', rttMs: undefined, remoteTrack: false, failures: [] };
  let deliver: ((signal: Signal) => void) | undefined;
  const session = new PcSession({
    env,
    epoch: polite ? 2 : 1,
    polite,
    rtcConfiguration: {},
    localTrack: microphone.stream.getAudioTracks()[0] ?? null,
    voiceState: () => ({ muted: false, deafened: false }),
    logFields: { name },
    handlers: {
      signal: (signal) => (deliver ? deliver(signal) : outbox.push(signal)),
      negotiationStarted: () => {},
      connectionStateChanged: (state) => (seen.state = state),
      remoteTrack: () => (seen.remoteTrack = true),
      remoteVoiceState: () => {},
      rttMeasured: (rttMs) => (seen.rttMs = rttMs),
      negotiationFailed: (cause) => seen.failures.push(cause),
      negotiationStateChanged: () => {},
      progressed: () => {},
      answerTimed: () => {},
    },
  });
  cleanups.push(() => {
    session.close();
    microphone.stop();
  });
  const connectTo = (other: Side) => {
    deliver = (signal) => other.session.handleSignal(signal);
  };
  return { session, outbox, seen, connectTo };
}

const offers = (outbox: Signal[]) =>
  outbox.filter((signal) => signal.kind === 'description' && signal.description.type === 'offer');

describe('PcSession over real WebRTC (@roamhq/wrtc)', () => {
  it('resolves glare: both sides offer at once, the polite one rolls back, and the link comes up', async () => {
    const impolite = createSide('impolite', false);
    const polite = createSide('polite', true);
    // Force the polite side to offer too (it never does by itself).
    polite.session.restartIce();
    await vi.waitFor(() => {
      expect(offers(impolite.outbox)).toHaveLength(1);
      expect(offers(polite.outbox)).toHaveLength(1);
    }, WAIT);

    // Each side now holds its own offer when the other's arrives.
    const fromImpolite = impolite.outbox.splice(0);
    const fromPolite = polite.outbox.splice(0);
    impolite.connectTo(polite);
    polite.connectTo(impolite);
    for (const signal of fromPolite) impolite.session.handleSignal(signal);
    for (const signal of fromImpolite) polite.session.handleSignal(signal);

    await vi.waitFor(() => {
      expect(impolite.seen.state).toBe('connected');
      expect(polite.seen.state).toBe('connected');
    }, WAIT);
    await vi.waitFor(() => {
      expect(impolite.seen.rttMs).toBeGreaterThanOrEqual(0);
      expect(polite.seen.rttMs).toBeGreaterThanOrEqual(0);
      expect(impolite.seen.remoteTrack && polite.seen.remoteTrack).toBe(true);
    }, WAIT);
    expect([...impolite.seen.failures, ...polite.seen.failures]).toEqual([]);
  }, 20_000);
});
