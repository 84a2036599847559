import type { Participant, UserId } from '@parley/protocol';
import { readAudioLevels } from './audio-levels';
import { Emitter } from './emitter';
import type { LevelMeter, MeshEnvironment } from './environment';
import type { MeshError } from './errors';
import type { LinkState } from './events';
import { LinkEpochs } from './link-epochs';
import type { LinkQuality } from './link-quality';
import { LinkQualityMonitor } from './link-quality-monitor';
import { PeerLink } from './peer-link';
import type { IceSettings, SessionClient } from './session-client';
import { SpeakingDetector } from './speaking-detector';
import { connectedLinksRest, observationIntervalMs, shouldSample, SPEAKING_POLL_INTERVAL_MS, SpeakingMonitor } from './speaking-monitor';

export type PeerMeshEvents = {
  linkStateChanged: { userId: UserId; from: LinkState; to: LinkState };
  remoteTrack: { userId: UserId; track: MediaStreamTrack; stream: MediaStream };
  /** Voice activity of a participant (self included), from audio levels. */
  speakingChanged: { userId: UserId; speaking: boolean };
  /**
   * The round trip to a participant: once over the control channel as it
   * opens, then from the link's stats at each quality pass (control-channel.ts).
   */
  rttMeasured: { userId: UserId; rttMs: number };
  /** Round trip, loss, jitter, path, codec and bitrates of a connected link, every two seconds or so. */
  linkQuality: { userId: UserId; quality: LinkQuality };
  /** We are muted and the microphone hears us speak (or stopped hearing it): "You are muted". */
  speakingWhileMuted: { speaking: boolean };
  error: { error: MeshError };
};

export type PeerMeshOptions = {
  session: SessionClient;
  env: MeshEnvironment;
  speakingPollIntervalMs?: number;
  /**
   * Whether to send our audio to this participant (default: to everyone).
   * Headless participants filling a big room use it to skip each other:
   * each sending path costs an encoder.
   */
  sendAudioTo?(participant: Participant): boolean;
};

/**
 * Audio and the control channel share one transport, negotiated or not: with
 * the default ('balanced') an offer gathers candidates for each of its two
 * m-lines until the answer says BUNDLE, twice the candidates to signal and
 * check on every link for nothing (every browser and libwebrtc bundles).
 * Never changed on a live connection: setConfiguration refuses a new policy.
 */
const BUNDLE_POLICY: RTCBundlePolicy = 'max-bundle';

/**
 * No ICE candidate pool: gathering at construction instead of at the local
 * description was tried (iceCandidatePoolSize 1) and was no faster on a busy
 * two-core machine: a newcomer's answer to ICE connected, median 790 ms over
 * 40 links against 530 without (bench:mesh's candidate, 8 settled joins each).
 */
export function toRtcConfiguration({ iceServers, iceTransportPolicy }: IceSettings): RTCConfiguration {
  return {
    bundlePolicy: BUNDLE_POLICY,
    iceServers: iceServers.map((server) => ({
      urls: server.urls,
      ...(server.username === undefined ? {} : { username: server.username }),
      ...(server.credential === undefined ? {} : { credential: server.credential }),
    })),
    iceTransportPolicy,
  };
}

/**
 * The peer links of our room: one PeerLink per other participant, made from
 * the session's roster and fed its `peer.signal`s; our microphone track on
 * each; speaking and stalled-audio detection over all of them. It never
 * sees chat.
 *
 * Losing the server never closes a link; media keeps flowing peer to peer.
 * A roster re-sent after a reconnect keeps the link of everyone still there
 * (no new RTCPeerConnection), makes links for newcomers and renegotiates
 * links that are down. A link may signal only while the session says so
 * (`SessionClient.canSignalTo`); its watchdog waits for that.
 */
