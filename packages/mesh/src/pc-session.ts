import type { IceCandidate, SessionDescription, Signal, VoiceState } from '@parley/protocol';
import { ControlChannel, type ControlChannelHandlers } from './control-channel';
import type { ControlOutbox } from './control-outbox';
import type { LogFields, MeshEnvironment, PeerConnectionLike } from './environment';
import { readAudioLevels, type AudioLevels } from './audio-levels';
import { isUsableCandidate } from './ice-candidates';
import { decideOnRemoteDescription } from './negotiation';
import { tuneOpusForVoice } from './opus-voice';
import type { InboundAudio } from './speaking-monitor';

/** The signals one RTCPeerConnection produces and consumes. */
export type SessionSignal = Exclude<Signal, { kind: 'restart' }>;

export type PcSessionHandlers = ControlChannelHandlers & {
  signal(signal: SessionSignal): void;
  negotiationStarted(): void;
  connectionStateChanged(state: RTCPeerConnectionState): void;
  remoteTrack(track: MediaStreamTrack, stream: MediaStream): void;
  negotiationFailed(cause: unknown): void;
  /** The signaling state moved between `stable` and anything else. */
  negotiationStateChanged(stable: boolean): void;
  /** The negotiation moved forward: our description went out, or one of the peer's descriptions or candidates was applied. */
  progressed(): void;
  /** An offer of ours was answered, sent once and never resent: one signaling round trip, for SignalingRtt. */
  answerTimed(rttMs: number): void;
};

export type PcSessionOptions = {
  env: MeshEnvironment;
  /** This incarnation's epoch, stamped on every outgoing signal. */
  epoch: number;
  polite: boolean;
  rtcConfiguration: RTCConfiguration;
  localTrack: MediaStreamTrack | null;
  voiceState(): VoiceState;
  logFields: LogFields;
  handlers: PcSessionHandlers;
  /** Outgoing control frames; outlives this session so a rebuild loses none. */
  outbox?: ControlOutbox;
};

/** Local candidates kept for a resend; a gathering rarely yields more. */
const MAX_KEPT_CANDIDATES = 64;
/** How long the RTP source may stand still before getStats is asked whether packets still arrive. */
const SOURCE_STILL_CONFIRM_MS = 500;

function toCandidateInit(candidate: IceCandidate): RTCIceCandidateInit {
  const init: RTCIceCandidateInit = { candidate: candidate.candidate };
  if (candidate.sdpMid != null) init.sdpMid = candidate.sdpMid;
  if (candidate.sdpMLineIndex != null) init.sdpMLineIndex = candidate.sdpMLineIndex;
  if (candidate.usernameFragment != null) init.usernameFragment = candidate.usernameFragment;
  return init;
}

/** The ICE username fragment an SDP carries, if any. */
function iceUfrag(sdp: string | undefined): string | undefined {
  return /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
}

/** The o= line: its session version moves with every new local description, not with gathered candidates. */
function originLine(sdp: string | undefined): string | undefined {
  return /^o=.*$/m.exec(sdp ?? '')?.[0];
}

function fromCandidate(candidate: RTCIceCandidate): IceCandidate {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid ?? null,
    sdpMLineIndex: candidate.sdpMLineIndex ?? null,
    ...(candidate.usernameFragment ? { usernameFragment: candidate.usernameFragment } : {}),
  };
}

