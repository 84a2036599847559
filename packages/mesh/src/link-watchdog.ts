import { assertNever } from '@parley/protocol';
import type { LinkState } from './events';
import { type LinkEvent, nextLinkState } from './link-state';

/**
 * One peer link's state machine, as a pure function: state + event -> new
 * state + actions. It holds both what the link shows (`link`, the
 * LinkState the app sees, stepped by link-state.ts) and the decisions that
 * keep its media path alive (everything else); one event feeds both, so the
 * two can never disagree. PeerLink runs the timers and carries the actions
 * out; tests drive this as a table.
 *
 * Slow is not broken. A link that has not connected yet is watched for
 * progress, not for a deadline: every step forward (our offer sent, a
 * description or candidate from the peer applied, ICE checking) re-arms a
 * patience timer of `awaitPeerMs`, or `patienceRtos` signaling round trips
 * when the machine or the network is slower than that (see SignalingRtt),
 * whichever is longer (at most `maxPatienceMs`). Only silence makes a move, and the first moves are
 * nudges: resend what we sent, or ask the peer to (`unheard`), which cost
 * the peer nothing but a resend. The patience doubles after each nudge;
 * after `nudgesBeforeEscalating` nudges without any progress the link
 * escalates to the recovery schedule below. So a burst of joins on a busy
 * machine makes no ICE restart and no rebuild, while an offer lost with a
 * dying server is resent within `awaitPeerMs`. On the side that waits for
 * the peer's word (below), a nudge counts only if the peer answered it
 * before the next was due: a peer that answers nothing is a page standing
 * still, and an ICE restart would only wait for it too, then make it
 * negotiate twice once it runs again.
 *
 * A path that worked and broke is recovered on a fixed, fast schedule:
 * - `disconnected` gets `disconnectedGraceMs` to heal by itself, then an
 *   attempt; but while audio still arrives on it (no stall reported) the path
 *   works and only ICE's consent checks are late (a starved machine): the
 *   grace is renewed instead.
 * - `failed` makes an attempt at once.
 * - Inbound audio that stops on a `connected` path (MediaFlowDetector) makes
 *   one attempt at once: ICE is slow to notice a dead relay. If the path still
 *   says `connected` when the backoff timer fires, recovery goes idle again,
 *   so a peer that stops sending cannot cause a restart loop.
 * - Attempts are ICE restarts, backed off by `restartDelaysMs` (the last one
 *   repeats, forever, until the link connects); after `restartsBeforeRebuild`
 *   restarts in a row the next attempt rebuilds the connection instead. An
 *   attempt that advances (the peer answers it, its candidates arrive) is
 *   given its full delay again from then: it may be about to connect.
 * - But only a peer heard from since our last attempt (a description,
 *   candidates, or a request for a new path; not a request to resend, which
 *   says it has applied nothing of ours) is made to rebuild: until then the
 *   due rebuild stays a restart, which resends an offer still unanswered
 *   (PcSession.restartIce) and costs the peer nothing new. Such a resend is
 *   not one more restart either: it does not count towards the rebuild, so a
 *   peer that stood still through a dozen of them is not rebuilt for the
 *   moment it answers (seen: a newcomer stopped before its links had
 *   connected came back to due rebuilds, 48 of them and 73 s). A peer that answers
 *   nothing is not processing what we send (a page starved of CPU, or
 *   stopped), and every rebuild it has not seen waits for it as one more
 *   connection to make and tear down. (Seen: a sixth joiner
 *   whose page stood still for 20 s came back to three rebuilds from each
 *   member, rebuilt its own links for each, and those rebuilds set the
 *   members rebuilding again; 90 rebuilds later one link had still not
 *   formed, while the raw page formed the mesh 0.6 s after it resumed.)
 * - On the side whose attempts are ICE restarts (`waitsForPeerWord`, the
 *   impolite one), a path that worked and broke is restarted only once the
 *   peer has been heard since the trouble began: its own request for a new
 *   path (the polite side asks as soon as its side stalls, disconnects past
 *   the grace or fails), or any other signal. Until then the attempt is held
 *   (`heldForPeer`, no timer). A peer that says nothing is a page standing
 *   still or gone, and a restart cannot finish without its answer; held
 *   back, the path comes back by itself when the page runs again (ICE finds
 *   the same pair, even after `failed`), with nothing to renegotiate. (Seen,
 *   bench:stall: a newcomer stopped for 20 s came back to an ICE restart
 *   offer from each of its five members, and the mesh formed 2.6-5.9 s after
 *   it resumed, once not within 90 s; held, a median of 1.9 s over 14 runs,
 *   the raw page's 1.6 s. Links that had not connected when it stopped are
 *   the nudges' business: see above.)
 * - A link that has never connected is not a path that broke: its peer may
 *   be a page starved of CPU that has not answered yet. Its attempts back off
 *   further, doubling up to `formingBackoffCapMs`: every restart and rebuild
 *   makes that peer start over, and at a fixed 2 s a peer that needs longer
 *   never finishes (seen: a sixth joiner on a page at load 20 restarted and
 *   rebuilt 21 times in a minute, and its link never carried audio).
 * - On a link that has connected before, a negotiation (an ICE restart)
 *   that stays unsettled with no progress for `negotiationTimeoutMs` (or
 *   twice the patience, if longer) while signaling works rebuilds the
 *   connection. A link's first negotiation has no such deadline: its silence
 *   is the nudges' business, and they escalate in their own time. (Seen with
 *   a deadline: in a sixth join on a starved machine the newcomer applied a
 *   member's offer 7 s after it was sent and answered 11 s after; the member
 *   had rebuilt at 10 s, and that link went on to three rebuilds and took 39 s.)
 * - Attempts and nudges need signaling (the server and the peer reachable):
 *   while it is away they wait, and they run at once when it comes back.
 */

