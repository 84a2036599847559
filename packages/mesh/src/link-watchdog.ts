import { assertNever } from '@parley/protocol';

/**
 * The decisions that keep one peer link's media path alive, as a pure
 * function: state + event -> new state + actions. PeerLink runs the timers
 * and carries the actions out; tests drive this as a table.
 *
 * - A fresh connection that has heard nothing from the peer within
 *   `awaitPeerMs` (its offer or answer was lost, or the peer holds an older
 *   connection) makes a recovery attempt.
 * - `disconnected` gets `disconnectedGraceMs` to heal by itself, then an attempt.
 * - `failed` makes an attempt at once.
 * - Inbound audio that stops on a `connected` path (MediaFlowDetector) makes
 *   one attempt at once: ICE is slow to notice a dead relay. If the path still
 *   says `connected` when the backoff timer fires, recovery goes idle again,
 *   so a peer that stops sending cannot cause a restart loop.
 * - Attempts are ICE restarts, backed off by `restartDelaysMs` (the last one
 *   repeats, forever, until the link connects); after `restartsBeforeRebuild`
 *   restarts in a row the next attempt rebuilds the connection instead.
 * - A negotiation that stays unsettled for `negotiationTimeoutMs` while
 *   signaling works rebuilds the connection.
 * - Attempts need signaling (the server and the peer reachable): while it is
 *   away they wait, and they run at once when it comes back.
 */

export type WatchdogConfig = {
  awaitPeerMs: number;
  disconnectedGraceMs: number;
  /** Wait after attempt n (1-based) before attempt n + 1; the last entry repeats. */
  restartDelaysMs: readonly number[];
  restartsBeforeRebuild: number;
  negotiationTimeoutMs: number;
};

export const DEFAULT_WATCHDOG_CONFIG: WatchdogConfig = {
  awaitPeerMs: 1500,
  disconnectedGraceMs: 1500,
  // Capped at 2 s: a relay back from the dead is found again within a couple of seconds.
  restartDelaysMs: [1000, 2000],
  restartsBeforeRebuild: 3,
  negotiationTimeoutMs: 10_000,
};

export type WatchdogState = {
  /** The media path as last reported. `new` until the first connection of this RTCPeerConnection. */
  path: 'new' | 'connected' | 'disconnected' | 'failed';
  /**
   * `idle`: nothing to do. `awaitingPeer`: a fresh connection waits to hear
   * from the peer. `grace`: disconnected, waiting to see if it heals.
   * `backoff`: an attempt was made, the next is due when the timer fires.
   * `deferred`: an attempt is due but signaling is away.
   */
  recovery: 'idle' | 'awaitingPeer' | 'grace' | 'backoff' | 'deferred';
  /** Attempts since the link was last connected. */
  attempts: number;
  restartsSinceRebuild: number;
  /** The server is connected and the peer is online there. */
  canSignal: boolean;
  /** Our RTCPeerConnection's signaling state is not `stable`. */
  negotiating: boolean;
};

export type WatchdogEvent =
  /** A new RTCPeerConnection took over (the link's first, or a rebuild). */
  | { type: 'sessionStarted' }
  /** The first description from the peer was applied to this connection. */
  | { type: 'peerHeard' }
  | { type: 'connectionChanged'; state: RTCPeerConnectionState }
  | { type: 'negotiationChanged'; stable: boolean }
  | { type: 'signalingChanged'; available: boolean }
  /** The peer asked for a restart, or came back online while the link is down. */
  | { type: 'restartRequested' }
  /** Inbound audio stopped although the path reports `connected`. */
  | { type: 'mediaStalled' }
  | { type: 'recoveryTimerFired' }
  | { type: 'negotiationTimerFired' };

export type WatchdogAction =
  | { type: 'restartIce' }
  | { type: 'rebuild' }
  | { type: 'armRecoveryTimer'; delayMs: number }
  | { type: 'cancelRecoveryTimer' }
  | { type: 'armNegotiationTimer'; delayMs: number }
  | { type: 'cancelNegotiationTimer' };

export type WatchdogStep = { state: WatchdogState; actions: WatchdogAction[] };

export function initialWatchdogState(canSignal: boolean): WatchdogState {
  return { path: 'new', recovery: 'idle', attempts: 0, restartsSinceRebuild: 0, canSignal, negotiating: false };
}

const stay = (state: WatchdogState): WatchdogStep => ({ state, actions: [] });

function delayAfter(attempts: number, config: WatchdogConfig): number {
  const delays = config.restartDelaysMs;
  return delays[Math.min(attempts, delays.length) - 1] ?? delays.at(-1) ?? 0;
}

