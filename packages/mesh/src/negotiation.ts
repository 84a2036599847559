import type { SessionDescription, Signal, UserId } from '@parley/protocol';

/**
 * Pure decisions of the perfect negotiation pattern, kept apart from the
 * RTCPeerConnection plumbing so they can be tested as tables.
 */

/**
 * Both sides compute the same answer from the two ids: exactly one of them is
 * polite, and the other one offers. The server's ids grow with time
 * (apps/server/src/ids.ts), so the people already in a room offer to a
 * newcomer.
 */
export function isPolite(selfId: UserId, remoteId: UserId): boolean {
  return selfId > remoteId;
}

export type DescriptionDecision =
  /** Impolite side in glare, or an answer we are not waiting for: drop it. */
  | 'ignore'
  | 'accept'
  /** Polite side in glare: roll our own offer back explicitly, then accept theirs. */
  | 'rollbackThenAccept';

export type DescriptionContext = {
  descriptionType: SessionDescription['type'];
  polite: boolean;
  makingOffer: boolean;
  signalingState: RTCSignalingState;
  settingRemoteAnswerPending: boolean;
};

export function decideOnRemoteDescription(context: DescriptionContext): DescriptionDecision {
  const { descriptionType, polite, makingOffer, signalingState, settingRemoteAnswerPending } = context;
  if (descriptionType === 'answer') {
    return signalingState === 'have-local-offer' ? 'accept' : 'ignore';
  }
  const readyForOffer = !makingOffer && (signalingState === 'stable' || settingRemoteAnswerPending);
  if (readyForOffer) return 'accept';
  if (!polite) return 'ignore';
  // Our offer may still be inside createOffer (state stable): nothing to roll back,
  // the pending offer is dropped when it sees the state has moved on.
  return signalingState === 'have-local-offer' ? 'rollbackThenAccept' : 'accept';
}

export type EpochVerdict = 'stale' | 'current' | 'newer';

/**
 * `remoteEpoch` is the newest epoch seen from the peer (undefined before the
 * first signal). A newer epoch means the peer rebuilt its RTCPeerConnection.
 */
export function classifyEpoch(remoteEpoch: number | undefined, epoch: number): EpochVerdict {
  if (remoteEpoch === undefined || epoch === remoteEpoch) return 'current';
  return epoch < remoteEpoch ? 'stale' : 'newer';
}

/**
 * "Please restart" (the protocol's `restart` signal). The polite side never
 * offers (see PcSession), so when its watchdog wants a new path, or its page
 * reloaded and it holds a fresh connection the peer has not heard of, it
 * sends this with its current epoch. The impolite side answers with a
 * rebuild (newer epoch), a resend (`unheard`: the requester has applied no
 * description of ours yet, so there is no path to restart) or an ICE
 * restart (`path`).
 */
export function restartRequest(epoch: number, reason: 'unheard' | 'path'): Signal {
  return { kind: 'restart', epoch, reason };
}

export function isRestartRequest(signal: Signal): signal is Extract<Signal, { kind: 'restart' }> {
  return signal.kind === 'restart';
}
