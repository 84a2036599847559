import type { Signal, UserId, VoiceState } from '@parley/protocol';
import type { MeshEnvironment, TimerHandle } from './environment';
import { MeshError } from './errors';
import type { LinkState } from './events';
import { type LinkEvent, nextLinkState } from './link-state';
import { classifyEpoch, isPolite } from './negotiation';
import { PcSession } from './pc-session';

/** How long the impolite side lets a `disconnected` link heal before restarting ICE. */
export const DISCONNECTED_GRACE_MS = 4000;

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
};

/**
 * The link to one remote peer: runs the link state machine, owns the current
 * RTCPeerConnection incarnation (PcSession) and replaces it when the peer
 * rebuilds its own.
 *
 * Epochs: an incarnation's epoch is the clock time at its creation, kept
 * strictly increasing, so a reloaded page that resumed its user id still
 * counts as newer. A signal with an older epoch than the newest seen is
 * dropped. A newer epoch arriving at a session that already applied a
 * description from the peer means the peer rebuilt: we rebuild too. A newer
 * epoch at a fresh session is simply adopted, which keeps two rebuilds from
 * chasing each other.
 */
export class PeerLink {
  readonly remoteId: UserId;
  readonly polite: boolean;
  private linkState: LinkState = 'new';
  private session: PcSession;
  private remoteEpoch: number | undefined;
  private localTrack: MediaStreamTrack | null;
  private disconnectTimer: TimerHandle | undefined;
  private rtcConfiguration: RTCConfiguration;

  constructor(private readonly options: PeerLinkOptions) {
    this.remoteId = options.remoteId;
    this.polite = isPolite(options.selfId, options.remoteId);
    this.localTrack = options.localTrack;
    this.rtcConfiguration = options.rtcConfiguration;
    this.session = this.createSession(Math.max(0, Math.floor(options.env.clock.now())));
  }

  get state(): LinkState {
    return this.linkState;
  }

  get remoteStream(): MediaStream | undefined {
    return this.session.remoteStream;
  }

  handleSignal(signal: Signal): void {
    if (this.linkState === 'closed') return;
    const verdict = classifyEpoch(this.remoteEpoch, signal.epoch);
    if (verdict === 'stale') {
      this.log('debug', 'dropped a signal from an older peer connection', { epoch: signal.epoch });
      return;
    }
    if (verdict === 'newer') {
      if (this.session.hasRemoteDescription) {
        this.log('info', 'peer rebuilt its connection; rebuilding ours', { epoch: signal.epoch });
        this.rebuild();
      } else {
        this.session.dropPendingCandidates();
      }
    }
    this.remoteEpoch = signal.epoch;
    this.session.handleSignal(signal);
  }

  setLocalTrack(track: MediaStreamTrack | null): void {
    this.localTrack = track;
    this.session.setLocalTrack(track);
  }

  sendVoiceState(state: VoiceState): void {
    this.session.sendVoiceState(state);
  }

  setRtcConfiguration(configuration: RTCConfiguration): void {
    this.rtcConfiguration = configuration;
    this.session.setConfiguration(configuration);
  }

  getStats(): Promise<RTCStatsReport | undefined> {
    return this.session.getStats();
  }

  close(): void {
    if (this.linkState === 'closed') return;
    this.clearDisconnectTimer();
    this.session.close();
    this.transition({ type: 'closeRequested' });
  }

  private createSession(epoch: number): PcSession {
    // `this.session` is unset while the first session is being constructed.
    const isCurrent = () => (this.session as PcSession | undefined)?.epoch === epoch && this.linkState !== 'closed';
    const { handlers } = this.options;
    return new PcSession({
      env: this.options.env,
      epoch,
      polite: this.polite,
      rtcConfiguration: this.rtcConfiguration,
      localTrack: this.localTrack,
      voiceState: this.options.voiceState,
      logFields: { peerId: this.remoteId },
      handlers: {
        signal: (signal) => isCurrent() && handlers.signal(signal),
        negotiationStarted: () => isCurrent() && this.transition({ type: 'negotiationStarted' }),
        connectionStateChanged: (state) => isCurrent() && this.onConnectionState(state),
        remoteTrack: (track, stream) => isCurrent() && handlers.remoteTrack(track, stream),
        remoteVoiceState: (state) => isCurrent() && handlers.remoteVoiceState(state),
        rttMeasured: (rttMs) => isCurrent() && handlers.rttMeasured(rttMs),
        negotiationFailed: (cause) => isCurrent() && handlers.error(MeshError.negotiationFailed(this.remoteId, cause)),
      },
    });
  }

  private rebuild(): void {
    this.clearDisconnectTimer();
    const epoch = Math.max(Math.floor(this.options.env.clock.now()), this.session.epoch + 1);
    this.session.close();
    this.session = this.createSession(epoch);
    this.transition({ type: 'rebuilt' });
  }

  private onConnectionState(state: RTCPeerConnectionState): void {
    this.transition({ type: 'connectionStateChanged', state });
    if (state === 'failed') {
      this.options.handlers.error(MeshError.iceFailed(this.remoteId));
      this.restartIce();
    } else if (state === 'disconnected' && !this.polite && this.disconnectTimer === undefined) {
      this.disconnectTimer = this.options.env.clock.setTimeout(() => {
        this.disconnectTimer = undefined;
        if (this.linkState === 'disconnected') this.restartIce();
      }, DISCONNECTED_GRACE_MS);
    } else if (state === 'connected') {
      this.clearDisconnectTimer();
    }
  }

  /** Only the impolite side restarts ICE; the polite side follows its offer. */
  private restartIce(): void {
    if (this.polite || this.linkState === 'closed') return;
    this.log('info', 'restarting ICE');
    this.session.restartIce();
    this.transition({ type: 'iceRestartStarted' });
  }

  private clearDisconnectTimer(): void {
    if (this.disconnectTimer === undefined) return;
    this.options.env.clock.clearTimeout(this.disconnectTimer);
    this.disconnectTimer = undefined;
  }

  private transition(event: LinkEvent): void {
    const from = this.linkState;
    const to = nextLinkState(from, event);
    if (from === to) return;
    this.linkState = to;
    this.log('info', `link ${from} -> ${to}`);
    this.options.handlers.stateChanged(from, to);
  }

  private log(level: 'debug' | 'info', message: string, fields: Record<string, unknown> = {}): void {
    this.options.env.logger[level]({ peerId: this.remoteId, ...fields }, message);
  }
}
