import type { ChatMessage } from '@parley/protocol';

/**
 * Merge `incoming` into `existing` (sorted by seq): the result is sorted by
 * seq and holds each seq and each clientId once. The first copy of a message
 * wins, so an ack and a history page bringing the same message add it once.
 * Returns `existing` itself when nothing new arrived.
 */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): readonly ChatMessage[] {
  const seqs = new Set(existing.map((m) => m.seq));
  const clientIds = new Set(existing.map((m) => m.clientId));
  const added: ChatMessage[] = [];
  for (const message of incoming) {
    if (seqs.has(message.seq) || clientIds.has(message.clientId)) continue;
    seqs.add(message.seq);
    clientIds.add(message.clientId);
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
