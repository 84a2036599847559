import type { ChatMessage } from '@parley/protocol';

/**
 * A message's identity as the server keeps it: a clientId is unique per sender,
 * not per room (two senders may pick the same one; the server stores both).
 */
export function messageKey(message: Pick<ChatMessage, 'userId' | 'clientId'>): string {
  return `${message.userId}:${message.clientId}`;
}

/**
 * Merge `incoming` into `existing` (sorted by seq): the result is sorted by
 * seq and holds each seq and each (sender, clientId) once. The first copy of a
 * message wins, so an ack and a history page bringing the same message add it
 * once. Returns `existing` itself when nothing new arrived.
 */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): readonly ChatMessage[] {
  const seqs = new Set(existing.map((m) => m.seq));
  const keys = new Set(existing.map(messageKey));
  const added: ChatMessage[] = [];
  for (const message of incoming) {
    const key = messageKey(message);
    if (seqs.has(message.seq) || keys.has(key)) continue;
    seqs.add(message.seq);
    keys.add(key);
    added.push(message);
  }
  if (added.length === 0) return existing;
  const last = existing[existing.length - 1];
  added.sort((a, b) => a.seq - b.seq);
  const first = added[0];
  // The common case (live messages, newer pages) appends without a full sort.
  if (last === undefined || (first !== undefined && first.seq > last.seq)) return [...existing, ...added];
  return [...existing, ...added].sort((a, b) => a.seq - b.seq);
}

/**
 * The highest seq up to which we hold every message, counting from the
 * oldest one we hold (older pages are contiguous by construction). After a
 * reconnect, `afterSeq: lastSeq` asks for exactly what was missed.
 */
export function contiguousLastSeq(messages: readonly ChatMessage[], previous: number): number {
  if (messages.length === 0) return previous;
  const seqs = new Set(messages.map((m) => m.seq));
  let lastSeq = previous > 0 ? previous : (messages[0]?.seq ?? 0);
  while (seqs.has(lastSeq + 1)) lastSeq++;
  return lastSeq;
}
