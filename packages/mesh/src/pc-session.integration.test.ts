import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentMicrophone, toneMicrophone, wrtcEnvironment } from '../test-support/wrtc-environment';
import { PcSession, type SessionSignal as Signal } from './pc-session';

const WAIT = { timeout: 10_000, interval: 20 };
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

type Side = {
  session: PcSession;
  outbox: Signal[];
  seen: { state: RTCPeerConnectionState; rttMs: number | undefined; remoteTrack: boolean; failures: unknown[]; negotiations: number };
  /** The browser's own view of our description, as it reads now. */
  localSdp(): string | undefined;
  connectTo(other: Side): void;
  /** The connection's transceivers as the browser reports them: kind and current direction. */
  transceivers(): string[];
};

type SideOptions = {
  /** A microphone that sends a tone (packets flow) rather than nothing. */
  tone?: boolean;
  /** When the session gets its microphone: when made (the default), just after, or never. */
  microphone?: 'at creation' | 'later' | 'never';
};

function createSide(name: string, polite: boolean, options: SideOptions = {}): Side {
  const { env, peerConnections } = wrtcEnvironment(name);
  const microphone = options.tone ? toneMicrophone() : silentMicrophone();
  const track = microphone.stream.getAudioTracks()[0] ?? null;
  const outbox: Signal[] = [];
  const seen: Side['seen'] = { state: 'new', rttMs: undefined, remoteTrack: false, failures: [], negotiations: 0 };
  let deliver: ((signal: Signal) => void) | undefined;
  const session = new PcSession({
    env,
    epoch: polite ? 2 : 1,
    polite,
    rtcConfiguration: {},
    localTrack: (options.microphone ?? 'at creation') === 'at creation' ? track : null,
    voiceState: () => ({ muted: false, deafened: false }),
    logFields: { name },
    handlers: {
      signal: (signal) => (deliver ? deliver(signal) : outbox.push(signal)),
      negotiationStarted: () => seen.negotiations++,
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
  if (options.microphone === 'later') session.setLocalTrack(track);
  cleanups.push(() => {
    session.close();
    microphone.stop();
  });
  const connectTo = (other: Side) => {
    deliver = (signal) => other.session.handleSignal(signal);
  };
  const transceivers = () => (peerConnections.at(-1)?.getTransceivers() ?? []).map((t) => `${t.receiver.track.kind} ${t.currentDirection}`);
  return { session, outbox, seen, localSdp: () => peerConnections.at(-1)?.localDescription?.sdp, connectTo, transceivers };
}

const descriptions = (outbox: Signal[], type: 'offer' | 'answer') =>
  outbox.flatMap((signal) => (signal.kind === 'description' && signal.description.type === type ? [signal.description.sdp] : []));
const offers = (outbox: Signal[]) => descriptions(outbox, 'offer');

describe('PcSession over real WebRTC (@roamhq/wrtc)', () => {
  it('a nudged offer is the offer first sent, so the peer answers it again instead of negotiating anew', async () => {
    const impolite = createSide('impolite', false);
    const polite = createSide('polite', true);
    await vi.waitFor(() => expect(offers(impolite.outbox)).toHaveLength(1), WAIT);
    const [offer] = offers(impolite.outbox);
    // The offer went out; gathering has since written more candidates into the browser's copy of it.
    await vi.waitFor(() => expect(impolite.localSdp()).not.toBe(offer), WAIT);
    for (const signal of impolite.outbox.splice(0)) polite.session.handleSignal(signal);
    await vi.waitFor(() => expect(descriptions(polite.outbox, 'answer')).toHaveLength(1), WAIT);

    // The answer was lost on the way (a starved page, a dying server): the offerer nudges.
    impolite.session.resend();
    expect(offers(impolite.outbox)).toEqual([offer]);
    for (const signal of impolite.outbox.splice(0)) polite.session.handleSignal(signal);

    // The polite side recognises it: the same answer again, and no second negotiation.
    await vi.waitFor(() => expect(descriptions(polite.outbox, 'answer')).toHaveLength(2), WAIT);
    const [first, again] = descriptions(polite.outbox, 'answer');
    expect(again).toBe(first);
    expect(polite.seen.negotiations).toBe(1);
  });

  it.each(['at creation', 'later', 'never'] as const)(
    'audio flows both ways on the one audio line the offer made, the answering side given its microphone %s',
    async (microphone) => {
      const impolite = createSide('impolite', false, { tone: true });
      const polite = createSide('polite', true, { tone: true, microphone });
      impolite.connectTo(polite);
      polite.connectTo(impolite);
      for (const signal of impolite.outbox.splice(0)) polite.session.handleSignal(signal);

      // Audio bytes arrive on each side from the other (from the answering side only if it has a microphone).
      await vi.waitFor(async () => expect((await polite.session.sampleInbound()).flow).toBeGreaterThan(0), WAIT);
      if (microphone !== 'never') {
        await vi.waitFor(async () => expect((await impolite.session.sampleInbound()).flow).toBeGreaterThan(0), WAIT);
      }
      expect(impolite.transceivers()).toEqual(['audio sendrecv']);
      expect(polite.transceivers()).toEqual(['audio sendrecv']);
      expect(polite.seen.negotiations).toBe(1);
      expect([...impolite.seen.failures, ...polite.seen.failures]).toEqual([]);
    },
  );

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
