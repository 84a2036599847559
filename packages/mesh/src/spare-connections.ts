import type { DataChannelLike, Logger, PeerConnectionLike } from './environment';

/**
 * A connection made ahead of need, set up as PcSession sets up a link's
 * first connection: our audio (addTransceiver on the side that offers,
 * addTrack on the side that answers, see PcSession) and the negotiated
 * control channel. Nothing is negotiated yet and nothing is gathered.
 */
export type PreparedConnection = {
  readonly pc: PeerConnectionLike;
  readonly polite: boolean;
  readonly track: MediaStreamTrack;
  readonly configuration: RTCConfiguration;
  readonly sender: RTCRtpSender;
  /** The offering side's receiver; the answering side gets its own from the peer's offer. */
  readonly receiver: RTCRtpReceiver | undefined;
  readonly control: DataChannelLike;
};

/** The kind of connection a link would take: its role toward the peer, and what it sends. */
export type SpareKind = { polite: boolean; track: MediaStreamTrack };

export type SpareConnectionsDeps = {
  createPeerConnection(configuration: RTCConfiguration): PeerConnectionLike;
  /** Runs `work` when the page has nothing else to do (requestIdleCallback in the browser). */
  whenIdle(work: () => void): void;
  logger: Logger;
};

/**
 * The negotiated `control` channel both sides open (id 0, ordered): one
 * definition for a link's own connection and a prepared one.
 */
export function openControlDataChannel(pc: PeerConnectionLike): DataChannelLike {
  return pc.createDataChannel('control', { negotiated: true, id: 0, ordered: true });
}

/** Our audio on a fresh connection, as the side `polite` sends it (see PcSession). */
export function addOwnAudio(
  pc: PeerConnectionLike,
  polite: boolean,
  track: MediaStreamTrack,
): { sender: RTCRtpSender; receiver: RTCRtpReceiver | undefined } {
  if (polite) return { sender: pc.addTrack(track), receiver: undefined };
  const transceiver = pc.addTransceiver(track, { direction: 'sendrecv' });
  return { sender: transceiver.sender, receiver: transceiver.receiver };
}

/**
 * Connections made while the page is idle, for the next links to take.
 *
 * Making a link's connection is four synchronous calls into the browser's
 * WebRTC thread (constructor, addTransceiver or addTrack, createDataChannel)
 * and on a busy two-core machine each holds the page's main thread 10-190 ms
 * (traced: a member answering a newcomer's arrival spent 350 ms in them
 * before it could make its offer; the newcomer, 220-470 ms making its five
 * before it could read the members' offers). Both are on the join's
 * critical path. Made ahead, while the form waits for the click or the call
 * is settled, a join starts with the offer and the answer.
 *
 * `want` says how many of which kind to keep; they are made one per idle
 * moment, and only while `allowed()` says so (the mesh holds them back
 * while its own links form). `take` hands one over with the link's
 * configuration applied; the rest are closed by `keepOnly` and `clear`.
 */
export class SpareConnections {
  private spares: PreparedConnection[] = [];
  private wanted: (SpareKind & { count: number; configuration: RTCConfiguration; allowed: () => boolean }) | undefined;
  private scheduled = false;

  constructor(private readonly deps: SpareConnectionsDeps) {}

  /**
   * Keep `count` connections of this kind ready, made with `configuration`
   * while idle and `allowed()`; other kinds are closed.
   */
  want(kind: SpareKind & { count: number; configuration: RTCConfiguration; allowed?: () => boolean }): void {
    this.wanted = { ...kind, allowed: kind.allowed ?? (() => true) };
    this.keepOnly(kind);
    this.schedule();
  }

  /**
   * A prepared connection of this kind, now carrying `configuration`; it is
   * the caller's from now on. Undefined when none is ready.
   */
  take(kind: SpareKind, configuration: RTCConfiguration): PreparedConnection | undefined {
    const index = this.spares.findIndex((spare) => matches(spare, kind));
    if (index < 0) return undefined;
    const [spare] = this.spares.splice(index, 1);
    if (!spare) return undefined;
    try {
      // The ICE servers and policy may have changed since it was made (the join's TURN credentials).
      if (JSON.stringify(configuration) !== JSON.stringify(spare.configuration)) spare.pc.setConfiguration(configuration);
    } catch (error) {
      this.deps.logger.warn({ error: String(error) }, 'a prepared connection refused the configuration');
      spare.pc.close();
      return undefined;
    }
    this.schedule();
    return spare;
  }

  /** How many are ready. */
  get size(): number {
    return this.spares.length;
  }

  /** Closes every prepared connection not of this kind, or of another microphone when only `track` is given. */
  keepOnly(kind: Partial<SpareKind> | undefined): void {
    const fits = (spare: SpareKind) =>
      kind !== undefined && (kind.polite === undefined || kind.polite === spare.polite) && (kind.track === undefined || kind.track === spare.track);
    const kept: PreparedConnection[] = [];
    for (const spare of this.spares) {
      if (fits(spare) && isLive(spare.track)) kept.push(spare);
      else spare.pc.close();
    }
    this.spares = kept;
    if (this.wanted && !fits(this.wanted)) this.wanted = undefined;
  }

  /** Closes them all and wants none. */
  clear(): void {
    this.wanted = undefined;
    this.keepOnly(undefined);
  }

  private schedule(): void {
    if (this.scheduled || !this.missing()) return;
    this.scheduled = true;
    this.deps.whenIdle(() => {
      this.scheduled = false;
      const wanted = this.wanted;
      if (!wanted || !this.missing() || !wanted.allowed()) return;
      this.prepare(wanted);
      this.schedule();
    });
  }

  private missing(): boolean {
    const wanted = this.wanted;
    return wanted !== undefined && isLive(wanted.track) && this.spares.length < wanted.count;
  }

  private prepare({ polite, track, configuration }: SpareKind & { configuration: RTCConfiguration }): void {
    let pc: PeerConnectionLike | undefined;
    try {
      pc = this.deps.createPeerConnection(configuration);
      const { sender, receiver } = addOwnAudio(pc, polite, track);
      this.spares.push({ pc, polite, track, configuration, sender, receiver, control: openControlDataChannel(pc) });
    } catch (error) {
      // No WebRTC here, or the track ended meanwhile: links make their own as before.
      pc?.close();
      this.wanted = undefined;
      this.deps.logger.warn({ error: String(error) }, 'could not prepare a connection');
    }
  }
}

function sameKind(a: SpareKind, b: SpareKind): boolean {
  return a.polite === b.polite && a.track === b.track;
}

function matches(spare: PreparedConnection, kind: SpareKind): boolean {
  return sameKind(spare, kind) && isLive(kind.track);
}

function isLive(track: MediaStreamTrack): boolean {
  return track.readyState !== 'ended';
}