export type WatchdogConfig = {
  awaitPeerMs: number;
  disconnectedGraceMs: number;
  /** Wait after attempt n (1-based) before attempt n + 1; the last entry repeats. */
  restartDelaysMs: readonly number[];
  restartsBeforeRebuild: number;
  negotiationTimeoutMs: number;
  /** A silent negotiation waits this many signaling timeouts (if longer than awaitPeerMs). */
  patienceRtos: number;
  /** No patience timer waits longer than this. */
  maxPatienceMs: number;
  nudgesBeforeEscalating: number;
  /** The current signaling timeout (SignalingRtt.timeoutMs); undefined until measured. */
  signalingRtoMs: number | undefined;
  /** The first wait a stall earns once one has proved a false alarm; each further one doubles it. */
  stallPatienceStepMs: number;
  maxStallPatienceMs: number;
  /** The longest wait between attempts on a link that has never connected. */
  formingBackoffCapMs: number;
  /**
   * The side whose attempts are ICE restarts (the impolite one): a path that
   * worked and broke is restarted only once the peer has been heard since
   * the trouble began (see `heardSinceTrouble`).
   */
  waitsForPeerWord: boolean;
};

export const DEFAULT_WATCHDOG_CONFIG: WatchdogConfig = {
  // A first offer and answer take one to three seconds on a busy two-core machine;
  // the measured round trip takes over once known.
  awaitPeerMs: 2500,
  disconnectedGraceMs: 1500,
  // Capped at 2 s: a relay back from the dead is found again within a couple of seconds.
  restartDelaysMs: [1000, 2000],
  restartsBeforeRebuild: 3,
  negotiationTimeoutMs: 10_000,
  patienceRtos: 2,
  // A signal that was lost (not late) must still be resent within seconds, however busy the machine.
  maxPatienceMs: 8_000,
  nudgesBeforeEscalating: 3,
  signalingRtoMs: undefined,
  stallPatienceStepMs: 1000,
  maxStallPatienceMs: 8_000,
  formingBackoffCapMs: 16_000,
  waitsForPeerWord: false,
};

