import { describe, expect, it, vi } from 'vitest';
import { InertPeerConnection } from '../test-support/inert-peer-connection';
import { sessionOver } from '../test-support/inert-session';
import type { SessionSignal } from './pc-session';

const UDP_HOST = 'candidate:1 1 udp 2122260223 192.0.2.2 40000 typ host generation 0';
const TCP_PASSIVE = 'candidate:2 1 tcp 1518280447 192.0.2.2 45213 typ host tcptype passive generation 0';
const RELAY = 'candidate:3 1 udp 41885439 203.0.113.9 3478 typ relay raddr 192.0.2.2 rport 40000 generation 0';

/** A connection that keeps the candidates handed to it, as a browser's would. */
class CandidateKeepingConnection extends InertPeerConnection {
  readonly added: string[] = [];
  override addIceCandidate = async (init?: RTCIceCandidateInit): Promise<void> => {
    if (init?.candidate) this.added.push(init.candidate);
  };
}

function session() {
  const pc = new CandidateKeepingConnection();
  const sent: SessionSignal[] = [];
  const { session: pcSession } = sessionOver(pc, { polite: true, handlers: { signal: (signal) => sent.push(signal) } });
  return { pc, pcSession, sent };
}

const sentCandidates = (sent: SessionSignal[]) => sent.flatMap((s) => (s.kind === 'candidate' ? [s.candidate.candidate] : []));

describe('PcSession: the call runs over UDP', () => {
  it('tells the peer about UDP and relay candidates, never TCP ones', () => {
    const { pc, sent } = session();
    for (const candidate of [UDP_HOST, TCP_PASSIVE, RELAY]) {
      pc.onicecandidate?.({ candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0 } as RTCIceCandidate } as RTCPeerConnectionIceEvent);
    }
    expect(sentCandidates(sent)).toEqual([UDP_HOST, RELAY]);
  });

  it("hands the peer's UDP and relay candidates to the connection, never TCP ones", async () => {
    const { pc, pcSession } = session();
    pc.remoteDescription = { type: 'offer', sdp: 'offer' };
    for (const candidate of [TCP_PASSIVE, UDP_HOST, RELAY]) {
      pcSession.handleSignal({ kind: 'candidate', epoch: 2, candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0 } });
    }
    await vi.waitFor(() => expect(pc.added).toEqual([UDP_HOST, RELAY]));
  });
});
