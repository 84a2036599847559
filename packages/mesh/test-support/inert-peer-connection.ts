import type { DataChannelLike, PeerConnectionLike } from '../src/environment';
import { FakeDataChannel } from './fake-data-channel';

/**
 * A PeerConnectionLike that keeps descriptions and signaling state but never
 * connects and never fires an event: for tests of roster, voice state and
 * epoch bookkeeping, where real WebRTC is beside the point.
 */
export class InertPeerConnection implements PeerConnectionLike {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly channels: FakeDataChannel[] = [];
  onnegotiationneeded: PeerConnectionLike['onnegotiationneeded'] = null;
  onicecandidate: PeerConnectionLike['onicecandidate'] = null;
  oniceconnectionstatechange: PeerConnectionLike['oniceconnectionstatechange'] = null;
  onconnectionstatechange: PeerConnectionLike['onconnectionstatechange'] = null;
  onsignalingstatechange: PeerConnectionLike['onsignalingstatechange'] = null;
  ontrack: PeerConnectionLike['ontrack'] = null;

  createOffer = async (): Promise<RTCSessionDescriptionInit> => ({ type: 'offer', sdp: '' });
  createAnswer = async (): Promise<RTCSessionDescriptionInit> => ({ type: 'answer', sdp: '' });
  setLocalDescription = async (description?: RTCSessionDescriptionInit): Promise<void> => {
    if (description?.type === 'rollback') {
      this.signalingState = 'stable';
      return;
    }
    this.localDescription = description ?? null;
    this.signalingState = description?.type === 'offer' ? 'have-local-offer' : 'stable';
  };
  setRemoteDescription = async (description: RTCSessionDescriptionInit): Promise<void> => {
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  };
  addIceCandidate = async (): Promise<void> => {};
  addTransceiver(): RTCRtpTransceiver {
    const sender = { replaceTrack: async () => {} };
    return { sender, direction: 'sendrecv' } as unknown as RTCRtpTransceiver;
  }
  getTransceivers(): RTCRtpTransceiver[] {
    return [];
  }
  createDataChannel(label: string): DataChannelLike {
    const channel = new FakeDataChannel(label);
    this.channels.push(channel);
    return channel;
  }
  restartIce(): void {}
  setConfiguration(): void {}
  getStats = async (): Promise<RTCStatsReport> => new Map() as unknown as RTCStatsReport;
  close(): void {
    this.signalingState = 'closed';
    this.connectionState = 'closed';
  }
}
