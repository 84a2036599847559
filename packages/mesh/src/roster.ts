import type { Participant, UserId, VoiceState } from '@parley/protocol';

export type RosterMerge = {
  /** The roster to show: everyone once, in a stable order (known people first). */
  participants: Map<UserId, Participant>;
  /** Not in the new roster and dropped: peerLeft, close their link. */
  gone: UserId[];
  /** Not in the new roster but kept as `reconnecting` for a while (the server restarted). */
  missing: UserId[];
};

export type RosterMergeInput = {
  known: ReadonlyMap<UserId, Participant>;
  roster: readonly Participant[];
  selfId: UserId;
  /** Our own voice state wins over the server's copy, which may lag behind. */
  selfVoice: VoiceState;
  /** The server restarted: people missing may just not be back yet. */
  keepMissing: boolean;
};

/**
 * Reconciles a fresh roster from the server with the participants we already
 * know, so that a reconnect changes only what really changed. Pure.
 */
export function mergeRoster({ known, roster, selfId, selfVoice, keepMissing }: RosterMergeInput): RosterMerge {
  const present = new Map<UserId, Participant>();
  for (const participant of roster) {
    present.set(participant.userId, participant.userId === selfId ? { ...participant, ...selfVoice } : participant);
  }
  const participants = new Map<UserId, Participant>();
  const gone: UserId[] = [];
  const missing: UserId[] = [];
  for (const [userId, participant] of known) {
    const fresh = present.get(userId);
    if (fresh) participants.set(userId, fresh);
    else if (userId === selfId) continue;
    else if (keepMissing) {
      participants.set(userId, { ...participant, presence: 'reconnecting' });
      missing.push(userId);
    } else gone.push(userId);
  }
  for (const [userId, participant] of present) {
    if (!participants.has(userId)) participants.set(userId, participant);
  }
  return { participants, gone, missing };
}
