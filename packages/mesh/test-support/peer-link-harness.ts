import type { Signal } from '@parley/protocol';
import type { LinkState } from '../src/events';
import { PeerLink } from '../src/peer-link';
import { fakeEnvironment } from './fake-environment';
import type { InertPeerConnection } from './inert-peer-connection';

/** Lets a link's promise chains run; the inert connection resolves at once. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 30; i++) await Promise.resolve();
};

type Description = Extract<Signal, { kind: 'description' }>;

/**
 * One PeerLink on inert connections and a fake clock, recording what it
 * would tell its peer (`sent`) and its state changes (`states`).
 */
export function peerLinkHarness(selfId: string, remoteId: string, canSignal = true) {
  const fake = fakeEnvironment();
  const sent: Signal[] = [];
  const states: LinkState[] = [];
  const link = new PeerLink({
    selfId,
    remoteId,
    env: fake.env,
    rtcConfiguration: {},
    localTrack: null,
    voiceState: () => ({ muted: false, deafened: false }),
    canSignal,
    handlers: {
      signal: (signal) => sent.push(signal),
      stateChanged: (_from, to) => states.push(to),
      remoteTrack: () => {},
      remoteVoiceState: () => {},
      rttMeasured: () => {},
      error: () => {},
    },
  });
  const pc = (): InertPeerConnection => {
    const last = fake.peerConnections.at(-1);
    if (!last) throw new Error('no peer connection');
    return last;
  };
  const descriptions = (type: RTCSdpType) =>
    sent.filter((s): s is Description => s.kind === 'description' && s.description.type === type);
  const offers = () => descriptions('offer');
  const restartRequests = () => sent.filter((s) => s.kind === 'restart');
  /** Moves time on and lets whatever the timers started run. */
  const advance = async (ms: number) => {
    fake.clock.advance(ms);
    await settle();
  };
  return { ...fake, link, sent, states, pc, offers, restartRequests, advance };
}
