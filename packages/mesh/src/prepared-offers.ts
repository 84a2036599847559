import type { IceCandidate } from '@parley/protocol';
import type { DataChannelLike, MeshEnvironment, PeerConnectionLike } from './environment';
import { isUsableCandidate } from './ice-candidates';

/**
 * An offer made ahead of need: a connection with our audio transceiver and
 * our end of the control channel, its offer applied and its candidates
 * gathered, waiting for the next person to join. The leading side of a new
 * link (see PcSession) takes one and sends its offer at once.
 *
 * Why: that side's first offer is three blocking calls into the browser's
 * WebRTC threads (the connection, the transceiver, the data channel) and a
 * setLocalDescription that creates the transport and starts gathering.
 * Profiled on a member of a room of five on a busy two-core machine when a
 * sixth joined: 270-460 ms in the three calls, the offer out 650-1,000 ms after
 * `peer.joined`; in the same run the raw-WebRTC page's joiner had all its
 * offers out by 580 ms.
 */
export type PreparedOffer = {
  readonly pc: PeerConnectionLike;
  readonly transceiver: RTCRtpTransceiver;
  readonly channel: DataChannelLike;
  /** What it was made with: only usable by a link wanting the same ICE servers and policy. */
  readonly configuration: RTCConfiguration;
  /** The usable candidates gathered so far, in order. */
  readonly candidates: readonly IceCandidate[];
};

/** The negotiated control channel both sides open (PcSession): id 0, ordered. */
export const CONTROL_CHANNEL = { label: 'control', init: { negotiated: true, id: 0, ordered: true } } as const;

export type PreparedOffersOptions = {
  env: Pick<MeshEnvironment, 'createPeerConnection' | 'implicitDescriptions' | 'logger' | 'whenIdle'>;
  /** How many to keep ready. */
  count: number;
};

type Shelved = PreparedOffer & { candidates: IceCandidate[] };

/**
 * Keeps `count` prepared offers for the current configuration and
 * microphone track, made one per idle moment (MeshEnvironment.whenIdle;
 * none where the environment has no idle time to offer). A new
 * configuration throws them away (the candidates were gathered with the old
 * ICE servers); a new track is put on them. One taken is made again at the
 * next `keep()`: the owner says when (PeerMesh: once no link is forming, as
 * making one is the very work the forming links wait for).
 */
export class PreparedOffers {
  private shelf: Shelved[] = [];
  private configuration: RTCConfiguration | undefined;
  private track: MediaStreamTrack | null = null;
  private filling = false;
  private closed = true;

  constructor(private readonly options: PreparedOffersOptions) {}

  /** Start (or go on) keeping offers ready for `configuration`. */
  keep(configuration: RTCConfiguration, track: MediaStreamTrack | null): void {
    if (this.configuration !== configuration) this.discard();
    this.configuration = configuration;
    this.closed = false;
    this.setTrack(track);
    this.fill();
  }

  setTrack(track: MediaStreamTrack | null): void {
    if (this.track === track) return;
    this.track = track;
    for (const offer of this.shelf) void offer.transceiver.sender.replaceTrack(track).catch(() => this.remove(offer));
  }

  /** A ready offer made with `configuration`, now the caller's; undefined when there is none. */
  take(configuration: RTCConfiguration): PreparedOffer | undefined {
    if (configuration !== this.configuration) return undefined;
    // Ready once its offer is applied, which the connection says before the promise of it settles.
    const index = this.shelf.findIndex((offer) => offer.pc.signalingState === 'have-local-offer' && offer.pc.localDescription !== null);
    if (index < 0) return undefined;
    const [offer] = this.shelf.splice(index, 1);
    if (!offer) return undefined;
    offer.pc.onicecandidate = null;
    offer.pc.onnegotiationneeded = null;
    return offer;
  }

  /** Out of the room: nothing kept. */
  close(): void {
    this.closed = true;
    this.discard();
  }

  private discard(): void {
    for (const offer of this.shelf.splice(0)) offer.pc.close();
  }

  private remove(offer: Shelved): void {
    const index = this.shelf.indexOf(offer);
    if (index < 0) return;
    this.shelf.splice(index, 1);
    offer.pc.close();
    this.fill();
  }

  private fill(): void {
    const whenIdle = this.options.env.whenIdle;
    if (!whenIdle || this.filling || this.closed || this.shelf.length >= this.options.count) return;
    this.filling = true;
    whenIdle(() => {
      this.filling = false;
      if (this.closed || this.shelf.length >= this.options.count || !this.configuration) return;
      const offer = this.make(this.configuration);
      if (!offer) return;
      this.shelf.push(offer);
      void this.describe(offer);
    });
  }

  private make(configuration: RTCConfiguration): Shelved | undefined {
    const { env } = this.options;
    try {
      const pc = env.createPeerConnection(configuration);
      const transceiver = pc.addTransceiver(this.track ?? 'audio', { direction: 'sendrecv' });
      const channel = pc.createDataChannel(CONTROL_CHANNEL.label, CONTROL_CHANNEL.init);
      const offer: Shelved = { pc, transceiver, channel, configuration, candidates: [] };
      pc.onicecandidate = (event) => {
        const candidate = event.candidate;
        if (candidate === null || candidate.candidate === '' || !isUsableCandidate(candidate.candidate)) return;
        offer.candidates.push({
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid ?? null,
          sdpMLineIndex: candidate.sdpMLineIndex ?? null,
          ...(candidate.usernameFragment ? { usernameFragment: candidate.usernameFragment } : {}),
        });
      };
      return offer;
    } catch (error) {
      env.logger.debug({ error: String(error) }, 'could not prepare an offer');
      return undefined;
    }
  }

  private async describe(offer: Shelved): Promise<void> {
    const { pc } = offer;
    try {
      if (this.options.env.implicitDescriptions) await pc.setLocalDescription();
      else await pc.setLocalDescription(await pc.createOffer());
    } catch (error) {
      this.options.env.logger.debug({ error: String(error) }, 'could not prepare an offer');
      this.remove(offer);
    }
  }
}
