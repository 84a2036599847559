import { assertNever } from '@parley/protocol';
import type { LinkState } from './events';

/**
 * What can happen to a link, as far as what it shows is concerned. This is
 * one part of the link's single state machine: stepWatchdog (link-watchdog.ts)
 * steps it with the same event that drives recovery. Side effects live in PeerLink.
 */
export type LinkEvent =
  /** The first offer was sent or received. */
  | { type: 'negotiationStarted' }
  /** The RTCPeerConnection reported a new `connectionState`. */
  | { type: 'connectionStateChanged'; state: RTCPeerConnectionState }
  /** We asked for (impolite) or received (polite) an ICE restart. */
  | { type: 'iceRestartStarted' }
  /** The RTCPeerConnection was replaced by a new incarnation (new epoch). */
  | { type: 'rebuilt' }
  | { type: 'closeRequested' };

function onConnectionState(state: LinkState, pcState: RTCPeerConnectionState): LinkState {
  switch (pcState) {
    case 'new':
      return state;
    case 'connecting':
      if (state === 'new') return 'connecting';
      if (state === 'disconnected' || state === 'failed') return 'restarting';
      return state;
    case 'connected':
      return 'connected';
    case 'disconnected':
      return state === 'connected' ? 'disconnected' : state;
    case 'failed':
      return 'failed';
    case 'closed':
      return 'closed';
    default:
      return assertNever(pcState, 'connection state');
  }
}

/** What the link shows next: a pure function, tested as a table (and through stepWatchdog). */
export function nextLinkState(state: LinkState, event: LinkEvent): LinkState {
  if (state === 'closed') return 'closed';
  switch (event.type) {
    case 'negotiationStarted':
      return state === 'new' ? 'connecting' : state;
    case 'connectionStateChanged':
      return onConnectionState(state, event.state);
    case 'iceRestartStarted':
      return state === 'disconnected' || state === 'failed' ? 'restarting' : state;
    case 'rebuilt':
      return 'connecting';
    case 'closeRequested':
      return 'closed';
    default:
      return assertNever(event, 'link event');
  }
}
