/**
 * RTCPeerConnections made ahead of need, while the page is idle, for the
 * engine's links to take. Making one is a blocking call into the browser's
 * WebRTC threads: a few milliseconds on an idle machine, 60-100 ms each on a
 * busy two-core one (measured: a sixth joiner's `room.joined` held its main
 * thread 340 ms making its five links, while the five offers for them waited
 * behind it). A spare is made on the join form, or in the room after a link
 * took one, so the next person through the door costs none of that.
 *
 * A spare is made with the configuration last asked for (at first
 * `baseConfiguration`), and only handed to a taker asking for exactly that:
 * one made for other ICE servers is closed, and the taker makes its own (see
 * take()).
 */
export type PeerConnectionSparesOptions = {
  create(configuration: RTCConfiguration): RTCPeerConnection;
  /** Runs `work` when the page has nothing better to do. */
  whenIdle(work: () => void): void;
  /**
   * Runs `work` once the links just made have had time to form: a spare made
   * while they still negotiate would cost them what it saves the next one.
   */
  afterUse(work: () => void): void;
  /** How many to keep ready. */
  count: number;
  /** What every spare is made with (see above); also what the first ones are made with. */
  baseConfiguration: RTCConfiguration;
};

type Spare = { pc: RTCPeerConnection; configuration: RTCConfiguration };

export class PeerConnectionSpares {
  private readonly ready: Spare[] = [];
  private filling = false;
  private refillPending = false;
  /** What the next spare is made with: the configuration last asked for, so it needs no change when taken. */
  private configuration: RTCConfiguration;

  constructor(private readonly options: PeerConnectionSparesOptions) {
    this.configuration = options.baseConfiguration;
  }

  get size(): number {
    return this.ready.length;
  }

  /** Makes spares up to `count`, one per idle moment. */
  fill(): void {
    if (this.filling || this.ready.length >= this.options.count) return;
    this.filling = true;
    this.options.whenIdle(() => {
      this.filling = false;
      const configuration = this.configuration;
      try {
        this.ready.push({ pc: this.options.create(configuration), configuration });
      } catch {
        return; // WebRTC is off in this browser: the taker finds out and says so.
      }
      this.fill();
    });
  }

  /** A spare configured as `configuration` asks, or undefined (none ready, or none that can be). */
  take(configuration: RTCConfiguration): RTCPeerConnection | undefined {
    if (!sameBundling(configuration, this.options.baseConfiguration)) return undefined;
    this.configuration = configuration;
    this.refillLater();
    const spare = this.ready.shift();
    if (!spare) return undefined;
    if (sameIce(spare.configuration, configuration)) return spare.pc;
    // Made for other ICE servers or another transport policy: Chromium takes them through
    // setConfiguration, but that connection's ICE restart offers then lack their BUNDLE group
    // (seen with a relay-only policy), which the peer refuses. Only a spare made for them will do.
    spare.pc.close();
    return undefined;
  }

  private refillLater(): void {
    if (this.refillPending) return;
    this.refillPending = true;
    this.options.afterUse(() => {
      this.refillPending = false;
      this.fill();
    });
  }

  close(): void {
    for (const spare of this.ready.splice(0)) spare.pc.close();
  }
}

function sameBundling(a: RTCConfiguration, b: RTCConfiguration): boolean {
  return (a.bundlePolicy ?? 'balanced') === (b.bundlePolicy ?? 'balanced') && (a.rtcpMuxPolicy ?? 'require') === (b.rtcpMuxPolicy ?? 'require');
}

function sameIce(a: RTCConfiguration, b: RTCConfiguration): boolean {
  return (a.iceTransportPolicy ?? 'all') === (b.iceTransportPolicy ?? 'all') && JSON.stringify(a.iceServers ?? []) === JSON.stringify(b.iceServers ?? []);
}