/**
 * One RTCPeerConnection incarnation of a link, negotiated with the perfect
 * negotiation pattern. Once closed it never calls a handler again, so events
 * from a replaced connection cannot leak into its successor.
 *
 * The impolite side leads: at creation it adds the one audio transceiver
 * (sendrecv) and its end of the control channel, and so makes the offer.
 * The polite side never needs to negotiate. Where it has a track before
 * the peer's offer comes (at creation, usually), it adds it with addTrack and
 * opens its end of the control channel there and then, and lets the
 * negotiation they ask for wait for the peer's offer: applying that offer
 * takes the addTrack transceiver for the offered audio (JSEP reuses one made
 * by addTrack, not by addTransceiver), so answering needs no call into the
 * connection but the answer itself.
 * That matters to a newcomer: it answers every member at once, and each
 * synchronous call into a connection (getTransceivers, the direction setter,
 * createDataChannel) waits until the page's WebRTC thread has worked through
 * every description queued before it, on every link (traced on a starved
 * page: timers held for seconds). Without a track by then it adopts the
 * transceiver the offer created instead (attaching its track, if any, and
 * turning it sendrecv before answering) and opens its control channel end
 * then. So both sides creating their links at once is not glare, and ICE
 * restarts are left to the impolite side too. Glare handling
 * (with an explicit rollback: @roamhq/wrtc has no implicit one) stays as the
 * safety net for any offer the polite side still makes. Rolling back an
 * offer made after the data channel exists closes that channel in libwebrtc
 * (seen with @roamhq/wrtc): one more reason the polite side never offers.
 *
 * Recovery (see PeerLink and link-watchdog.ts) asks the session to
 * `restartIce()`: with an offer of ours still unanswered it resends that
 * offer and its candidates (they may have been dropped while the peer was
 * away from the server); once stable it makes an ICE restart offer. An offer
 * identical to the one last applied is a resend from the peer: we answer it
 * again (resending our answer and candidates) instead of renegotiating.
 * So a resend repeats the description word for word as it was first sent,
 * not `localDescription` as it reads now: once candidates are gathered that
 * text carries them too, and the peer would take it for a new offer (seen on
 * a starved page: a nudged offer cost the newcomer, the busiest page in the
 * room, a second setRemoteDescription and answer, 3.5 s late).
 *
 * Neither side attaches a stream to its sender, so remote tracks arrive
 * with no stream (`a=msid:-`) and are wrapped with env.createMediaStream,
 * the same way in Chromium and @roamhq/wrtc.
 */
export class PcSession {
  readonly epoch: number;
  private readonly pc: PeerConnectionLike;
  private control: ControlChannel | undefined;
  private readonly logFields: LogFields;
  private closed = false;
  private makingOffer = false;
  private ignoreOffer = false;
  /**
   * The kind of remote description being applied, if any: an answer being applied counts as
   * stable for perfect negotiation, and while any is, an implicit setLocalDescription could make an answer.
   */
  private applyingRemote: SessionDescription['type'] | undefined;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  /**
   * Candidates already given to the connection. A resend (a nudge) repeats
   * them, and each addIceCandidate is a blocking call into the browser's
   * WebRTC thread that a busy page cannot spare.
   */
  private readonly addedCandidates = new Set<string>();
  /** Our audio sender and the receiver beside it (see the class comment for where each side gets them). */
  private audioSender: RTCRtpSender | undefined;
  private audioReceiver: RTCRtpReceiver | undefined;
  /** Polite side: a description from the peer has come in (not yet applied, perhaps): too late to add our track ahead of it. */
  private peerDescribed = false;
  private localTrack: MediaStreamTrack | null;
  /** Remote signals are applied one at a time, in arrival order. */
  private work: Promise<void> = Promise.resolve();
  private stream: MediaStream | undefined;
  private lastRemoteOfferSdp: string | undefined;
  /** Our local description as we sent it, for a resend to repeat word for word. */
  private sentDescription: SessionDescription | undefined;
  /** When our unanswered offer went out; cleared by a resend, which makes its round trip ambiguous (Karn's rule). */
  private offerSentAtMs: number | undefined;
  /** Candidates for the current local ICE credentials, for resending. */
  private localCandidates: IceCandidate[] = [];
  /** This receiver has listed an RTP source: from now on levels and flow come from there, not getStats. */
  private rtpSourcesListed = false;
  /** The RTP source's last timestamp, and a count of the samples that saw audio arrive (the flow we report). */
  private lastSourceTimestamp: number | undefined;
  private flowCount = 0;
  /** When the source timestamp last moved (clock ms); since then, inbound bytes from getStats decide. */
  private sourceMovedAtMs = 0;
  /** Inbound bytes at the last of those getStats reads, taken at most every SOURCE_STILL_CONFIRM_MS. */
  private bytesWhileSourceStill: number | undefined;
  private confirmedAtMs = 0;
  /** The source stands still and getStats says no packet came since its last read: the source's level is the last frame's, not now's. */
  private packetsStopped = false;

