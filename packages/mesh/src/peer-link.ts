import { assertNever, encodeControlMessage, type Signal, type UserId, type VoiceState } from '@parley/protocol';
import { ControlOutbox } from './control-outbox';
import type { Clock, MeshEnvironment, TimerHandle } from './environment';
import { MeshError } from './errors';
import type { LinkState } from './events';
import {
  DEFAULT_WATCHDOG_CONFIG,
  initialWatchdogState,
  stepWatchdog,
  type WatchdogAction,
  type WatchdogConfig,
  type WatchdogEvent,
  type WatchdogState,
} from './link-watchdog';
import { classifyEpoch, isPolite, isRestartRequest, restartRequest } from './negotiation';
import { patientClock } from './patient-clock';
import { PcSession } from './pc-session';
import type { SignalingRtt } from './signaling-rtt';
import type { InboundAudio } from './speaking-monitor';

export type PeerLinkHandlers = {
  signal(signal: Signal): void;
  stateChanged(from: LinkState, to: LinkState): void;
  remoteTrack(track: MediaStreamTrack, stream: MediaStream): void;
  remoteVoiceState(state: VoiceState): void;
  rttMeasured(rttMs: number): void;
  error(error: MeshError): void;
};

export type PeerLinkOptions = {
  selfId: UserId;
  remoteId: UserId;
  env: MeshEnvironment;
  rtcConfiguration: RTCConfiguration;
  localTrack: MediaStreamTrack | null;
  voiceState(): VoiceState;
  handlers: PeerLinkHandlers;
  /** Whether signals can reach the peer now (server connected, peer online). Default true. */
  canSignal?: boolean;
  watchdog?: Partial<WatchdogConfig>;
  /** The mesh's signaling round trip, shared by every link: its samples come in, its timeout goes to the watchdog. */
  signalingRtt?: SignalingRtt;
  /** The page's epoch source (link-epochs.ts); by default the clock, for tests of one link. */
  nextEpoch?(): number;
};

type WatchdogTimer = 'recovery' | 'negotiation';

/**
 * The link to one remote peer: runs its state machine (link-watchdog.ts),
 * owns the current RTCPeerConnection incarnation (PcSession) and the control
 * outbox, and replaces the incarnation when the peer rebuilds its own or the
 * watchdog gives up on it.
 *
 * Epochs: an incarnation's epoch comes from the page's epoch source
 * (link-epochs.ts: from the session generation the server announces, not
 * the wall clock), kept strictly increasing, so a reloaded page that
 * resumed its user id still counts as newer. A signal with an older epoch than the newest seen is
 * dropped. A newer epoch arriving at a session that already applied a
 * description from the peer means the peer rebuilt: we rebuild too. A newer
 * epoch at a fresh session is simply adopted, which keeps two rebuilds from
 * chasing each other.
 *
 * Recovery (link-watchdog.ts decides, this class acts): a nudge resends our
 * description and candidates (`PcSession.resend()`), or, on a polite side
 * that has heard nothing yet, asks the peer to resend (an `unheard` restart
 * request, which the impolite side answers with a resend, never an ICE
 * restart). On the impolite side an attempt is `PcSession.restartIce()`
 * (resend an unanswered offer, or an ICE restart offer). The polite side
 * never offers, so its attempt is a restart request (see `restartRequest` in
 * negotiation.ts) that makes the impolite side act; its rebuild is a fresh,
 * empty connection announced the same way, with the new epoch, so the
 * impolite side rebuilds and offers.
 * A page that reloads resumes its user id and creates fresh links: when it is
 * the polite side it announces them at once (`requestRestart()` from
 * PeerMesh), when impolite its first offer carries the newer epoch.
 *
 * Losing the server never touches the RTCPeerConnection: attempts that need
 * signaling wait for it (`setSignalingAvailable`).
 */
export class PeerLink {
  readonly remoteId: UserId;
  readonly polite: boolean;
  private session: PcSession;
  private remoteEpoch: number | undefined;
  private localTrack: MediaStreamTrack | null;
  private rtcConfiguration: RTCConfiguration;
  private readonly outbox: ControlOutbox;
  private readonly watchdogConfig: WatchdogConfig;
  private watchdog: WatchdogState;
  /** The watchdog's two timers; each fires its event unless re-armed or cleared first. */
  private readonly timers: Record<WatchdogTimer, TimerHandle | undefined> = { recovery: undefined, negotiation: undefined };
  /** Every watchdog timer concludes from silence: on a starved page it waits for the page to catch up (patientClock). */
  private readonly timerClock: Clock;

