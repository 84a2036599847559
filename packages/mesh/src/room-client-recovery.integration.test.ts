import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSignalServer } from '../test-support/fake-signal-server';
import { openPeerConnections, startPeer, stopAllPeers, waitUntilConnected, WAIT, type Peer } from '../test-support/wrtc-peers';

async function pair(server: FakeSignalServer): Promise<[Peer, Peer]> {
  const ada = startPeer(server, 'Ada');
  const bob = startPeer(server, 'Bob');
  ada.client.join('friday');
  await vi.waitFor(() => expect(ada.client.currentRoomId).toBe('friday'), WAIT);
  bob.client.join('friday');
  await waitUntilConnected(ada, bob);
  return [ada, bob];
}

/** Voice state and round trips still flow peer to peer. */
async function expectControlChannelWorks(from: Peer, to: Peer, muted: boolean): Promise<void> {
  from.client.setVoice({ muted, deafened: false });
  await vi.waitFor(() => expect(to.record.participants.get(from.selfId())?.muted).toBe(muted), WAIT);
  to.record.rtts.clear();
  await vi.waitFor(() => expect(to.record.rtts.get(from.selfId())).toBeGreaterThanOrEqual(0), WAIT);
}

afterEach(stopAllPeers);

describe('RoomClient recovery over real WebRTC (@roamhq/wrtc)', () => {
  it('keeps the same connections through a server restart, talking peer to peer while it is down', async () => {
    // No voice.state relay: only the peers' control channel can carry it.
    const server = new FakeSignalServer({ relayVoiceState: false });
    const [ada, bob] = await pair(server);
    const before = [ada.peerConnections.length, bob.peerConnections.length];
    expect(before).toEqual([1, 1]);

    server.setAvailable(false);
    server.restart();
    await vi.waitFor(() => expect([ada.record.connection, bob.record.connection]).toEqual(['reconnecting', 'reconnecting']), WAIT);
    await expectControlChannelWorks(bob, ada, true);
    await expectControlChannelWorks(ada, bob, true);
    expect(ada.record.linkStates.get(bob.selfId())).toBe('connected');

    server.setAvailable(true);
    bob.client.retryNow();
    ada.client.retryNow();
    await vi.waitFor(() => {
      expect([ada.record.connection, bob.record.connection]).toEqual(['connected', 'connected']);
      expect(server.roomMembers('friday').sort()).toEqual([ada.selfId(), bob.selfId()].sort());
    }, WAIT);
    await expectControlChannelWorks(bob, ada, false);

    // The very same RTCPeerConnections, still open; nobody left or joined in anyone's eyes.
    expect([ada.peerConnections.length, bob.peerConnections.length]).toEqual(before);
    expect([openPeerConnections(ada).length, openPeerConnections(bob).length]).toEqual([1, 1]);
    expect([...ada.record.left, ...bob.record.left, ...ada.record.joined.slice(1)]).toEqual([]);
    expect(ada.record.roomLeft + bob.record.roomLeft).toBe(0);
    expect(ada.record.linkStates.get(bob.selfId())).toBe('connected');
  }, 30_000);

  it('keeps the same connections through a blip that drops both sockets', async () => {
    const server = new FakeSignalServer({ relayVoiceState: false });
    const [ada, bob] = await pair(server);
    server.dropAll();
    await expectControlChannelWorks(ada, bob, true);
    await vi.waitFor(() => expect([ada.record.connection, bob.record.connection]).toEqual(['connected', 'connected']), WAIT);
    await expectControlChannelWorks(bob, ada, true);
    expect([ada.peerConnections.length, bob.peerConnections.length]).toEqual([1, 1]);
    expect([openPeerConnections(ada).length, openPeerConnections(bob).length]).toEqual([1, 1]);
    expect([...ada.record.left, ...bob.record.left]).toEqual([]);
  }, 30_000);

  it.each([
    ['polite', 'the second to join', 0],
    ['impolite', 'the first to join', 0],
    ['polite', 'its clock stepped back an hour before the reload', -3_600_000],
    ['impolite', 'its clock stepped back an hour before the reload', -3_600_000],
  ])('brings audio back within about 2 s when the %s side (%s) reloads its page', async (side, _why, clockOffsetMs) => {
    const server = new FakeSignalServer();
    const [ada, bob] = await pair(server);
    // User ids are u1, u2...: the larger id is the polite side, so Bob (u2) is polite.
    const [stays, reloads] = side === 'polite' ? [ada, bob] : [bob, ada];
    expect(reloads.selfId() > stays.selfId()).toBe(side === 'polite');
    const token = reloads.record.resumeToken;
    const staysConnections = stays.peerConnections.length;

    reloads.crash();
    const again = startPeer(server, 'Reloaded', token, { clockOffsetMs });
    again.client.join('friday');
    // The issue asks for audio back within about 2 s; here it takes tens of milliseconds.
    await vi.waitFor(
      () => {
        expect(again.selfId()).toBe(reloads.selfId());
        expect(again.record.linkStates.get(stays.selfId())).toBe('connected');
        expect(stays.record.linkStates.get(again.selfId())).toBe('connected');
        expect(again.record.remoteTracks.get(stays.selfId())?.track.kind).toBe('audio');
        // The side that stayed has a new connection and a track from it.
        expect(stays.peerConnections.length).toBeGreaterThan(staysConnections);
        expect(stays.client.getRemoteStream(again.selfId())?.getAudioTracks()).toHaveLength(1);
      },
      { timeout: 3000, interval: 20 },
    );
    expect(openPeerConnections(stays)).toHaveLength(1);
    expect(stays.record.left).toEqual([]);
  }, 30_000);
});