  constructor(private readonly options: PcSessionOptions) {
    this.epoch = options.epoch;
    this.localTrack = options.localTrack;
    this.logFields = { ...options.logFields, epoch: options.epoch };
    const pc = options.env.createPeerConnection(options.rtcConfiguration);
    this.pc = pc;
    pc.onnegotiationneeded = () => {
      // The polite side's addTrack and control channel wait for the peer's offer, which negotiates them.
      if (options.polite && !this.hasRemoteDescription) return;
      void this.negotiate(false);
    };
    pc.onicecandidate = (event) => this.onLocalCandidate(event.candidate);
    pc.onconnectionstatechange = () => {
      if (!this.closed) options.handlers.connectionStateChanged(pc.connectionState);
    };
    pc.onsignalingstatechange = () => {
      if (!this.closed && pc.signalingState !== 'closed') options.handlers.negotiationStateChanged(pc.signalingState === 'stable');
    };
    pc.ontrack = (event) => {
      if (this.closed) return;
      this.audioReceiver ??= event.receiver;
      const stream = event.streams[0] ?? options.env.createMediaStream([event.track]);
      this.stream = stream;
      options.handlers.remoteTrack(event.track, stream);
    };
    if (options.polite && this.localTrack) {
      this.addTrackAhead(this.localTrack);
    } else if (!options.polite) {
      const transceiver = pc.addTransceiver(this.localTrack ?? 'audio', { direction: 'sendrecv' });
      this.audioSender = transceiver.sender;
      this.audioReceiver = transceiver.receiver;
      this.openControlChannel();
      // Offer now rather than on negotiationneeded: that event is a task of its own, and on a busy
      // page it waits behind whatever rendering the roster caused (80 ms, measured), while
      // createOffer runs off the main thread. The event, when it comes, finds an offer in the making.
      void this.negotiate(false);
    }
  }

  get remoteStream(): MediaStream | undefined {
    return this.stream;
  }

  /** True once a description from the peer was applied: the session is tied to that peer incarnation. */
  get hasRemoteDescription(): boolean {
    return this.pc.remoteDescription !== null;
  }

  /** Applies a description or candidate; restart requests are the link's business, not this session's. */
  handleSignal(signal: SessionSignal): void {
    this.work = this.work
      .then(() => (signal.kind === 'description' ? this.onRemoteDescription(signal.description) : this.onRemoteCandidate(signal.candidate)))
      .catch((error: unknown) => {
        if (this.closed) return;
        this.options.env.logger.warn({ ...this.logFields, error: String(error) }, 'applying a remote description failed');
        this.options.handlers.negotiationFailed(error);
      });
  }

  /** Candidates queued for an earlier peer incarnation are useless to the next one. */
  dropPendingCandidates(): void {
    this.pendingCandidates = [];
  }

  setLocalTrack(track: MediaStreamTrack | null): void {
    this.localTrack = track;
    if (this.closed) return;
    const sender = this.audioSender;
    if (!sender) {
      // The microphone came after the link but before the peer's offer: still in time to add it ahead.
      if (this.options.polite && track && !this.peerDescribed) this.addTrackAhead(track);
      return;
    }
    sender.replaceTrack(track).catch((error: unknown) => {
      this.options.env.logger.warn({ ...this.logFields, error: String(error) }, 'replaceTrack failed');
    });
  }