  constructor(private readonly options: PeerLinkOptions) {
    this.remoteId = options.remoteId;
    this.polite = isPolite(options.selfId, options.remoteId);
    this.localTrack = options.localTrack;
    this.rtcConfiguration = options.rtcConfiguration;
    this.watchdogConfig = { ...DEFAULT_WATCHDOG_CONFIG, waitsForPeerWord: !this.polite, ...options.watchdog };
    this.timerClock = patientClock(options.env.clock);
    this.watchdog = initialWatchdogState(options.canSignal ?? true);
    this.outbox = new ControlOutbox({ clock: options.env.clock, logger: options.env.logger, logFields: { peerId: this.remoteId } });
    this.session = this.createSession(this.newEpoch(0));
    this.dispatch({ type: 'sessionStarted' });
  }

  get state(): LinkState {
    return this.watchdog.link;
  }

  private get closed(): boolean {
    return this.watchdog.link === 'closed';
  }

  get remoteStream(): MediaStream | undefined {
    return this.session.remoteStream;
  }

  handleSignal(signal: Signal): void {
    if (this.closed) return;
    const verdict = classifyEpoch(this.remoteEpoch, signal.epoch);
    if (verdict === 'stale') {
      this.log('debug', 'dropped a signal from an older peer connection', { epoch: signal.epoch });
      return;
    }
    let rebuilt = false;
    if (verdict === 'newer') {
      if (this.session.hasRemoteDescription) {
        this.log('info', 'peer rebuilt its connection; rebuilding ours', { epoch: signal.epoch });
        this.rebuild();
        rebuilt = true;
      } else {
        this.session.dropPendingCandidates();
      }
    }
    this.remoteEpoch = signal.epoch;
    // After any rebuild above: what the peer sent belongs to the connection we hold now. A peer
    // asking us to resend has applied nothing of ours yet: it is behind, and a rebuild would not help it.
    const asksResend = isRestartRequest(signal) && signal.reason === 'unheard';
    if (!asksResend) this.dispatch({ type: 'peerHeard' });
    if (isRestartRequest(signal)) {
      // Only the polite side asks; a rebuild already answered with a fresh offer.
      if (this.polite || rebuilt) return;
      if (asksResend) {
        // Slow, not broken: what we sent is late or lost. Resend it; the first offer may still be in the making.
        this.log('info', 'peer has not heard us yet; resending');
        this.session.resend();
        return;
      }
      this.log('info', 'peer asked for a restart');
      this.dispatch({ type: 'restartRequested' });
      return;
    }
    this.session.handleSignal(signal);
  }

  /** The server is connected and the peer is online there (or not). */
  setSignalingAvailable(available: boolean): void {
    if (this.closed) return;
    this.dispatch({ type: 'signalingChanged', available });
  }

  /** Renegotiate promptly unless the media path is up: the peer is back, or may hold an older connection. */
  requestRestart(): void {
    if (this.closed || this.watchdog.path === 'connected') return;
    this.dispatch({ type: 'restartRequested' });
  }

  /** Inbound audio flows: for the first time on this connection, or again after a stall. */
  mediaResumed(): void {
    if (this.closed) return;
    this.dispatch({ type: 'mediaResumed' });
  }

  /** Inbound audio stopped on a path that still says connected: look for a new one. */
  mediaStalled(): void {
    if (this.closed) return;
    this.log('info', 'inbound audio stalled');
    this.dispatch({ type: 'mediaStalled' });
  }

  setLocalTrack(track: MediaStreamTrack | null): void {
    this.localTrack = track;
    this.session.setLocalTrack(track);
  }

  /** Over the control channel; queued while it is not open, even across a rebuild. */
  sendVoiceState(state: VoiceState): void {
    if (this.closed) return;
    this.outbox.send(encodeControlMessage({ type: 'voice.state', muted: state.muted, deafened: state.deafened }));
  }

  setRtcConfiguration(configuration: RTCConfiguration): void {
    this.rtcConfiguration = configuration;
    this.session.setConfiguration(configuration);
  }

  getStats(): Promise<RTCStatsReport | undefined> {
    return this.session.getStats();
  }

  /** See PcSession.sampleInbound; a rebuilt connection starts its own flow count. */
  sampleInbound(): Promise<InboundAudio> {
    return this.session.sampleInbound();
  }

  close(): void {
    if (this.closed) return;
    this.setTimer('recovery', undefined);
    this.setTimer('negotiation', undefined);
    this.session.close();
    this.outbox.clear();
    this.dispatch({ type: 'closed' });
  }

  /** An epoch for a new incarnation, above `atLeast`. */
  private newEpoch(atLeast: number): number {
    const next = this.options.nextEpoch?.() ?? Math.floor(this.options.env.clock.now());
    return Math.max(0, atLeast, next);
  }