export class PeerMesh {
  private readonly emitter: Emitter<PeerMeshEvents>;
  private readonly env: MeshEnvironment;
  private readonly session: SessionClient;
  private readonly links = new Map<UserId, PeerLink>();
  /** Participants the owner muted for everyone (room.settings): their audio is not played here. */
  private silenced = new Set<UserId>();
  private readonly speaking: SpeakingMonitor;
  private readonly quality: LinkQualityMonitor;
  private readonly sendAudioTo: ((participant: Participant) => boolean) | undefined;
  /** The room our links belong to: a roster for it again is a reconcile, not a new room. */
  private roomId: string | undefined;
  private localStream: MediaStream | null = null;
  private localMeter: LevelMeter | undefined;
  /**
   * While muted: a meter on a copy of the microphone track (the track itself is
   * disabled, so it hears nothing), to tell someone speaking into a muted
   * microphone. Only while muted: a running meter costs more than nothing.
   */
  private mutedMeter: { copy: MediaStreamTrack; meter: LevelMeter | undefined; detector: SpeakingDetector } | undefined;
  private rtcConfiguration: RTCConfiguration = { iceServers: [], bundlePolicy: BUNDLE_POLICY };
  /** Every incarnation of every link is numbered from the session generation. */
  private readonly epochs: LinkEpochs;
  /** Since when some link has been new or connecting without a pause; undefined while none is. */
  private formingSinceMs: number | undefined;

  constructor(options: PeerMeshOptions) {
    this.env = options.env;
    this.session = options.session;
    this.sendAudioTo = options.sendAudioTo;
    this.epochs = new LinkEpochs(() => this.session.generation);
    const logger = this.env.logger;
    this.emitter = new Emitter((name, error) => logger.error({ event: String(name), error: String(error) }, 'mesh listener threw'));
    const visibleIntervalMs = options.speakingPollIntervalMs ?? SPEAKING_POLL_INTERVAL_MS;
    this.speaking = new SpeakingMonitor({
      clock: this.env.clock,
      intervalMs: () =>
        observationIntervalMs({
          visibleMs: visibleIntervalMs,
          hidden: this.env.pageHidden?.() ?? false,
          linkForming: this.formingForMs() !== undefined,
        }),
      sources: () => {
        const formingForMs = this.formingForMs();
        return [...this.links.values()]
          .filter((link) => shouldSample(link.state, formingForMs))
          .map((link) => ({ userId: link.remoteId, sample: () => link.sampleInbound() }));
      },
      selfLevel: () => this.selfLevel(),
      selfId: () => this.session.selfId,
      selfMuted: () => this.session.voice.muted,
      onChange: (userId, speaking) => this.emitter.emit('speakingChanged', { userId, speaking }),
      onMediaStalled: (userId, stalled) => {
        if (stalled) this.links.get(userId)?.mediaStalled();
        else this.links.get(userId)?.mediaResumed();
      },
    });
    this.quality = new LinkQualityMonitor({
      clock: this.env.clock,
      hidden: () => this.env.pageHidden?.() ?? false,
      forming: () => connectedLinksRest(this.formingForMs()),
      sources: () =>
        [...this.links.values()]
          .filter((link) => link.state === 'connected')
          .map((link) => ({ userId: link.remoteId, getStats: () => link.getStats() })),
      onQuality: (userId, quality) => {
        this.emitter.emit('linkQuality', { userId, quality });
        if (quality.roundTripMs !== undefined) this.emitter.emit('rttMeasured', { userId, rttMs: quality.roundTripMs });
      },
    });
    const session = this.session;
    session.on('iceSettingsChanged', (settings) => this.setRtcConfiguration(toRtcConfiguration(settings)));
    session.on('roomJoined', ({ roomId, selfId, participants }) => this.onRoster(roomId, selfId, participants));
    session.on('roomLeft', () => {
      this.silenced = new Set();
      this.closeAll();
    });
    session.on('roomSettingsChanged', ({ silenced }) => {
      this.silenced = new Set(silenced);
      for (const [userId, link] of this.links) applySilence(link.remoteStream, this.silenced.has(userId));
    });
    session.on('peerJoined', ({ participant }) => this.ensureLink(participant.userId));
    session.on('peerReturned', ({ userId }) => {
      const link = this.links.get(userId);
      if (link) link.requestRestart();
      else this.ensureLink(userId);
    });
    session.on('peerLeft', ({ userId }) => this.removeLink(userId));
    session.on('reachabilityChanged', () => this.updateReachability());
    session.on('signalReceived', ({ from, signal }) => this.ensureLink(from)?.handleSignal(signal));
  }