  /**
   * Ask for a fresh path to the peer: resend our unanswered offer, or make an
   * ICE restart offer once stable. Nothing while our first offer is still
   * being made or while we are answering (that answer is on its way).
   */
  restartIce(): void {
    if (this.closed) return;
    const pc = this.pc;
    if (pc.signalingState === 'have-local-offer') {
      this.log('info', 'resending our unanswered offer');
      this.resend();
      return;
    }
    if (pc.signalingState !== 'stable' || this.makingOffer) return;
    if (pc.localDescription === null && !this.options.polite) return; // the first offer is on its way
    void this.negotiate(true);
  }

  /**
   * Our current description and its candidates again, for a peer that may
   * have missed them (a nudge). Nothing before we have a description.
   */
  resend(): void {
    if (this.closed) return;
    if (this.pc.localDescription === null) {
      // The leading side with no offer out and none in the making (an earlier attempt failed): make it now.
      if (!this.options.polite && !this.makingOffer) void this.negotiate(false);
      return;
    }
    this.offerSentAtMs = undefined;
    this.resendLocalDescription();
    for (const candidate of this.localCandidates) {
      this.options.handlers.signal({ kind: 'candidate', epoch: this.epoch, candidate });
    }
  }

  setConfiguration(configuration: RTCConfiguration): void {
    if (this.closed) return;
    try {
      this.pc.setConfiguration(configuration);
    } catch (error) {
      this.options.env.logger.warn({ ...this.logFields, error: String(error) }, 'setConfiguration failed');
    }
  }

  /**
   * The level and flow of the audio we receive, as cheaply as the browser
   * allows: the receiver's RTP synchronization source (a synchronous read
   * of what the last frame carried: its audio level and when it was played)
   * once it lists one; a getStats call (inbound-rtp bytes and level) before
   * that, and where the implementation never lists sources (@roamhq/wrtc).
   *
   * The source's timestamp moves when a frame is played out, not when a
   * packet arrives, and a starved page plays out late: on a busy machine it
   * stands still for a second while packets keep coming, and an ICE restart
   * for that only adds load. So once it has stood still for
   * SOURCE_STILL_CONFIRM_MS, the network decides: inbound bytes from getStats,
   * read at most that often (the first reading is a baseline), until the
   * source moves again. A source listed once and now empty has had no frame
   * for ten seconds: it counts as standing still. Once getStats says the
   * packets have stopped, the level is 0, not the last frame's.
   */
  async sampleInbound(): Promise<InboundAudio> {
    const receiver = this.audioReceiver;
    if (this.closed || !receiver) return {};
    const sources = typeof receiver.getSynchronizationSources === 'function' ? receiver.getSynchronizationSources() : [];
    const latest = sources[0];
    if (latest || this.rtpSourcesListed) {
      this.rtpSourcesListed = true;
      const nowMs = this.options.env.clock.now();
      if (latest && latest.timestamp !== this.lastSourceTimestamp) {
        this.lastSourceTimestamp = latest.timestamp;
        this.sourceMovedAtMs = nowMs;
        this.bytesWhileSourceStill = undefined;
        this.packetsStopped = false;
        this.flowCount++;
      } else if (
        nowMs - this.sourceMovedAtMs >= SOURCE_STILL_CONFIRM_MS &&
        nowMs - this.confirmedAtMs >= SOURCE_STILL_CONFIRM_MS
      ) {
        this.confirmedAtMs = nowMs;
        const bytes = (await this.readInbound())?.inboundBytes;
        if (bytes !== undefined && this.bytesWhileSourceStill !== undefined) {
          this.packetsStopped = bytes <= this.bytesWhileSourceStill;
          if (!this.packetsStopped) this.flowCount++;
        }
        if (bytes !== undefined) this.bytesWhileSourceStill = bytes;
      }
      // A source keeps its last frame's level for ten seconds after the packets stop: someone
      // cut off mid-word would go on "speaking" for that long.
      const level = this.packetsStopped ? 0 : (latest?.audioLevel ?? 0);
      return { level, flow: this.flowCount };
    }
    const levels = await this.readInbound();
    if (!levels) return {};
    return {
      ...(levels.inbound === undefined ? {} : { level: levels.inbound }),
      ...(levels.inboundBytes === undefined ? {} : { flow: levels.inboundBytes }),
    };
  }

