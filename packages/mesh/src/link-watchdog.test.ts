import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WATCHDOG_CONFIG,
  initialWatchdogState,
  patienceMs,
  type WatchdogConfig,
  stepWatchdog,
  type WatchdogAction,
  type WatchdogEvent,
  type WatchdogState,
} from './link-watchdog';

const base = initialWatchdogState(true);
/** A row naming a path other than `new` describes a link that has worked before, unless it says otherwise. */
const state = (overrides: Partial<WatchdogState>): WatchdogState => ({
  ...base,
  everConnected: overrides.path !== undefined && overrides.path !== 'new',
  ...overrides,
});
const connected = state({ path: 'connected' });
const conn = (s: RTCPeerConnectionState): WatchdogEvent => ({ type: 'connectionChanged', state: s });
const arm = (delayMs: number): WatchdogAction => ({ type: 'armRecoveryTimer', delayMs });
const restart: WatchdogAction = { type: 'restartIce' };
const rebuild: WatchdogAction = { type: 'rebuild' };
const cancel: WatchdogAction = { type: 'cancelRecoveryTimer' };
const nudge: WatchdogAction = { type: 'nudge' };
const armNegotiation = (delayMs: number): WatchdogAction => ({ type: 'armNegotiationTimer', delayMs });
const waiting = state({ recovery: 'awaitingPeer' });