  on<K extends keyof PeerMeshEvents>(name: K, listener: (payload: PeerMeshEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  getRemoteStream(userId: UserId): MediaStream | undefined {
    return this.links.get(userId)?.remoteStream;
  }

  setLocalStream(stream: MediaStream | null): void {
    this.localStream = stream;
    this.closeMutedMeter();
    this.voiceChanged();
    this.localMeter?.close();
    this.localMeter = undefined;
    for (const link of this.links.values()) link.setLocalTrack(this.trackFor(link.remoteId));
  }

  /** The session's voice state changed: the microphone follows it, and every link tells its peer directly. */
  voiceChanged(options: { tellPeers: boolean } = { tellPeers: false }): void {
    const voice = this.session.voice;
    const track = this.localTrack();
    if (track) track.enabled = !voice.muted;
    if (!voice.muted || !track) this.closeMutedMeter();
    if (options.tellPeers) for (const link of this.links.values()) link.sendVoiceState(voice);
  }

  close(): void {
    this.closeAll();
    this.closeMutedMeter();
    this.localMeter?.close();
    this.localMeter = undefined;
  }

  /** Fed on every speaking tick while muted: whether the microphone hears speech we are not sending. */
  private sampleWhileMuted(): void {
    const track = this.localTrack();
    if (!track || !this.session.voice.muted || this.session.voice.deafened) return this.closeMutedMeter();
    if (!this.mutedMeter) {
      const copy = track.clone();
      copy.enabled = true;
      this.mutedMeter = { copy, meter: this.env.createLevelMeter?.(copy), detector: new SpeakingDetector() };
    }
    const level = this.mutedMeter.meter?.level();
    if (level === undefined) return;
    if (this.mutedMeter.detector.update(level, this.env.clock.now())) {
      this.emitter.emit('speakingWhileMuted', { speaking: this.mutedMeter.detector.isSpeaking });
    }
  }

  private closeMutedMeter(): void {
    const muted = this.mutedMeter;
    if (!muted) return;
    this.mutedMeter = undefined;
    muted.meter?.close();
    muted.copy.stop();
    if (muted.detector.isSpeaking) this.emitter.emit('speakingWhileMuted', { speaking: false });
  }

  /**
   * Every link is made here, at once, though on a fresh join the members are
   * the ones who offer. The newcomer's last answer goes out when its own work
   * is done, in whatever order it comes. Other orders were measured on a busy
   * two-core machine and were no faster:
   * - links made only as each member's offer came (bench:ab, 11 joins);
   * - members waiting for the newcomer's word before offering, so that its
   *   links were made while nobody else was busy (bench:mesh's candidate:
   *   settled joins 1.2x slower, 8 of each). Measured again (2026-12-07):
   *   the newcomer sending each member an `unheard` restart request once all
   *   its links were made, each member making its link and offering only then
   *   (a 3 s fallback), settled sixth joins took 2959 ms against 2033 ms for
   *   this order (medians of 8 in one bench:mesh run, load 2 to 16). Traced
   *   with the members held back 1.5 s instead, the two sides do stop slowing
   *   each other (the newcomer's `room.joined` handler 180-300 ms against
   *   390-770, each member's offer made in 100 ms against 300-450), but the
   *   hop the word adds and the newcomer's own work after its links were not
   *   paid back;
   * - connections made ahead while idle (five by the join form, one kept by
   *   each member; 6ee8c77, reverted): they took the constructor, addTrack or
   *   addTransceiver and createDataChannel off the join (110-470 ms per page,
   *   traced), but settled sixth joins were not reliably faster (bench:mesh,
   *   five A/B sets, 44 joins a side: medians 0.6x to 1.3x those of the build
   *   without), nor two-person joins (bench:join p50 1.21x the raw page's,
   *   against 1.22x).
   */
  private onRoster(roomId: string, selfId: UserId, participants: Participant[]): void {
    const reconcile = this.roomId === roomId;
    this.roomId = roomId;
    for (const participant of participants) {
      const userId = participant.userId;
      if (userId === selfId) continue;
      const known = this.links.get(userId);
      const link = this.ensureLink(userId);
      // A known link that is down gets renegotiated now. A new one after a resumed
      // session: the peer may still hold a link to our previous page, so announce ours.
      if ((known && participant.presence === 'online') || (!known && this.session.resumed)) link?.requestRestart();
    }
    if (reconcile) for (const link of this.links.values()) link.sendVoiceState(this.session.voice);
    this.speaking.start();
    this.quality.start();
  }

  /** How long some link has been forming (new or connecting), or undefined while none is. */
  private formingForMs(): number | undefined {
    const forming = [...this.links.values()].some((link) => link.state === 'new' || link.state === 'connecting');
    if (!forming) {
      this.formingSinceMs = undefined;
      return undefined;
    }
    const nowMs = this.env.clock.now();
    this.formingSinceMs ??= nowMs;
    return nowMs - this.formingSinceMs;
  }

  /**
   * Our microphone's level: a meter on the track (Web Audio in the browser),
   * so it lights while we are alone too and costs no getStats. Where there is
   * no meter (a headless participant) or it cannot tell yet (the page's audio
   * has not started), what a connected link says it sends.
   */
  private async selfLevel(): Promise<number | undefined> {
    this.sampleWhileMuted();
    const track = this.localTrack();
    if (track) {
      this.localMeter ??= this.env.createLevelMeter?.(track);
      const level = this.localMeter?.level();
      if (level !== undefined) return level;
    }
    const link = [...this.links.values()].find((l) => l.state === 'connected');
    const report = await link?.getStats();
    return report ? readAudioLevels(report).local : undefined;
  }

  private localTrack(): MediaStreamTrack | null {
    return this.localStream?.getAudioTracks()[0] ?? null;
  }

  /** Our microphone track for the link to `userId`, or null where we send nothing. */
  private trackFor(userId: UserId): MediaStreamTrack | null {
    const participant = this.session.participant(userId);
    if (this.sendAudioTo && participant && !this.sendAudioTo(participant)) return null;
    return this.localTrack();
  }

  private updateReachability(): void {
    for (const [userId, link] of this.links) link.setSignalingAvailable(this.session.canSignalTo(userId));
  }

  private ensureLink(userId: UserId): PeerLink | undefined {
    const existing = this.links.get(userId);
    if (existing) return existing;
    const selfId = this.session.selfId;
    if (selfId === undefined) return undefined;
    const link = new PeerLink({
      selfId,
      remoteId: userId,
      env: this.env,
      rtcConfiguration: this.rtcConfiguration,
      localTrack: this.trackFor(userId),
      voiceState: () => this.session.voice,
      canSignal: this.session.canSignalTo(userId),
      signalingRtt: this.session.signalingRtt,
      nextEpoch: () => this.epochs.next(),
      handlers: {
        signal: (signal) => this.session.send({ type: 'peer.signal', to: userId, signal }),
        stateChanged: (from, to) => this.emitter.emit('linkStateChanged', { userId, from, to }),
        remoteTrack: (track, stream) => {
          applySilence(stream, this.silenced.has(userId));
          this.emitter.emit('remoteTrack', { userId, track, stream });
        },
        remoteVoiceState: (state) => this.session.peerVoiceReported(userId, state),
        rttMeasured: (rttMs) => this.emitter.emit('rttMeasured', { userId, rttMs }),
        error: (error) => this.emitter.emit('error', { error }),
      },
    });
    this.links.set(userId, link);
    return link;
  }

  private removeLink(userId: UserId): void {
    this.links.get(userId)?.close();
    this.links.delete(userId);
    this.speaking.forget(userId);
    this.quality.forget(userId);
  }

  private setRtcConfiguration(configuration: RTCConfiguration): void {
    this.rtcConfiguration = configuration;
    for (const link of this.links.values()) link.setRtcConfiguration(configuration);
  }

  private closeAll(): void {
    this.speaking.stop();
    this.quality.stop();
    for (const link of this.links.values()) link.close();
    this.links.clear();
    this.roomId = undefined;
  }
}

/**
 * Whoever the owner muted for everyone is not played here, whatever their own
 * client sends: a disabled remote track renders silence (the link stays up, so
 * lifting the mute brings their voice back at once).
 */
function applySilence(stream: MediaStream | undefined, silenced: boolean): void {
  for (const track of stream?.getAudioTracks() ?? []) track.enabled = !silenced;
}
