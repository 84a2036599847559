import type { DataChannelLike } from '../src/environment';

/** A DataChannelLike a test opens by hand; `peerSends` plays the remote peer. */
export class FakeDataChannel implements DataChannelLike {
  readyState: RTCDataChannelState = 'connecting';
  /** Set by a test to play a congested channel; drain() empties it. */
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  /** Each send adds this much to bufferedAmount, to play a slow peer. */
  fillPerSendBytes = 0;
  readonly sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onbufferedamountlow: ((event: unknown) => void) | null = null;

  constructor(readonly label = 'control') {}

  send(data: string): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError: channel is not open');
    this.sent.push(data);
    if (this.fillPerSendBytes > 0) this.bufferedAmount += this.fillPerSendBytes;
  }

  close(): void {
    this.readyState = 'closed';
  }

  get sentMessages(): unknown[] {
    return this.sent.map((frame) => JSON.parse(frame) as unknown);
  }

  open(): void {
    this.readyState = 'open';
    this.onopen?.({});
  }

  peerSends(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }

  /** The buffer empties below the low water mark. */
  drain(): void {
    this.bufferedAmount = 0;
    this.onbufferedamountlow?.({});
  }

  remoteClose(): void {
    this.readyState = 'closed';
  }
}