describe('stepWatchdog', () => {
  it.each<[string, WatchdogState, WatchdogEvent, Partial<WatchdogState>, WatchdogAction[]]>([
    ['a fresh connection waits to hear from the peer', base, { type: 'sessionStarted' }, { recovery: 'awaitingPeer' }, [
      { type: 'cancelNegotiationTimer' },
      arm(2500),
    ]],
    ['progress re-arms the patience', state({ recovery: 'awaitingPeer', nudges: 2 }), { type: 'progressed' }, { nudges: 0 }, [arm(2500)]],
    ['a first negotiation has no deadline: progress re-arms the patience only', state({ recovery: 'awaitingPeer', negotiating: true }), { type: 'progressed' }, {}, [arm(2500)]],
    ['progress in a renegotiation of a link that worked re-arms its deadline', state({ path: 'connected', negotiating: true }), { type: 'progressed' }, {}, [armNegotiation(10_000)]],
    ['and in the first negotiation of a rebuilt connection', state({ path: 'new', everConnected: true, recovery: 'awaitingPeer', negotiating: true }), { type: 'progressed' }, {}, [arm(2500), armNegotiation(10_000)]],
    ['ICE checking is progress', waiting, conn('connecting'), {}, [arm(2500)]],
    ['progress on a connected link changes nothing', connected, { type: 'progressed' }, {}, []],
    ['silence from the peer: a nudge, not a restart', waiting, { type: 'recoveryTimerFired' }, { nudges: 1 }, [arm(5000), nudge]],
    ['the second nudge waits longer, up to the cap', state({ recovery: 'awaitingPeer', nudges: 1 }), { type: 'recoveryTimerFired' }, { nudges: 2 }, [arm(8000), nudge]],
    ['three nudges unanswered: escalate to an ICE restart', state({ recovery: 'awaitingPeer', nudges: 3 }), { type: 'recoveryTimerFired' }, { recovery: 'backoff', nudges: 0, attempts: 1, restartsSinceRebuild: 1 }, [arm(1000), restart]],
    ['a nudge waits for signaling', state({ recovery: 'awaitingPeer', canSignal: false }), { type: 'recoveryTimerFired' }, { recovery: 'deferred' }, [cancel]],
    ['signaling back: the waiting nudge goes out', state({ recovery: 'deferred', canSignal: false }), { type: 'signalingChanged', available: true }, { canSignal: true, recovery: 'awaitingPeer', nudges: 1 }, [arm(5000), nudge]],
    ['connecting ends the watch', state({ recovery: 'awaitingPeer', nudges: 2 }), conn('connected'), { path: 'connected', everConnected: true, recovery: 'idle', nudges: 0 }, [cancel]],
    // A link that never connected: its peer may be a starved page that has not answered yet.
    ['never connected, second attempt: backed off 2 s', state({ recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 2, restartsSinceRebuild: 2, heardSinceAttempt: false }, [arm(2000), restart]],
    ['never connected, third attempt: 4 s', state({ recovery: 'backoff', attempts: 2, restartsSinceRebuild: 2, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 3, restartsSinceRebuild: 3, heardSinceAttempt: false }, [arm(4000), restart]],
    ['never connected, the rebuild after three restarts: 8 s', state({ recovery: 'backoff', attempts: 3, restartsSinceRebuild: 3, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 4, restartsSinceRebuild: 0, heardSinceAttempt: false }, [arm(8000), rebuild]],
    ['never connected, later attempts: 16 s apart at most', state({ recovery: 'backoff', attempts: 9, restartsSinceRebuild: 1, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 10, restartsSinceRebuild: 2, heardSinceAttempt: false }, [arm(16_000), restart]],
    ['a rebuilt connection of a link that worked keeps the fast schedule', state({ path: 'new', everConnected: true, recovery: 'backoff', attempts: 4, restartsSinceRebuild: 0, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 5, restartsSinceRebuild: 1, heardSinceAttempt: false }, [arm(2000), restart]],
    ['disconnected gets a grace period', connected, conn('disconnected'), { path: 'disconnected', recovery: 'grace' }, [arm(1500)]],
    ['disconnected while audio still arrives: only ICE is late, the grace is renewed', state({ path: 'disconnected', recovery: 'grace', mediaFlowing: true }), { type: 'recoveryTimerFired' }, {}, [arm(1500)]],
    ['audio stops on a disconnected path: the next grace ends in a restart', state({ path: 'disconnected', recovery: 'grace', mediaFlowing: true }), { type: 'mediaStalled' }, { mediaFlowing: false }, []],
    ['healing within the grace cancels it', state({ path: 'disconnected', recovery: 'grace' }), conn('connected'), { path: 'connected', recovery: 'idle' }, [cancel]],
    ['still down after the grace: ICE restart', state({ path: 'disconnected', recovery: 'grace' }), { type: 'recoveryTimerFired' }, { recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }, [arm(1000), restart]],
    ['failed restarts at once', connected, conn('failed'), { path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }, [arm(1000), restart]],
    ['failed inside the grace restarts at once', state({ path: 'disconnected', recovery: 'grace' }), conn('failed'), { path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }, [arm(1000), restart]],
    ['failed while backing off waits for the timer', state({ path: 'disconnected', recovery: 'backoff', attempts: 1 }), conn('failed'), { path: 'failed' }, []],
    ['second restart, backed off 2 s', state({ path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 2, restartsSinceRebuild: 2, heardSinceAttempt: false }, [arm(2000), restart]],
    ['third restart, backed off 2 s (the cap)', state({ path: 'failed', recovery: 'backoff', attempts: 2, restartsSinceRebuild: 2, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 3, restartsSinceRebuild: 3, heardSinceAttempt: false }, [arm(2000), restart]],
    ['after three failed restarts: rebuild', state({ path: 'failed', recovery: 'backoff', attempts: 3, restartsSinceRebuild: 3, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 4, restartsSinceRebuild: 0, heardSinceAttempt: false }, [arm(2000), rebuild]],
    // A peer that answered nothing since our last attempt is not processing what we send: a rebuild would only wait in its queue.
    ['the peer unheard since the last attempt: the due rebuild stays a restart (a resend of the unanswered offer)', state({ path: 'failed', recovery: 'backoff', attempts: 3, restartsSinceRebuild: 3 }), { type: 'recoveryTimerFired' }, { attempts: 4 }, [arm(2000), restart]],
    ['and stays due while the peer is silent', state({ path: 'failed', recovery: 'backoff', attempts: 9, restartsSinceRebuild: 3 }), { type: 'recoveryTimerFired' }, { attempts: 10 }, [arm(2000), restart]],
    ['a signal from the peer: it is processing again', state({ path: 'failed', recovery: 'backoff', attempts: 9, restartsSinceRebuild: 3 }), { type: 'peerHeard' }, { heardSinceAttempt: true, heardSinceTrouble: true }, []],
    ['then the due rebuild is made', state({ path: 'failed', recovery: 'backoff', attempts: 10, restartsSinceRebuild: 3, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 11, restartsSinceRebuild: 0, heardSinceAttempt: false }, [arm(2000), rebuild]],
    ['an attempt that advances (the peer answered it) gets its full delay again from now', state({ path: 'failed', recovery: 'backoff', attempts: 4, heardSinceAttempt: true }), { type: 'progressed' }, {}, [arm(2000)]],
    ['on a link that never connected too, with its longer delay', state({ recovery: 'backoff', attempts: 4, heardSinceAttempt: true }), { type: 'progressed' }, {}, [arm(8000)]],
    // A restart sent while the last is unanswered resends it: it is not one more restart, and a peer that stood still through
    // a dozen of them is not rebuilt for the moment it answers (seen: a newcomer stopped before its links connected came back
    // to due rebuilds, 48 of them and 73 s in all).
    ['the peer silent since the last restart: the next one does not count towards the rebuild', state({ path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }), { type: 'recoveryTimerFired' }, { attempts: 2 }, [arm(2000), restart]],
    ['on a link that never connected too', state({ recovery: 'backoff', attempts: 6, restartsSinceRebuild: 1 }), { type: 'recoveryTimerFired' }, { attempts: 7 }, [arm(16_000), restart]],
    ['the first attempt of a trouble counts, heard or not', connected, conn('failed'), { path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }, [arm(1000), restart]],
    ['and restarting again, 2 s apart, forever', state({ path: 'failed', recovery: 'backoff', attempts: 40, restartsSinceRebuild: 0, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 41, restartsSinceRebuild: 1, heardSinceAttempt: false }, [arm(2000), restart]],
    ['audio stalls on a connected path: one attempt at once', connected, { type: 'mediaStalled' }, { recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, mediaFlowing: false, stallRestartPending: true }, [arm(1000), restart]],
    ['the path still says connected when the timer fires: back to idle, no loop', state({ path: 'connected', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }), { type: 'recoveryTimerFired' }, { recovery: 'idle' }, []],
    ['and with audio back, the next stall starts from the first attempt', state({ path: 'connected', recovery: 'backoff', attempts: 2, restartsSinceRebuild: 2, mediaFlowing: true }), { type: 'recoveryTimerFired' }, { recovery: 'idle', attempts: 0, restartsSinceRebuild: 0 }, []],
    // A false alarm: audio back before the stall's restart was negotiated. The path was slow, not broken.
    ['audio back before the restart was negotiated: the next stall waits 1 s', state({ path: 'connected', recovery: 'backoff', attempts: 1, stallRestartPending: true }), { type: 'mediaResumed' }, { mediaFlowing: true, stallRestartPending: false, stallPatienceMs: 1000 }, []],
    ['audio back after the restart was negotiated: the restart may have done it, no lesson', state({ path: 'connected', recovery: 'backoff', attempts: 1 }), { type: 'mediaResumed' }, { mediaFlowing: true }, []],
    ['the restart\'s negotiation completing ends the false-alarm window', state({ path: 'connected', recovery: 'backoff', negotiating: true, stallRestartPending: true }), { type: 'negotiationChanged', stable: true }, { negotiating: false, stallRestartPending: false }, [{ type: 'cancelNegotiationTimer' }]],
    ['after a false alarm a stall is watched, not restarted', state({ path: 'connected', mediaFlowing: true, stallPatienceMs: 1000 }), { type: 'mediaStalled' }, { recovery: 'stallWatch', mediaFlowing: false }, [arm(1000)]],
    ['audio back while watched: another false alarm, the wait doubles', state({ path: 'connected', recovery: 'stallWatch', stallPatienceMs: 1000 }), { type: 'mediaResumed' }, { recovery: 'idle', mediaFlowing: true, stallPatienceMs: 2000 }, [cancel]],
    ['up to 8 s', state({ path: 'connected', recovery: 'stallWatch', stallPatienceMs: 8000 }), { type: 'mediaResumed' }, { recovery: 'idle', mediaFlowing: true, stallPatienceMs: 8000 }, [cancel]],
    ['still silent after the wait: the path is broken, restart', state({ path: 'connected', recovery: 'stallWatch', stallPatienceMs: 2000 }), { type: 'recoveryTimerFired' }, { recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, stallRestartPending: true }, [arm(1000), restart]],
    ['a path going down while watched is handled as any disconnection', state({ path: 'connected', recovery: 'stallWatch', stallPatienceMs: 2000 }), conn('failed'), { path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }, [arm(1000), restart]],
    ['a stall while already recovering only notes the silence', state({ path: 'disconnected', recovery: 'grace' }), { type: 'mediaStalled' }, { mediaFlowing: false }, []],
    ['a rebuild while backing off keeps the backoff', state({ path: 'failed', recovery: 'backoff', attempts: 4 }), { type: 'sessionStarted' }, { path: 'new', recovery: 'backoff', attempts: 4 }, [{ type: 'cancelNegotiationTimer' }]],
    ['connecting resets everything', state({ path: 'failed', recovery: 'backoff', attempts: 5, restartsSinceRebuild: 2 }), conn('connected'), { path: 'connected', recovery: 'idle', attempts: 0, restartsSinceRebuild: 0 }, [cancel]],
    ['no signaling: the attempt waits', state({ path: 'connected', canSignal: false }), conn('failed'), { path: 'failed', recovery: 'deferred' }, [cancel]],
    ['signaling back: the waiting attempt runs', state({ path: 'failed', recovery: 'deferred', canSignal: false }), { type: 'signalingChanged', available: true }, { canSignal: true, recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }, [arm(1000), restart]],
    ['signaling back with the path down: restart promptly', state({ path: 'disconnected', recovery: 'backoff', attempts: 2, restartsSinceRebuild: 2, canSignal: false, heardSinceAttempt: true }), { type: 'signalingChanged', available: true }, { canSignal: true, attempts: 3, restartsSinceRebuild: 3, heardSinceAttempt: false }, [arm(2000), restart]],
    ['signaling back with the path up: nothing', state({ path: 'connected', canSignal: false }), { type: 'signalingChanged', available: true }, { canSignal: true }, []],
    ['signaling lost: the path is left alone', connected, { type: 'signalingChanged', available: false }, { canSignal: false }, []],
    ['the peer asks for a restart', connected, { type: 'restartRequested' }, { recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, heardSinceTrouble: true }, [arm(1000), restart]],
    ['a request while backing off changes nothing', state({ path: 'failed', recovery: 'backoff', attempts: 1 }), { type: 'restartRequested' }, { heardSinceTrouble: true }, []],
    ['an unsettled renegotiation is timed', connected, { type: 'negotiationChanged', stable: false }, { negotiating: true }, [armNegotiation(10_000)]],
    ['but not while signaling is away', state({ path: 'connected', canSignal: false }), { type: 'negotiationChanged', stable: false }, { negotiating: true }, []],
    ['nor a link\'s first negotiation: its silence gets nudges', base, { type: 'negotiationChanged', stable: false }, { negotiating: true }, []],
    ['a first negotiation is never rebuilt for taking long', state({ recovery: 'awaitingPeer', negotiating: true }), { type: 'negotiationTimerFired' }, {}, []],
    ['settling stops the clock', state({ negotiating: true }), { type: 'negotiationChanged', stable: true }, { negotiating: false }, [{ type: 'cancelNegotiationTimer' }]],
    ['stuck for 10 s, the peer heard meanwhile: rebuild', state({ path: 'connected', negotiating: true, heardSinceAttempt: true }), { type: 'negotiationTimerFired' }, { negotiating: false, recovery: 'backoff', attempts: 1, heardSinceAttempt: false }, [arm(1000), rebuild]],
    ['stuck for 10 s, the peer silent since our offer: resend it instead', state({ path: 'connected', negotiating: true }), { type: 'negotiationTimerFired' }, { negotiating: false, recovery: 'backoff', attempts: 1 }, [arm(1000), restart]],
    ['signaling back gives a stuck negotiation its full time again', state({ path: 'connected', negotiating: true, canSignal: false }), { type: 'signalingChanged', available: true }, { canSignal: true }, [{ type: 'armNegotiationTimer', delayMs: 10_000 }]],
  ])('%s', (_name, from, event, expected, actions) => {
    const step = stepWatchdog(from, event, DEFAULT_WATCHDOG_CONFIG);
    // What the link shows is tabled on its own below.
    expect({ ...step.state, link: from.link }).toEqual({ ...from, ...expected });
    expect(step.actions).toEqual(actions);
  });

  // The side whose attempts are ICE restarts, on a path that worked: a peer that says nothing is not restarted for.
  const impolite: WatchdogConfig = { ...DEFAULT_WATCHDOG_CONFIG, waitsForPeerWord: true };
  const held = (overrides: Partial<WatchdogState>) => state({ recovery: 'heldForPeer', ...overrides });
  it.each<[string, WatchdogState, WatchdogEvent, Partial<WatchdogState>, WatchdogAction[]]>([
    ['audio stalls, the peer silent since: held, no restart', state({ path: 'connected', mediaFlowing: true }), { type: 'mediaStalled' }, { recovery: 'heldForPeer', mediaFlowing: false }, [cancel]],
    ['still down after the grace, the peer silent: held', state({ path: 'disconnected', recovery: 'grace' }), { type: 'recoveryTimerFired' }, { recovery: 'heldForPeer' }, [cancel]],
    ['failed, the peer silent: held', connected, conn('failed'), { path: 'failed', recovery: 'heldForPeer' }, [cancel]],
    ['a word from the peer before the trouble does not count', state({ path: 'connected', heardSinceTrouble: true }), { type: 'mediaStalled' }, { recovery: 'heldForPeer', heardSinceTrouble: false }, [cancel]],
    ['held, the path going down changes nothing', held({ path: 'connected' }), conn('disconnected'), { path: 'disconnected' }, []],
    ['held, and failing too', held({ path: 'disconnected' }), conn('failed'), { path: 'failed' }, []],
    ['held, the peer asks for a new path: restart at once', held({ path: 'failed' }), { type: 'restartRequested' }, { recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, heardSinceTrouble: true }, [arm(1000), restart]],
    ['held, anything else from the peer: restart at once', held({ path: 'disconnected' }), { type: 'peerHeard' }, { recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, heardSinceTrouble: true }, [arm(1000), restart]],
    ['the peer asking first: restart at once, as before', connected, { type: 'restartRequested' }, { recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, heardSinceTrouble: true }, [arm(1000), restart]],
    ['heard in this trouble, the attempts go on on the usual schedule', state({ path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, heardSinceTrouble: true, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 2, restartsSinceRebuild: 2, heardSinceAttempt: false }, [arm(2000), restart]],
    ['held, its audio back by itself: nothing was restarted, back to idle', held({ path: 'connected' }), { type: 'mediaResumed' }, { recovery: 'idle', mediaFlowing: true }, []],
    ['held, its path back by itself', held({ path: 'failed' }), conn('connected'), { path: 'connected', recovery: 'idle' }, [cancel]],
    // A link that never connected: only the nudges the peer answered count towards escalating.
    ['never connected, three nudges and the last one answered: escalate as before', state({ recovery: 'awaitingPeer', nudges: 3, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { recovery: 'backoff', nudges: 0, attempts: 1, restartsSinceRebuild: 1, heardSinceAttempt: false }, [arm(1000), restart]],
    ['the last nudge unanswered: it does not count, nudge again', state({ recovery: 'awaitingPeer', nudges: 3 }), { type: 'recoveryTimerFired' }, { nudges: 4, silentNudges: 1 }, [arm(8000), nudge]],
    ['a peer standing still is nudged, never restarted', state({ recovery: 'awaitingPeer', nudges: 9, silentNudges: 8 }), { type: 'recoveryTimerFired' }, { nudges: 10, silentNudges: 9 }, [arm(8000), nudge]],
    ['back, it answers: that nudge counts, and the next is made', state({ recovery: 'awaitingPeer', nudges: 4, silentNudges: 2, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { nudges: 5, heardSinceAttempt: false }, [arm(8000), nudge]],
    ['three answered nudges and still no path: escalate', state({ recovery: 'awaitingPeer', nudges: 5, silentNudges: 2, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { recovery: 'backoff', nudges: 0, silentNudges: 0, attempts: 1, restartsSinceRebuild: 1, heardSinceAttempt: false }, [arm(1000), restart]],
    ['progress forgets the silent ones', state({ recovery: 'awaitingPeer', nudges: 4, silentNudges: 3 }), { type: 'progressed' }, { nudges: 0, silentNudges: 0 }, [arm(2500)]],
    // Its path going down while the peer is silent: ICE checks the peer's standing page never answered.
    ['never connected, failed while the peer is silent since our nudge: left to the nudges', state({ recovery: 'awaitingPeer', nudges: 1 }), conn('failed'), { path: 'failed' }, []],
    ['never connected, disconnected likewise: no grace, no restart', state({ recovery: 'awaitingPeer', nudges: 1 }), conn('disconnected'), { path: 'disconnected' }, []],
    ['the peer heard since our nudge: failed restarts at once, as before', state({ recovery: 'awaitingPeer', nudges: 1, heardSinceAttempt: true }), conn('failed'), { path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, heardSinceAttempt: false }, [arm(1000), restart]],
    ['the peer runs again: its path is still left to the nudges (ICE finds it by itself)', state({ path: 'failed', everConnected: false, recovery: 'awaitingPeer', nudges: 3, silentNudges: 2 }), { type: 'peerHeard' }, { heardSinceAttempt: true, heardSinceTrouble: true }, []],
    ['ICE checking again by itself is progress', state({ path: 'failed', everConnected: false, recovery: 'awaitingPeer', nudges: 3, silentNudges: 2, heardSinceAttempt: true }), conn('connecting'), { nudges: 0, silentNudges: 0 }, [arm(2500)]],
    ['nudges it answers count: three, and still no path, an ICE restart', state({ path: 'failed', everConnected: false, recovery: 'awaitingPeer', nudges: 5, silentNudges: 2, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { recovery: 'backoff', nudges: 0, silentNudges: 0, attempts: 1, restartsSinceRebuild: 1, heardSinceAttempt: false }, [arm(1000), restart]],
  ])('impolite side: %s', (_name, from, event, expected, actions) => {
    const step = stepWatchdog(from, event, impolite);
    expect({ ...step.state, link: from.link }).toEqual({ ...from, ...expected });
    expect(step.actions).toEqual(actions);
  });

  // On a busy machine a signaling round trip takes seconds: the same events, measured patience.
  const busy: WatchdogConfig = { ...DEFAULT_WATCHDOG_CONFIG, signalingRtoMs: 2500 };
  it.each<[string, WatchdogState, WatchdogEvent, Partial<WatchdogState>, WatchdogAction[]]>([
    ['a fresh connection waits two signaling timeouts', base, { type: 'sessionStarted' }, { recovery: 'awaitingPeer' }, [{ type: 'cancelNegotiationTimer' }, arm(5000)]],
    ['a slow but progressing negotiation is left alone', state({ recovery: 'awaitingPeer', negotiating: true }), { type: 'progressed' }, {}, [arm(5000)]],
    ['silence still gets only a nudge, later', waiting, { type: 'recoveryTimerFired' }, { nudges: 1 }, [arm(8000), nudge]],
    ['patience is capped: a lost signal is resent within seconds', state({ recovery: 'awaitingPeer', nudges: 2 }), { type: 'recoveryTimerFired' }, { nudges: 3 }, [arm(8000), nudge]],
    ['a broken path is still restarted at once', connected, conn('failed'), { path: 'failed', recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1 }, [arm(1000), restart]],
    ['and a dead relay too', connected, { type: 'mediaStalled' }, { recovery: 'backoff', attempts: 1, restartsSinceRebuild: 1, mediaFlowing: false, stallRestartPending: true }, [arm(1000), restart]],
    ['and rebuilt after three restarts, on the same schedule', state({ path: 'failed', recovery: 'backoff', attempts: 3, restartsSinceRebuild: 3, heardSinceAttempt: true }), { type: 'recoveryTimerFired' }, { attempts: 4, restartsSinceRebuild: 0, heardSinceAttempt: false }, [arm(2000), rebuild]],
  ])('busy machine: %s', (_name, from, event, expected, actions) => {
    const step = stepWatchdog(from, event, busy);
    // What the link shows is tabled on its own below.
    expect({ ...step.state, link: from.link }).toEqual({ ...from, ...expected });
    expect(step.actions).toEqual(actions);
  });

  it.each<[string, WatchdogState['link'], WatchdogEvent, WatchdogState['link']]>([
    ['the first offer starts connecting', 'new', { type: 'negotiationStarted' }, 'connecting'],
    ['ICE checking on a fresh link', 'new', conn('connecting'), 'connecting'],
    ['connected', 'connecting', conn('connected'), 'connected'],
    ['a path that drops', 'connected', conn('disconnected'), 'disconnected'],
    ['a path that fails is restarted at once', 'disconnected', conn('failed'), 'restarting'],
    ['checking again after a drop', 'disconnected', conn('connecting'), 'restarting'],
    ['a rebuild connects afresh', 'failed', { type: 'sessionStarted', rebuilt: true }, 'connecting'],
    ['the first connection is not a rebuild', 'new', { type: 'sessionStarted' }, 'new'],
    ['closing', 'connected', { type: 'closed' }, 'closed'],
    ['a closed link stays closed', 'closed', conn('connected'), 'closed'],
  ])('what the link shows: %s (%s -> %s)', (_name, link, event, shown) => {
    const path = link === 'connected' || link === 'disconnected' || link === 'failed' ? link : 'new';
    expect(stepWatchdog(state({ link, path }), event).state.link).toBe(shown);
  });

  it('an ICE restart on a path that failed shows as restarting, in the same step', () => {
    const step = stepWatchdog(state({ link: 'connected', path: 'connected' }), conn('failed'));
    expect(step.actions).toContainEqual(restart);
    expect(step.state).toMatchObject({ link: 'restarting', path: 'failed', recovery: 'backoff' });
  });

  it('a closed link makes no more moves', () => {
    const closed = stepWatchdog(state({ link: 'connected', path: 'connected' }), { type: 'closed' }).state;
    expect(stepWatchdog(closed, conn('failed'))).toEqual({ state: closed, actions: [] });
  });

  it('patience is the longer of awaitPeerMs and the measured timeouts, doubling per nudge', () => {
    expect(patienceMs(DEFAULT_WATCHDOG_CONFIG)).toBe(2500);
    expect(patienceMs({ ...DEFAULT_WATCHDOG_CONFIG, signalingRtoMs: 200 })).toBe(2500);
    expect(patienceMs({ ...DEFAULT_WATCHDOG_CONFIG, signalingRtoMs: 1500 })).toBe(3000);
    expect(patienceMs({ ...DEFAULT_WATCHDOG_CONFIG, signalingRtoMs: 1500 }, 1)).toBe(6000);
    expect(patienceMs({ ...DEFAULT_WATCHDOG_CONFIG, signalingRtoMs: 1500 }, 2)).toBe(8000);
  });

  it('a healthy burst join makes no restart and no rebuild however slow each step is', () => {
    // Offer made 4 s late, answer 6 s after that, ICE 3 s more: each step is progress.
    let current = stepWatchdog(base, { type: 'sessionStarted' }, busy).state;
    const made: string[] = [];
    const events: WatchdogEvent[] = [
      { type: 'progressed' }, // our offer went out
      { type: 'negotiationChanged', stable: false },
      { type: 'progressed' }, // the answer
      { type: 'negotiationChanged', stable: true },
      { type: 'progressed' }, // candidates
      conn('connecting'),
      conn('connected'),
    ];
    for (const event of events) {
      const step = stepWatchdog(current, event, busy);
      made.push(...step.actions.filter((a) => a.type === 'restartIce' || a.type === 'rebuild' || a.type === 'nudge').map((a) => a.type));
      current = step.state;
    }
    expect(made).toEqual([]);
    expect(current).toMatchObject({ path: 'connected', recovery: 'idle', attempts: 0 });
  });

  it('a starved peer that answers our first offer 11 s late costs two nudges, no restart and no rebuild', () => {
    // Seen in a sixth join on two cores: the newcomer applied a member's offer 7 s after it was sent.
    let current = stepWatchdog(base, { type: 'sessionStarted' }).state;
    const made: WatchdogAction['type'][] = [];
    const events: WatchdogEvent[] = [
      { type: 'progressed' }, // our offer went out (0 s)
      { type: 'negotiationChanged', stable: false },
      { type: 'recoveryTimerFired' }, // 2.5 s of silence: resend
      { type: 'recoveryTimerFired' }, // 5 s more: resend again, 8 s to the next
      { type: 'negotiationTimerFired' }, // 10 s: where a deadline would rebuild (a timer armed before, if any)
      { type: 'progressed' }, // the answer, at 11 s
      { type: 'negotiationChanged', stable: true },
      conn('connecting'),
      conn('connected'),
    ];
    for (const event of events) {
      const step = stepWatchdog(current, event);
      made.push(...step.actions.map((a) => a.type).filter((t) => t === 'nudge' || t === 'restartIce' || t === 'rebuild'));
      current = step.state;
    }
    expect(made).toEqual(['nudge', 'nudge']);
    expect(current).toMatchObject({ path: 'connected', recovery: 'idle', attempts: 0 });
  });

  it('backs off 0 s, 1 s, then 2 s apart, rebuilds after three restarts, and never stops', () => {
    // The peer answers every attempt (peerHeard); the path stays dead.
    const heard = (s: WatchdogState) => stepWatchdog(s, { type: 'peerHeard' }).state;
    let current = heard(stepWatchdog(connected, conn('failed')).state);
    const schedule: string[] = ['0:restartIce'];
    let elapsedMs = 0;
    for (let i = 0; i < 8; i++) {
      const step = stepWatchdog(current, { type: 'recoveryTimerFired' });
      const previous = stepWatchdog(current, { type: 'restartRequested' }); // ignored while backing off
      expect(previous.actions).toEqual([]);
      elapsedMs += [1000, 2000][Math.min(current.attempts, 2) - 1] ?? 2000;
      const kind = step.actions.find((a) => a.type === 'restartIce' || a.type === 'rebuild')?.type;
      schedule.push(`${elapsedMs}:${kind}`);
      current = heard(step.state);
    }
    expect(schedule).toEqual([
      '0:restartIce',
      '1000:restartIce',
      '3000:restartIce',
      '5000:rebuild',
      '7000:restartIce',
      '9000:restartIce',
      '11000:restartIce',
      '13000:rebuild',
      '15000:restartIce',
    ]);
  });
});
