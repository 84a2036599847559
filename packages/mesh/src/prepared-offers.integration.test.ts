import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSignalServer } from '../test-support/fake-signal-server';
import { silentMicrophone, wrtcEnvironment } from '../test-support/wrtc-environment';
import { openPeerConnections, startPeer, stopAllPeers, waitUntilConnected, WAIT } from '../test-support/wrtc-peers';
import type { PeerConnectionLike } from './environment';
import { PreparedOffers } from './prepared-offers';

afterEach(stopAllPeers);

/** A page with time to spare: idle work runs on the next turn. */
const idleAtOnce = (work: () => void) => void setTimeout(work, 0);

const waiting = (peerConnections: PeerConnectionLike[]) => peerConnections.filter((pc) => pc.signalingState === 'have-local-offer');

describe('offers made ahead of need (@roamhq/wrtc)', () => {
  it('a member greets a newcomer with the offer it made while the room was quiet, and makes the next one once the link is up', async () => {
    const server = new FakeSignalServer();
    const ada = startPeer(server, 'Ada', undefined, { whenIdle: idleAtOnce });
    ada.client.join('ahead');
    await vi.waitFor(() => expect(waiting(ada.peerConnections)).toHaveLength(1), WAIT);
    const madeAhead = waiting(ada.peerConnections)[0];
    const offersBefore = server.offersFrom.length;

    const bob = startPeer(server, 'Bob');
    bob.client.join('ahead');
    await waitUntilConnected(ada, bob);

    // Bob hears Ada over the connection she had ready, and that offer was the only one she sent him.
    await vi.waitFor(() => expect(bob.record.remoteTracks.get(ada.selfId())?.track.kind).toBe('audio'), WAIT);
    expect(madeAhead?.connectionState).toBe('connected');
    expect(server.offersFrom.length - offersBefore).toBe(1);
    expect([...ada.record.errors, ...bob.record.errors]).toEqual([]);
    // With the link up, the next newcomer's offer is made.
    await vi.waitFor(() => expect(waiting(openPeerConnections(ada))).toHaveLength(1), WAIT);
    expect(openPeerConnections(ada)).toHaveLength(2);

    ada.client.leave();
    await vi.waitFor(() => expect(openPeerConnections(ada)).toEqual([]), WAIT);
  }, 20_000);

  it('throws offers away when the ICE configuration changes, carries a new microphone track, and keeps none once closed', async () => {
    const { env, peerConnections } = wrtcEnvironment('Ada', undefined, { whenIdle: idleAtOnce });
    const first = silentMicrophone();
    const second = silentMicrophone();
    const offers = new PreparedOffers({ env, count: 1 });
    const before: RTCConfiguration = { bundlePolicy: 'max-bundle' };
    const after: RTCConfiguration = { bundlePolicy: 'max-bundle', iceTransportPolicy: 'all' };
    try {
      offers.keep(before, first.stream.getAudioTracks()[0] ?? null);
      await vi.waitFor(() => expect(waiting(peerConnections)).toHaveLength(1), WAIT);
      const old = peerConnections[0];

      offers.keep(after, first.stream.getAudioTracks()[0] ?? null);
      expect(old?.signalingState).toBe('closed');
      expect(offers.take(before)).toBeUndefined();
      await vi.waitFor(() => expect(waiting(peerConnections)).toHaveLength(1), WAIT);

      const track = second.stream.getAudioTracks()[0] ?? null;
      offers.setTrack(track);
      const taken = offers.take(after);
      expect(taken?.pc.signalingState).toBe('have-local-offer');
      expect(taken?.pc.localDescription?.type).toBe('offer');
      await vi.waitFor(() => expect(taken?.transceiver.sender.track).toBe(track), WAIT);
      expect(offers.take(after)).toBeUndefined();
      taken?.pc.close();

      offers.keep(after, track);
      await vi.waitFor(() => expect(waiting(peerConnections)).toHaveLength(1), WAIT);
      offers.close();
      expect(peerConnections.every((pc) => pc.signalingState === 'closed')).toBe(true);
    } finally {
      offers.close();
      first.stop();
      second.stop();
    }
  }, 20_000);
});
