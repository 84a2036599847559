import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSignalServer } from '../test-support/fake-signal-server';
import { openPeerConnections, startPeer, stopAllPeers, waitUntilConnected, WAIT, type Peer } from '../test-support/wrtc-peers';

afterEach(stopAllPeers);

/** One sendrecv audio m-line per connection, with a remote audio track arriving on each side. */
async function expectOneAudioTrackEachWay(ada: Peer, bob: Peer): Promise<void> {
  await vi.waitFor(() => {
    expect(ada.record.remoteTracks.get(bob.selfId())?.track.kind).toBe('audio');
    expect(bob.record.remoteTracks.get(ada.selfId())?.track.kind).toBe('audio');
  }, WAIT);
  for (const pc of [...openPeerConnections(ada), ...openPeerConnections(bob)]) {
    expect(pc.getTransceivers()).toHaveLength(1);
    expect(pc.getTransceivers()[0]?.currentDirection).toBe('sendrecv');
  }
}

describe('RoomClient over real WebRTC (@roamhq/wrtc)', () => {
  it('connects two peers with audio both ways and a working control channel', async () => {
    const server = new FakeSignalServer({ relayVoiceState: false });
    const ada = startPeer(server, 'Ada');
    const bob = startPeer(server, 'Bob');
    ada.client.join('friday');
    await vi.waitFor(() => expect(ada.client.currentRoomId).toBe('friday'), WAIT);
    bob.client.join('friday');

    await waitUntilConnected(ada, bob);

    await expectOneAudioTrackEachWay(ada, bob);
    expect(ada.client.getRemoteStream(bob.selfId())?.getAudioTracks()).toHaveLength(1);

    // The server relays no voice state here: only the data channel can carry it.
    bob.client.setVoice({ muted: true, deafened: false });
    await vi.waitFor(() => expect(ada.record.participants.get(bob.selfId())?.muted).toBe(true), WAIT);

    await vi.waitFor(() => {
      expect(ada.record.rtts.get(bob.selfId())).toBeGreaterThanOrEqual(0);
      expect(bob.record.rtts.get(ada.selfId())).toBeGreaterThanOrEqual(0);
    }, WAIT);
    expect([...ada.record.errors, ...bob.record.errors]).toEqual([]);

    bob.client.leave();
    await vi.waitFor(() => expect(ada.record.participants.has(bob.selfId()) && ada.client.getRemoteStream(bob.selfId())).toBeFalsy(), WAIT);
    expect(openPeerConnections(ada)).toEqual([]);
    expect(openPeerConnections(bob)).toEqual([]);
  }, 20_000);

  it('connects when both links are created before either side hears from the other', async () => {
    const server = new FakeSignalServer();
    const ada = startPeer(server, 'Ada');
    const bob = startPeer(server, 'Bob');
    server.holdSignals();
    ada.client.join('glare');
    await vi.waitFor(() => expect(ada.client.currentRoomId).toBe('glare'), WAIT);
    bob.client.join('glare');
    // Both links exist and the impolite side's offer is out before anything is delivered.
    await vi.waitFor(() => {
      expect(bob.client.currentRoomId).toBe('glare');
      expect(server.offersFrom).toHaveLength(1);
    }, WAIT);
    server.releaseSignals();

    await waitUntilConnected(ada, bob);
    await expectOneAudioTrackEachWay(ada, bob);
    expect([...ada.record.errors, ...bob.record.errors]).toEqual([]);
  }, 20_000);
});
