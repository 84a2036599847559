import type { DataChannelLike, PeerConnectionLike } from '../src/environment';
import { FakeDataChannel } from './fake-data-channel';

/**
 * A PeerConnectionLike that keeps descriptions and signaling state but never
 * connects by itself: for tests of roster, voice state, epochs and recovery,
 * where real WebRTC is beside the point. A test plays the network with
 * setConnectionState() and the browser with needNegotiation(). ICE restart
 * offers carry `a=ice-restart` in their SDP, so a test can tell them apart.
 */
export class InertPeerConnection implements PeerConnectionLike {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly channels: FakeDataChannel[] = [];
  private offers = 0;
  onnegotiationneeded: PeerConnectionLike['onnegotiationneeded'] = null;
  onicecandidate: PeerConnectionLike['onicecandidate'] = null;
  onconnectionstatechange: PeerConnectionLike['onconnectionstatechange'] = null;
  onsignalingstatechange: PeerConnectionLike['onsignalingstatechange'] = null;
  ontrack: PeerConnectionLike['ontrack'] = null;

  createOffer = async (options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> => ({
    type: 'offer',
    sdp: `offer-${++this.offers}${options?.iceRestart ? ' a=ice-restart' : ''}`,
  });
  createAnswer = async (): Promise<RTCSessionDescriptionInit> => ({ type: 'answer', sdp: 'answer' });
  setLocalDescription = async (description?: RTCSessionDescriptionInit): Promise<void> => {
    if (description?.type === 'rollback') {
      this.setSignalingState('stable');
      return;
    }
    this.localDescription = description ?? null;
    this.setSignalingState(description?.type === 'offer' ? 'have-local-offer' : 'stable');
  };
  setRemoteDescription = async (description: RTCSessionDescriptionInit): Promise<void> => {
    this.remoteDescription = description;
    this.setSignalingState(description.type === 'offer' ? 'have-remote-offer' : 'stable');
  };
  addIceCandidate = async (): Promise<void> => {};
  addTransceiver(): RTCRtpTransceiver {
    const sender = { replaceTrack: async () => {} };
    return { sender, direction: 'sendrecv' } as unknown as RTCRtpTransceiver;
  }
  addTrack(): RTCRtpSender {
    return { replaceTrack: async () => {} } as unknown as RTCRtpSender;
  }
  getTransceivers(): RTCRtpTransceiver[] {
    return [];
  }
  createDataChannel(label: string): DataChannelLike {
    const channel = new FakeDataChannel(label);
    this.channels.push(channel);
    return channel;
  }
  setConfiguration(): void {}
  getStats = async (): Promise<RTCStatsReport> => new Map() as unknown as RTCStatsReport;
  close(): void {
    this.signalingState = 'closed';
    this.connectionState = 'closed';
  }

  /** The network: the connection reaches this state. */
  setConnectionState(state: RTCPeerConnectionState): void {
    if (this.connectionState === 'closed') return;
    this.connectionState = state;
    this.onconnectionstatechange?.({});
  }

  /** The browser asks for a negotiation (what adding the first transceiver does). */
  needNegotiation(): void {
    this.onnegotiationneeded?.({});
  }

  private setSignalingState(state: RTCSignalingState): void {
    if (this.signalingState === state) return;
    this.signalingState = state;
    this.onsignalingstatechange?.({});
  }
}
