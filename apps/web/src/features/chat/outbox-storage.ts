import { ChatMessage, ChatSend, type RoomId } from '@parley/protocol';
import * as z from 'zod/mini';
import type { OutboxEntry } from './chat-slice';

import type { StorageLike } from '../../app/browser-storage';

/** More than this many unsent messages in one room is not something to keep. */
const MAX_STORED = 200;

/**
 * One stored entry. Built from the wire schemas, so storage can never hold
 * what the server would refuse: clientId and text obey the same rules as `chat.send`.
 */
const StoredEntry = z.extend(z.omit(ChatSend, { type: true }), { createdAt: ChatMessage.shape.sentAt });

export function outboxKey(roomId: RoomId): string {
  return `parley.chat.outbox.${roomId}`;
}

/**
 * The unsent messages kept for `roomId`, oldest first, as pending entries.
 * Storage is never trusted: bad JSON, a wrong shape or entries for another
 * room are dropped one by one, and a storage that throws reads as empty.
 */
export function loadOutbox(storage: StorageLike, roomId: RoomId): OutboxEntry[] {
  let raw: string | null;
  try {
    raw = storage.getItem(outboxKey(roomId));
  } catch {
    return [];
  }
  if (raw === null) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(json)) return [];
  const entries: OutboxEntry[] = [];
  const seen = new Set<string>();
  for (const item of json.slice(0, MAX_STORED)) {
    const parsed = StoredEntry.safeParse(item);
    if (!parsed.success || parsed.data.roomId !== roomId || seen.has(parsed.data.clientId)) continue;
    seen.add(parsed.data.clientId);
    entries.push({ ...parsed.data, status: 'sending', attempts: 0 });
  }
  return entries;
}

/**
 * Keep `outbox` for `roomId` (an empty one removes the key). Returns false
 * when storage refused (quota, private mode): the messages still live in memory.
 */
export function saveOutbox(storage: StorageLike, roomId: RoomId, outbox: readonly OutboxEntry[]): boolean {
  const entries = outbox
    .filter((e) => e.roomId === roomId)
    .slice(-MAX_STORED)
    .map(({ clientId, text, createdAt }) => ({ roomId, clientId, text, createdAt }));
  try {
    if (entries.length === 0) storage.removeItem(outboxKey(roomId));
    else storage.setItem(outboxKey(roomId), JSON.stringify(entries));
    return true;
  } catch {
    return false;
  }
}