/** How long a silent negotiation is given before the next nudge. */
export function patienceMs(config: WatchdogConfig, nudges = 0): number {
  const measured = config.signalingRtoMs === undefined ? 0 : config.patienceRtos * config.signalingRtoMs;
  return Math.min(config.maxPatienceMs, Math.max(config.awaitPeerMs, measured) * 2 ** nudges);
}

function negotiationTimeoutMs(config: WatchdogConfig): number {
  return Math.max(config.negotiationTimeoutMs, 2 * patienceMs(config));
}

/**
 * The deadline of an unsettled negotiation, (re)armed: only on a link that has
 * worked (a first negotiation's silence is the nudges' business) and while
 * signaling does.
 */
function negotiationDeadline(state: WatchdogState, config: WatchdogConfig): WatchdogAction[] {
  return hasNegotiationDeadline(state) ? [{ type: 'armNegotiationTimer', delayMs: negotiationTimeoutMs(config) }] : [];
}

function hasNegotiationDeadline(state: WatchdogState): boolean {
  return state.negotiating && state.canSignal && state.everConnected;
}

export type WatchdogState = {
  /** What the link shows: new, connecting, connected, disconnected, restarting, failed, closed. */
  link: LinkState;
  /** The media path as last reported. `new` until the first connection of this RTCPeerConnection. */
  path: 'new' | 'connected' | 'disconnected' | 'failed';
  /**
   * `idle`: nothing to do. `awaitingPeer`: a connection that has not
   * connected yet, watched for progress. `grace`: disconnected, waiting to see if it heals.
   * `backoff`: an attempt was made, the next is due when the timer fires.
   * `deferred`: an attempt is due but signaling is away.
   * `stallWatch`: audio stopped on a connected path; waiting `stallPatienceMs` to see if it comes back.
   * `heldForPeer`: an attempt is due on a path that worked, but the peer has said nothing since it broke.
   */
  recovery: 'idle' | 'awaitingPeer' | 'grace' | 'backoff' | 'deferred' | 'stallWatch' | 'heldForPeer';
  /** Attempts since the link was last connected. */
  attempts: number;
  /** This link (any of its connections) has been connected at least once. */
  everConnected: boolean;
  restartsSinceRebuild: number;
  /** The server is connected and the peer is online there. */
  canSignal: boolean;
  /** Our RTCPeerConnection's signaling state is not `stable`. */
  negotiating: boolean;
  /** Nudges made since the last progress of a connection that has not connected yet. */
  nudges: number;
  /**
   * Of those, the ones the peer left unanswered (it said nothing before the
   * next one was due), counted on the side that waits for the peer's word
   * only: they do not count towards escalating.
   */
  silentNudges: number;
  /** Inbound audio was seen flowing on this connection and has not stalled since (MediaFlowDetector). */
  mediaFlowing: boolean;
  /**
   * How long a stall on a connected path is watched before it costs a
   * restart. Zero (act at once, which finds a dead relay fastest) until a
   * stall proves a false alarm: audio came back before the restart it caused
   * was even negotiated, so the peer or this page was slow, not the path
   * broken. Then it grows, doubling with each further false alarm.
   */
  stallPatienceMs: number;
  /** A restart made for a stall whose negotiation has not completed yet. */
  stallRestartPending: boolean;
  /** The peer was heard since our last attempt or nudge (see the 'peerHeard' event), or before the first. */
  heardSinceAttempt: boolean;
  /** The peer was heard (or asked for a restart) since the path last went from working to troubled. */
  heardSinceTrouble: boolean;
};