/** Make a recovery attempt now, or defer it until signaling is back. */
function attempt(state: WatchdogState, config: WatchdogConfig, forceRebuild = false): WatchdogStep {
  if (!state.canSignal) {
    return { state: { ...state, recovery: 'deferred' }, actions: [{ type: 'cancelRecoveryTimer' }] };
  }
  const rebuild = forceRebuild || state.restartsSinceRebuild >= config.restartsBeforeRebuild;
  const attempts = state.attempts + 1;
  const next: WatchdogState = {
    ...state,
    recovery: 'backoff',
    attempts,
    restartsSinceRebuild: rebuild ? 0 : state.restartsSinceRebuild + 1,
  };
  return {
    state: next,
    actions: [{ type: 'armRecoveryTimer', delayMs: delayAfter(attempts, config) }, { type: rebuild ? 'rebuild' : 'restartIce' }],
  };
}

function onConnection(state: WatchdogState, pcState: RTCPeerConnectionState, config: WatchdogConfig): WatchdogStep {
  switch (pcState) {
    case 'connected': {
      const cancel: WatchdogAction[] = state.recovery === 'idle' ? [] : [{ type: 'cancelRecoveryTimer' }];
      return { state: { ...state, path: 'connected', recovery: 'idle', attempts: 0, restartsSinceRebuild: 0 }, actions: cancel };
    }
    case 'disconnected': {
      const next: WatchdogState = { ...state, path: 'disconnected' };
      if (state.recovery !== 'idle' && state.recovery !== 'awaitingPeer') return stay(next);
      return { state: { ...next, recovery: 'grace' }, actions: [{ type: 'armRecoveryTimer', delayMs: config.disconnectedGraceMs }] };
    }
    case 'failed': {
      const next: WatchdogState = { ...state, path: 'failed' };
      if (state.recovery === 'backoff' || state.recovery === 'deferred') return stay(next);
      return attempt(next, config);
    }
    case 'new':
    case 'connecting':
    case 'closed':
      return stay(state);
    default:
      return assertNever(pcState, 'connection state');
  }
}

export function stepWatchdog(state: WatchdogState, event: WatchdogEvent, config: WatchdogConfig = DEFAULT_WATCHDOG_CONFIG): WatchdogStep {
  switch (event.type) {
    case 'sessionStarted': {
      const next: WatchdogState = { ...state, path: 'new', negotiating: false, restartsSinceRebuild: 0 };
      const actions: WatchdogAction[] = [{ type: 'cancelNegotiationTimer' }];
      // A rebuild made while recovering keeps the backoff going.
      if (state.recovery === 'backoff' || state.recovery === 'deferred') return { state: next, actions };
      actions.push({ type: 'armRecoveryTimer', delayMs: config.awaitPeerMs });
      return { state: { ...next, recovery: 'awaitingPeer' }, actions };
    }
    case 'peerHeard':
      if (state.recovery !== 'awaitingPeer') return stay(state);
      return { state: { ...state, recovery: 'idle' }, actions: [{ type: 'cancelRecoveryTimer' }] };
    case 'connectionChanged':
      return onConnection(state, event.state, config);
    case 'negotiationChanged': {
      const negotiating = !event.stable;
      if (negotiating === state.negotiating) return stay(state);
      const next = { ...state, negotiating };
      if (!negotiating) return { state: next, actions: [{ type: 'cancelNegotiationTimer' }] };
      return { state: next, actions: state.canSignal ? [{ type: 'armNegotiationTimer', delayMs: config.negotiationTimeoutMs }] : [] };
    }
    case 'signalingChanged': {
      if (event.available === state.canSignal) return stay(state);
      const next = { ...state, canSignal: event.available };
      if (!event.available) return { state: next, actions: state.negotiating ? [{ type: 'cancelNegotiationTimer' }] : [] };
      // The answer may come now that signaling is back: give the negotiation its full time again.
      const rearm: WatchdogAction[] = state.negotiating ? [{ type: 'armNegotiationTimer', delayMs: config.negotiationTimeoutMs }] : [];
      if (state.path === 'connected') return { state: next, actions: rearm };
      const step = attempt(next, config);
      return { state: step.state, actions: [...rearm, ...step.actions] };
    }
    case 'restartRequested':
      if (state.recovery === 'backoff' || state.recovery === 'deferred') return stay(state);
      return attempt(state, config);
    case 'mediaStalled':
      if (state.path !== 'connected' || state.recovery !== 'idle') return stay(state);
      return attempt(state, config);
    case 'recoveryTimerFired':
      if (state.recovery === 'idle' || state.recovery === 'deferred') return stay(state);
      if (state.path === 'connected') return { state: { ...state, recovery: 'idle' }, actions: [] };
      return attempt(state, config);
    case 'negotiationTimerFired':
      if (!state.negotiating || !state.canSignal) return stay(state);
      return attempt({ ...state, negotiating: false }, config, true);
    default:
      return assertNever(event, 'watchdog event');
  }
}
