import type { Signal } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { peerLinkHarness as setup, settle } from '../test-support/peer-link-harness';

const offer = (epoch: number): Signal => ({ kind: 'description', epoch, description: { type: 'offer', sdp: '' } });

describe('PeerLink', () => {
  it('answers an offer, stamping its own epoch on the answer', async () => {
    const { link, sent, clock } = setup('bob', 'ada');
    expect(link.polite).toBe(true);
    link.handleSignal(offer(10));
    await settle();
    expect(sent).toEqual([{ kind: 'description', epoch: clock.now(), description: { type: 'answer', sdp: 'answer' } }]);
  });

  it('rebuilds its connection when the peer shows up with a newer epoch', async () => {
    const { link, peerConnections, states } = setup('bob', 'ada');
    link.handleSignal(offer(10));
    await settle();
    link.handleSignal(offer(11));
    await settle();
    expect(peerConnections.map((pc) => pc.connectionState)).toEqual(['closed', 'new']);
    expect(states).toEqual(['connecting']);
    expect(peerConnections[1]?.remoteDescription?.type).toBe('offer');
  });

  it('drops signals from an older peer connection', async () => {
    const { link, peerConnections, sent } = setup('bob', 'ada');
    link.handleSignal(offer(10));
    await settle();
    const answers = sent.length;
    link.handleSignal(offer(9));
    await settle();
    expect(peerConnections).toHaveLength(1);
    expect(sent).toHaveLength(answers);
  });

  it('adopts a newer epoch without rebuilding while nothing was heard from the peer yet', async () => {
    const { link, peerConnections, sent } = setup('bob', 'ada');
    expect(link.polite).toBe(true);
    link.handleSignal({ kind: 'candidate', epoch: 10, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } });
    link.handleSignal(offer(12));
    await settle();
    expect(peerConnections).toHaveLength(1);
    expect(sent.at(-1)).toMatchObject({ kind: 'description', description: { type: 'answer' } });
  });

  it('closes its connection and ignores everything afterwards', async () => {
    const { link, peerConnections, states } = setup('bob', 'ada');
    link.close();
    link.handleSignal(offer(10));
    await settle();
    expect(states).toEqual(['closed']);
    expect(peerConnections.map((pc) => pc.connectionState)).toEqual(['closed']);
    expect(peerConnections[0]?.remoteDescription).toBeNull();
  });
});