export type WatchdogEvent =
  /** A new RTCPeerConnection took over (the link's first, or a rebuild). */
  | { type: 'sessionStarted'; rebuilt?: boolean }
  /** The first offer of this connection was sent or received. */
  | { type: 'negotiationStarted' }
  | { type: 'closed' }
  /**
   * The negotiation moved forward: our description went out, one of the
   * peer's descriptions or candidates was applied, or ICE started checking.
   */
  | { type: 'progressed' }
  | { type: 'connectionChanged'; state: RTCPeerConnectionState }
  | { type: 'negotiationChanged'; stable: boolean }
  | { type: 'signalingChanged'; available: boolean }
  /** The peer asked for a restart, or came back online while the link is down. */
  | { type: 'restartRequested' }
  /** Inbound audio stopped although the path reports `connected`. */
  | { type: 'mediaStalled' }
  /** Inbound audio flows again. */
  | { type: 'mediaResumed' }
  | { type: 'recoveryTimerFired' }
  | { type: 'negotiationTimerFired' }
  /** The peer sent a description, candidates or a request for a new path (not one to resend: PeerLink). */
  | { type: 'peerHeard' };

export type WatchdogAction =
  /** Resend what we sent, or ask the peer to: cheap, for a negotiation that went quiet. */
  | { type: 'nudge' }
  | { type: 'restartIce' }
  | { type: 'rebuild' }
  | { type: 'armRecoveryTimer'; delayMs: number }
  | { type: 'cancelRecoveryTimer' }
  | { type: 'armNegotiationTimer'; delayMs: number }
  | { type: 'cancelNegotiationTimer' };

export type WatchdogStep = { state: WatchdogState; actions: WatchdogAction[] };

export function initialWatchdogState(canSignal: boolean): WatchdogState {
  return { link: 'new', path: 'new', recovery: 'idle', attempts: 0, everConnected: false, restartsSinceRebuild: 0, canSignal, negotiating: false, nudges: 0, silentNudges: 0, mediaFlowing: false, stallPatienceMs: 0, stallRestartPending: false, heardSinceAttempt: false, heardSinceTrouble: false };
}

const stay = (state: WatchdogState): WatchdogStep => ({ state, actions: [] });

function delayAfter(attempts: number, config: WatchdogConfig, everConnected: boolean): number {
  const delays = config.restartDelaysMs;
  if (!everConnected) return Math.min(config.formingBackoffCapMs, (delays[0] ?? 0) * 2 ** (attempts - 1));
  return delays[Math.min(attempts, delays.length) - 1] ?? delays.at(-1) ?? 0;
}

/** Make a recovery attempt now, or defer it until signaling is back. */
function attempt(state: WatchdogState, config: WatchdogConfig, forceRebuild = false): WatchdogStep {
  if (!state.canSignal) {
    return { state: { ...state, recovery: 'deferred' }, actions: [{ type: 'cancelRecoveryTimer' }] };
  }
  if (config.waitsForPeerWord && state.everConnected && !state.heardSinceTrouble && !forceRebuild) {
    // Nobody on the other side is asking: a page that stands still, or gone. A restart would only wait for it.
    return { state: { ...state, recovery: 'heldForPeer' }, actions: [{ type: 'cancelRecoveryTimer' }] };
  }
  const due = forceRebuild || state.restartsSinceRebuild >= config.restartsBeforeRebuild;
  // A peer that has answered nothing since our last attempt would only queue the rebuild: it stays due.
  const rebuild = due && state.heardSinceAttempt;
  const attempts = state.attempts + 1;
  // A restart sent while the previous one is unanswered resends its offer (PcSession.restartIce): it is not one more restart.
  const counts = state.attempts === 0 || state.heardSinceAttempt;
  const next: WatchdogState = {
    ...state,
    recovery: 'backoff',
    attempts,
    restartsSinceRebuild: rebuild ? 0 : due || !counts ? state.restartsSinceRebuild : state.restartsSinceRebuild + 1,
    heardSinceAttempt: false,
  };
  return {
    state: next,
    actions: [{ type: 'armRecoveryTimer', delayMs: delayAfter(attempts, config, state.everConnected) }, { type: rebuild ? 'rebuild' : 'restartIce' }],
  };
}