  private async readInbound(): Promise<AudioLevels | undefined> {
    const report = await this.getStats();
    return report ? readAudioLevels(report) : undefined;
  }

  async getStats(): Promise<RTCStatsReport | undefined> {
    if (this.closed) return undefined;
    try {
      return await this.pc.getStats();
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.control?.close();
    const pc = this.pc;
    pc.onnegotiationneeded = null;
    pc.onicecandidate = null;
    pc.onconnectionstatechange = null;
    pc.onsignalingstatechange = null;
    pc.ontrack = null;
    pc.close();
  }

  private async negotiate(iceRestart: boolean): Promise<void> {
    // One offer at a time: negotiationneeded arrives while the first offer is being made.
    if (this.closed || this.makingOffer) return;
    const pc = this.pc;
    // An offer is out (or an answer is being made): nothing to start until the state is stable again.
    if (pc.signalingState !== 'stable') return;
    try {
      this.makingOffer = true;
      if (!iceRestart && this.options.env.implicitDescriptions && this.applyingRemote === undefined) {
        // Made and applied in one call on the WebRTC thread. Nothing remote is being applied, so
        // this is an offer: a remote offer arriving now is ignored (we lead) or queued behind it.
        await pc.setLocalDescription();
      } else {
        const offer = await pc.createOffer(iceRestart ? { iceRestart: true } : undefined);
        // A remote offer may have been applied meanwhile: this offer is obsolete.
        if (this.closed || pc.signalingState !== 'stable') return;
        if (iceRestart) this.localCandidates = [];
        await pc.setLocalDescription(offer);
      }
      if (this.closed) return;
      this.options.handlers.negotiationStarted();
      this.offerSentAtMs = this.options.env.clock.now();
      this.sendLocalDescription();
      this.options.handlers.progressed();
    } catch (error) {
      if (this.closed) return;
      if (pc.signalingState !== 'stable') {
        // Overtaken by a remote offer; negotiationneeded fires again once stable.
        this.options.env.logger.debug({ ...this.logFields, error: String(error) }, 'offer overtaken');
        return;
      }
      this.options.handlers.negotiationFailed(error);
    } finally {
      this.makingOffer = false;
    }
  }

  private async onRemoteDescription(description: SessionDescription): Promise<void> {
    if (this.closed) return;
    this.peerDescribed = true;
    const pc = this.pc;
    const decision = decideOnRemoteDescription({
      descriptionType: description.type,
      polite: this.options.polite,
      makingOffer: this.makingOffer,
      signalingState: pc.signalingState,
      settingRemoteAnswerPending: this.applyingRemote === 'answer',
    });
    this.ignoreOffer = description.type === 'offer' && decision === 'ignore';
    this.options.env.logger.debug({ ...this.logFields, type: description.type, decision }, 'remote description');
    if (decision === 'ignore') return;
    if (description.type === 'offer' && description.sdp === this.lastRemoteOfferSdp && pc.signalingState === 'stable') {
      this.log('debug', 'the peer resent an offer we already answered; resending the answer');
      this.resend();
      return;
    }
    // Heard from the peer: the negotiation advances from now, however long the browser takes to
    // apply it. Traced on a starved member: an answer took 550 ms to apply, the nudge fired
    // meanwhile, and the newcomer (the busiest page) had to answer the same offer again.
    this.options.handlers.progressed();
    if (description.type === 'offer') this.options.handlers.negotiationStarted();
    // Explicit rollback: @roamhq/wrtc has no implicit rollback in setRemoteDescription.
    if (decision === 'rollbackThenAccept') await pc.setLocalDescription({ type: 'rollback' });
    if (this.closed) return;
    this.applyingRemote = description.type;
    try {
      // Our encoder follows what the peer's description asks to receive: ask for voice-tuned Opus on its behalf (opus-voice.ts).
      await pc.setRemoteDescription({ type: description.type, sdp: tuneOpusForVoice(description.sdp) });
    } finally {
      this.applyingRemote = undefined;
    }
    if (this.closed) return;
    if (description.type === 'offer') this.lastRemoteOfferSdp = description.sdp;
    if (description.type === 'answer' && this.offerSentAtMs !== undefined) {
      this.options.handlers.answerTimed(this.options.env.clock.now() - this.offerSentAtMs);
    }
    this.offerSentAtMs = undefined;
    this.options.handlers.progressed();
    if (description.type === 'offer') await this.answer();
    // The answer goes out first: the peer can start ICE while we add its candidates.
    this.flushPendingCandidates();
  }

  private async answer(): Promise<void> {
    const pc = this.pc;
    await this.adoptAudioTransceiver();
    if (this.closed) return;
    if (!this.control) this.openControlChannel();
    if (this.options.env.implicitDescriptions) {
      const before = iceUfrag(pc.localDescription?.sdp);
      await pc.setLocalDescription();
      if (this.closed) return;
      const after = iceUfrag(pc.localDescription?.sdp);
      // New ICE credentials (the peer restarted ICE): only candidates gathered for them are worth resending.
      if (before !== after) this.localCandidates = this.localCandidates.filter((c) => c.usernameFragment === after);
    } else {
      const answer = await pc.createAnswer();
      if (this.closed) return;
      if (this.localCandidates.length > 0 && answer.sdp !== undefined && iceUfrag(answer.sdp) !== iceUfrag(pc.localDescription?.sdp)) this.localCandidates = [];
      await pc.setLocalDescription(answer);
      if (this.closed) return;
    }
    this.sendLocalDescription();
    this.options.handlers.progressed();
  }

  /**
   * The negotiated `control` channel (id 0, ordered). The polite side opens
   * its end with its track, ahead of the peer's offer (with no track by then,
   * as it answers), and leaves the negotiation to that offer. Opened in-band
   * instead, the polite side taking it up from `datachannel`, it spared a
   * newcomer five createDataChannel calls (27-102 ms each, traced on a busy
   * page) but was no faster: bench:ab, sixth joiners into a settled call, B/A
   * 0.97x over 16 joins, then slower in 4 of 4 pairs in a second run.
   * Links with no control channel at all (a build whose openControlChannel
   * did nothing: no createDataChannel, no SCTP association, no messages as
   * it opens) formed no faster either: settled sixth joins 0.98x those of
   * this build (medians of 16, 2551 ms against 2601 ms, bench:mesh's
   * candidate, four runs taking turns, load 9 to 22, 2026-12-07).
   */
  private openControlChannel(): void {
    const handlers = this.options.handlers;
    this.control = new ControlChannel({
      channel: this.pc.createDataChannel('control', { negotiated: true, id: 0, ordered: true }),
      clock: this.options.env.clock,
      logger: this.options.env.logger,
      logFields: this.logFields,
      voiceState: this.options.voiceState,
      ...(this.options.outbox === undefined ? {} : { outbox: this.options.outbox }),
      handlers: {
        remoteVoiceState: (state) => {
          if (!this.closed) handlers.remoteVoiceState(state);
        },
        rttMeasured: (rttMs) => {
          if (!this.closed) handlers.rttMeasured(rttMs);
        },
      },
    });
  }

  /** Polite side, before the peer's offer: our track and control channel end, for that offer to take up (see the class comment). */
  private addTrackAhead(track: MediaStreamTrack): void {
    this.audioSender = this.pc.addTrack(track);
    this.openControlChannel();
  }

  /**
   * Polite side with no track before the peer's offer: send our audio on the transceiver
   * the peer's offer created. Where an answer made without the track would
   * signal no SSRC (@roamhq/wrtc, whose audio then never reached Chromium),
   * the track is in place before the answer is made; a browser answers meanwhile.
   */
  private async adoptAudioTransceiver(): Promise<void> {
    if (this.audioSender) return;
    const transceiver = this.pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
    if (!transceiver) return;
    this.audioSender = transceiver.sender;
    this.audioReceiver = transceiver.receiver;
    transceiver.direction = 'sendrecv';
    if (!this.localTrack) return;
    const attached = transceiver.sender.replaceTrack(this.localTrack);
    if (!this.options.env.announcesTracklessSenders) return attached;
    attached.catch((error: unknown) => {
      this.options.env.logger.warn({ ...this.logFields, error: String(error) }, 'replaceTrack failed');
    });
  }

  /**
   * Candidates are handed to the connection without waiting for the one
   * before: the connection applies them in order by itself, and waiting put
   * a turn of the page's task queue between each two. On a starved page that
   * was seconds for the ten candidates of a sixth joiner (measured: answers
   * applied at 1.5-2.2 s, the first ICE check at 3.2 s).
   */
  private onRemoteCandidate(candidate: IceCandidate): void {
    if (this.closed || !isUsableCandidate(candidate.candidate)) return;
    const init = toCandidateInit(candidate);
    if (this.pc.remoteDescription === null) {
      this.pendingCandidates.push(init);
      return;
    }
    void this.addCandidate(init);
  }

  private flushPendingCandidates(): void {
    const pending = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const init of pending) {
      if (this.closed) return;
      void this.addCandidate(init);
    }
  }