  private createSession(epoch: number): PcSession {
    // `this.session` is unset while the first session is being constructed.
    const isCurrent = () => (this.session as PcSession | undefined)?.epoch === epoch && !this.closed;
    const { handlers } = this.options;
    return new PcSession({
      env: this.options.env,
      epoch,
      polite: this.polite,
      rtcConfiguration: this.rtcConfiguration,
      localTrack: this.localTrack,
      voiceState: this.options.voiceState,
      logFields: { peerId: this.remoteId },
      outbox: this.outbox,
      handlers: {
        signal: (signal) => isCurrent() && handlers.signal(signal),
        negotiationStarted: () => isCurrent() && this.dispatch({ type: 'negotiationStarted' }),
        connectionStateChanged: (state) => isCurrent() && this.onConnectionState(state),
        remoteTrack: (track, stream) => isCurrent() && handlers.remoteTrack(track, stream),
        remoteVoiceState: (state) => isCurrent() && handlers.remoteVoiceState(state),
        rttMeasured: (rttMs) => isCurrent() && handlers.rttMeasured(rttMs),
        negotiationFailed: (cause) => isCurrent() && handlers.error(MeshError.negotiationFailed(this.remoteId, cause)),
        negotiationStateChanged: (stable) => isCurrent() && this.dispatch({ type: 'negotiationChanged', stable }),
        progressed: () => isCurrent() && this.dispatch({ type: 'progressed' }),
        answerTimed: (rttMs) => isCurrent() && this.options.signalingRtt?.sample(rttMs),
      },
    });
  }

  private rebuild(): void {
    const epoch = this.newEpoch(this.session.epoch + 1);
    this.session.close();
    this.session = this.createSession(epoch);
    this.dispatch({ type: 'sessionStarted', rebuilt: true });
  }

  private onConnectionState(state: RTCPeerConnectionState): void {
    if (state === 'failed' && this.watchdog.path !== 'failed' && this.watchdog.attempts === 0) {
      this.options.handlers.error(MeshError.iceFailed(this.remoteId));
    }
    this.dispatch({ type: 'connectionChanged', state });
  }

  private dispatch(event: WatchdogEvent): void {
    const config = { ...this.watchdogConfig, signalingRtoMs: this.options.signalingRtt?.timeoutMs };
    const from = this.watchdog.link;
    const { state, actions } = stepWatchdog(this.watchdog, event, config);
    this.watchdog = state;
    if (state.link !== from) {
      this.log('info', `link ${from} -> ${state.link}`);
      this.options.handlers.stateChanged(from, state.link);
    }
    for (const action of actions) this.perform(action);
  }

  private perform(action: WatchdogAction): void {
    if (this.closed) return;
    switch (action.type) {
      case 'nudge':
        this.log('info', 'the negotiation went quiet; nudging', { nudges: this.watchdog.nudges });
        if (this.polite && !this.session.hasRemoteDescription) this.askPeerToRestart();
        else this.session.resend();
        return;
      case 'restartIce':
        this.log('info', this.polite ? 'asking the peer to restart' : 'restarting ICE', { attempt: this.watchdog.attempts });
        if (this.polite) this.askPeerToRestart();
        else this.session.restartIce();
        return;
      case 'rebuild':
        this.log('info', 'rebuilding the connection', { attempt: this.watchdog.attempts });
        this.rebuild();
        if (this.polite) this.askPeerToRestart();
        return;
      case 'armRecoveryTimer':
        this.setTimer('recovery', action.delayMs);
        return;
      case 'cancelRecoveryTimer':
        this.setTimer('recovery', undefined);
        return;
      case 'armNegotiationTimer':
        this.setTimer('negotiation', action.delayMs);
        return;
      case 'cancelNegotiationTimer':
        this.setTimer('negotiation', undefined);
        return;
      default:
        assertNever(action, 'watchdog action');
    }
  }

  /** A connection that has not heard from the peer has no path to restart: it asks for a resend (or, newer, a rebuild). */
  private askPeerToRestart(): void {
    const reason = this.session.hasRemoteDescription ? 'path' : 'unheard';
    this.options.handlers.signal(restartRequest(this.session.epoch, reason));
  }

  private setTimer(which: WatchdogTimer, delayMs: number | undefined): void {
    const clock = this.timerClock;
    const current = this.timers[which];
    if (current !== undefined) clock.clearTimeout(current);
    this.timers[which] = undefined;
    if (delayMs === undefined) return;
    const timer = clock.setTimeout(() => {
      if (timer !== this.timers[which]) return;
      this.timers[which] = undefined;
      this.dispatch({ type: which === 'recovery' ? 'recoveryTimerFired' : 'negotiationTimerFired' });
    }, delayMs);
    this.timers[which] = timer;
  }

  private log(level: 'debug' | 'info', message: string, fields: Record<string, unknown> = {}): void {
    this.options.env.logger[level]({ peerId: this.remoteId, ...fields }, message);
  }
}