/**
 * A link that has not connected yet, on the side that waits for the peer's
 * word, whose peer has said nothing since our last nudge: its ICE checks go
 * unanswered because its page stands still. A path going down then is left to
 * the nudges, before and after the peer is heard again: ICE finds the path by
 * itself when that page runs again (`failed`, `connecting`, `connected`, as a
 * path that worked comes back), which takes seconds on a machine that busy,
 * and nudges the peer answers escalate to a restart in their own time if it
 * does not. (Seen with a 1.5 s grace from the peer's first word instead: at
 * load 25 the restarts cut ICE's own recovery short and escalated to
 * rebuilds, and one link had not formed 90 s later.)
 */
function standingStill(state: WatchdogState, config: WatchdogConfig): boolean {
  return config.waitsForPeerWord && !state.everConnected && state.recovery === 'awaitingPeer' && !state.heardSinceAttempt;
}

/** A path that worked is in trouble from here: only what the peer says from now on counts as its word. */
function troubleBegins(state: WatchdogState): WatchdogState {
  return state.recovery === 'idle' && state.heardSinceTrouble ? { ...state, heardSinceTrouble: false } : state;
}

function stallAttempt(state: WatchdogState, config: WatchdogConfig): WatchdogStep {
  const step = attempt(state, config);
  return { ...step, state: { ...step.state, stallRestartPending: step.state.recovery === 'backoff' } };
}

/**
 * Audio is back. If it came back while a stall was being watched, or before
 * the restart the stall caused was negotiated, the stall was a false alarm:
 * the next one is watched longer before it costs a restart.
 */
function onMediaResumed(state: WatchdogState, config: WatchdogConfig): WatchdogStep {
  const next = { ...state, mediaFlowing: true };
  const longer = Math.min(config.maxStallPatienceMs, Math.max(config.stallPatienceStepMs, 2 * state.stallPatienceMs));
  if (state.recovery === 'stallWatch') {
    return { state: { ...next, recovery: 'idle', stallPatienceMs: longer }, actions: [{ type: 'cancelRecoveryTimer' }] };
  }
  // Held for a peer that was only standing still: its audio is back, and nothing was restarted.
  if (state.recovery === 'heldForPeer' && state.path === 'connected') return stay({ ...next, recovery: 'idle' });
  if (state.stallRestartPending) return stay({ ...next, stallRestartPending: false, stallPatienceMs: longer });
  return stay(next);
}

/** The patience timer of a connection that has not connected yet ran out with no progress. */
function nudge(state: WatchdogState, config: WatchdogConfig): WatchdogStep {
  // Our last nudge unanswered: the peer is not processing what we send (a page standing still), and a
  // restart would only wait for it too, then make it negotiate twice. That nudge does not count.
  const unanswered = config.waitsForPeerWord && state.nudges > 0 && !state.heardSinceAttempt;
  const silentNudges = state.silentNudges + (unanswered ? 1 : 0);
  if (state.nudges - silentNudges >= config.nudgesBeforeEscalating) return attempt({ ...state, nudges: 0, silentNudges: 0 }, config);
  if (!state.canSignal) {
    return { state: { ...state, recovery: 'deferred' }, actions: [{ type: 'cancelRecoveryTimer' }] };
  }
  const nudges = state.nudges + 1;
  return {
    state: { ...state, recovery: 'awaitingPeer', nudges, silentNudges, heardSinceAttempt: false },
    actions: [{ type: 'armRecoveryTimer', delayMs: patienceMs(config, nudges) }, { type: 'nudge' }],
  };
}