  private async addCandidate(init: RTCIceCandidateInit): Promise<void> {
    const key = `${init.usernameFragment ?? ''} ${init.sdpMid ?? ''} ${init.candidate ?? ''}`;
    if (this.addedCandidates.has(key)) return;
    this.addedCandidates.add(key);
    try {
      await this.pc.addIceCandidate(init);
      if (!this.closed) this.options.handlers.progressed();
    } catch (error) {
      // Candidates of an offer we ignored are expected to fail.
      if (this.ignoreOffer || this.closed) return;
      this.options.env.logger.warn({ ...this.logFields, error: String(error) }, 'addIceCandidate failed');
    }
  }

  private onLocalCandidate(candidate: RTCIceCandidate | null): void {
    if (this.closed || candidate === null || candidate.candidate === '' || !isUsableCandidate(candidate.candidate)) return;
    const wire = fromCandidate(candidate);
    if (this.localCandidates.length < MAX_KEPT_CANDIDATES) this.localCandidates.push(wire);
    this.options.handlers.signal({ kind: 'candidate', epoch: this.epoch, candidate: wire });
  }

  private log(level: 'debug' | 'info', message: string): void {
    this.options.env.logger[level](this.logFields, message);
  }

  /** Sends the local description just set, remembering it word for word for a resend. */
  private sendLocalDescription(): void {
    const local = this.pc.localDescription;
    if (!local || (local.type !== 'offer' && local.type !== 'answer')) return;
    this.sentDescription = { type: local.type, sdp: local.sdp ?? '' };
    this.options.handlers.signal({ kind: 'description', epoch: this.epoch, description: this.sentDescription });
  }

  /** The description last sent, again: while it is still the one in force, exactly as sent. */
  private resendLocalDescription(): void {
    const local = this.pc.localDescription;
    const sent = this.sentDescription;
    if (!sent || local?.type !== sent.type || originLine(local.sdp) !== originLine(sent.sdp)) {
      this.sendLocalDescription();
      return;
    }
    this.options.handlers.signal({ kind: 'description', epoch: this.epoch, description: sent });
  }
}