function onConnection(state: WatchdogState, pcState: RTCPeerConnectionState, config: WatchdogConfig): WatchdogStep {
  switch (pcState) {
    case 'connected': {
      const cancel: WatchdogAction[] = state.recovery === 'idle' ? [] : [{ type: 'cancelRecoveryTimer' }];
      return {
        state: { ...state, path: 'connected', everConnected: true, recovery: 'idle', attempts: 0, restartsSinceRebuild: 0, nudges: 0, silentNudges: 0 },
        actions: cancel,
      };
    }
    case 'disconnected': {
      const next: WatchdogState = { ...troubleBegins(state), path: 'disconnected' };
      if ((state.recovery !== 'idle' && state.recovery !== 'awaitingPeer') || standingStill(state, config)) return stay(next);
      return { state: { ...next, recovery: 'grace' }, actions: [{ type: 'armRecoveryTimer', delayMs: config.disconnectedGraceMs }] };
    }
    case 'failed': {
      const next: WatchdogState = { ...troubleBegins(state), path: 'failed' };
      const waiting = state.recovery === 'backoff' || state.recovery === 'deferred' || state.recovery === 'heldForPeer';
      if (waiting || standingStill(state, config)) return stay(next);
      return attempt(next, config);
    }
    case 'connecting':
      return progressed(state, config);
    case 'new':
    case 'closed':
      return stay(state);
    default:
      return assertNever(pcState, 'connection state');
  }
}

/** Progress re-arms whichever clock is watching the negotiation. */
function progressed(state: WatchdogState, config: WatchdogConfig): WatchdogStep {
  const actions: WatchdogAction[] = [];
  let next = state;
  if (state.recovery === 'awaitingPeer') {
    next = { ...state, nudges: 0, silentNudges: 0 };
    actions.push({ type: 'armRecoveryTimer', delayMs: patienceMs(config) });
  } else if (state.recovery === 'backoff' && state.path !== 'connected') {
    // The attempt under way advances (the peer answered it, or sent candidates): the next one waits its full delay from now.
    actions.push({ type: 'armRecoveryTimer', delayMs: delayAfter(state.attempts, config, state.everConnected) });
  }
  actions.push(...negotiationDeadline(state, config));
  return { state: next, actions };
}

/** What an event (and the attempt it made) means for what the link shows. */
function linkEventsOf(event: WatchdogEvent, actions: readonly WatchdogAction[]): LinkEvent[] {
  const events: LinkEvent[] = [];
  if (event.type === 'sessionStarted' && event.rebuilt) events.push({ type: 'rebuilt' });
  if (event.type === 'negotiationStarted') events.push({ type: 'negotiationStarted' });
  if (event.type === 'connectionChanged') events.push({ type: 'connectionStateChanged', state: event.state });
  if (event.type === 'closed') events.push({ type: 'closeRequested' });
  if (actions.some((action) => action.type === 'restartIce')) events.push({ type: 'iceRestartStarted' });
  return events;
}

export function stepWatchdog(state: WatchdogState, event: WatchdogEvent, config: WatchdogConfig = DEFAULT_WATCHDOG_CONFIG): WatchdogStep {
  if (state.link === 'closed') return stay(state);
  const step = stepRecovery(state, event, config);
  const link = linkEventsOf(event, step.actions).reduce(nextLinkState, state.link);
  return link === step.state.link ? step : { ...step, state: { ...step.state, link } };
}

function stepRecovery(state: WatchdogState, event: WatchdogEvent, config: WatchdogConfig): WatchdogStep {
  switch (event.type) {
    case 'negotiationStarted':
      return stay(state);
    case 'closed':
      return { state: { ...state, recovery: 'idle', negotiating: false }, actions: [{ type: 'cancelRecoveryTimer' }, { type: 'cancelNegotiationTimer' }] };
    case 'sessionStarted': {
      const next: WatchdogState = { ...state, path: 'new', negotiating: false, restartsSinceRebuild: 0, nudges: 0, silentNudges: 0, mediaFlowing: false };
      const actions: WatchdogAction[] = [{ type: 'cancelNegotiationTimer' }];
      // A rebuild made while recovering keeps the backoff going.
      if (state.recovery === 'backoff' || state.recovery === 'deferred') return { state: next, actions };
      actions.push({ type: 'armRecoveryTimer', delayMs: patienceMs(config) });
      return { state: { ...next, recovery: 'awaitingPeer' }, actions };
    }
    case 'progressed':
      return progressed(state, config);
    case 'connectionChanged':
      return onConnection(state, event.state, config);
    case 'negotiationChanged': {
      const negotiating = !event.stable;
      if (negotiating === state.negotiating) return stay(state);
      // A stall's restart that completes its negotiation may be what brings the audio back.
      const next = { ...state, negotiating, ...(negotiating ? {} : { stallRestartPending: false }) };
      if (!negotiating) return { state: next, actions: [{ type: 'cancelNegotiationTimer' }] };
      return { state: next, actions: negotiationDeadline(next, config) };
    }
    case 'signalingChanged': {
      if (event.available === state.canSignal) return stay(state);
      const next = { ...state, canSignal: event.available };
      if (!event.available) return { state: next, actions: state.negotiating ? [{ type: 'cancelNegotiationTimer' }] : [] };
      // The answer may come now that signaling is back: give the negotiation its full time again.
      const rearm = negotiationDeadline(next, config);
      if (state.path === 'connected') return { state: next, actions: rearm };
      // A connection that never connected was waiting on the peer: nudge it, do not restart ICE.
      const step = state.path === 'new' && state.attempts === 0 ? nudge(next, config) : attempt(next, config);
      return { state: step.state, actions: [...rearm, ...step.actions] };
    }
    case 'restartRequested': {
      // The peer asks (or is back online): it is there to answer a restart.
      const next = { ...state, heardSinceTrouble: true };
      if (state.recovery === 'backoff' || state.recovery === 'deferred') return stay(next);
      return attempt(next, config);
    }
    case 'mediaStalled': {
      const next = { ...troubleBegins(state), mediaFlowing: false };
      if (state.path !== 'connected' || state.recovery !== 'idle') return stay(next);
      if (state.stallPatienceMs > 0) {
        return { state: { ...next, recovery: 'stallWatch' }, actions: [{ type: 'armRecoveryTimer', delayMs: state.stallPatienceMs }] };
      }
      return stallAttempt(next, config);
    }
    case 'mediaResumed':
      return onMediaResumed(state, config);
    case 'recoveryTimerFired':
      if (state.recovery === 'idle' || state.recovery === 'deferred' || state.recovery === 'heldForPeer') return stay(state);
      if (state.recovery === 'stallWatch') {
        // Still silent after the wait (a resume would have ended the watch): the path is broken.
        return stallAttempt(state, config);
      }
      if (state.path === 'connected') {
        // Audio flowing again on the same path: the episode is over, and the next one starts from the first attempt.
        const healed = state.mediaFlowing ? { attempts: 0, restartsSinceRebuild: 0 } : {};
        return { state: { ...state, ...healed, recovery: 'idle' }, actions: [] };
      }
      if (state.recovery === 'awaitingPeer') return nudge(state, config);
      if (state.recovery === 'grace' && state.mediaFlowing) {
        return { state, actions: [{ type: 'armRecoveryTimer', delayMs: config.disconnectedGraceMs }] };
      }
      return attempt(state, config);
    case 'negotiationTimerFired':
      if (!hasNegotiationDeadline(state)) return stay(state);
      return attempt({ ...state, negotiating: false }, config, true);
    case 'peerHeard': {
      if (state.heardSinceAttempt && state.heardSinceTrouble) return stay(state);
      const next = { ...state, heardSinceAttempt: true, heardSinceTrouble: true };
      return state.recovery === 'heldForPeer' ? attempt(next, config) : stay(next);
    }
    default:
      return assertNever(event, 'watchdog event');
  }
}
