import type { ChatMessage, RoomId } from '@parley/protocol';

/** A message as the chat service hands it to the store: everything but the seq. */
export type NewChatMessage = Omit<ChatMessage, 'seq'>;

export type AppendResult = {
  /** The stored message, with its seq. For a duplicate: the one stored the first time. */
  message: ChatMessage;
  /**
   * True when (roomId, userId, clientId) was already stored: the same sender
   * resent it; nothing new was written. A clientId is unique per sender, not per
   * room: someone else's message with the same clientId is never returned, and
   * theirs is stored as a message of its own. Only while that message is still
   * stored: a clientId resent after its message was deleted (retention,
   * clearRoom) is stored again as a new message.
   */
  duplicate: boolean;
};

/**
 * Which page of a room's history to read. Neither bound: the latest page.
 * `beforeSeq`: the page just older than it. `afterSeq`: what came after it
 * (up to `beforeSeq` when both are given).
 */
export type HistoryQuery = {
  roomId: RoomId;
  limit: number;
  afterSeq?: number | undefined;
  beforeSeq?: number | undefined;
};

export type HistoryPage = {
  /** Oldest first. */
  messages: ChatMessage[];
  /** More messages exist beyond this page in the direction asked. */
  hasMore: boolean;
};

/**
 * Where chat messages live. Synchronous: append assigns the room's next seq and
 * commits before it returns, so the caller's ack and broadcast happen in seq
 * order. Methods throw when the storage fails; callers turn that into an error reply.
 *
 * A room's seq never goes back, not even after its messages are deleted
 * (`deleteOlderThan`, `clearRoom`): clients keep the highest seq they have seen
 * and ask for what came after it.
 */
export type ChatStore = {
  append(message: NewChatMessage): AppendResult;
  history(query: HistoryQuery): HistoryPage;
  /**
   * Retention: deletes every message, in every room, with `sentAt < cutoff`
   * (ms since epoch). Returns how many it deleted.
   */
  deleteOlderThan(cutoff: number): number;
  /** Deletes all of a room's messages; its next message still gets the next seq. Returns how many it deleted. */
  clearRoom(roomId: RoomId): number;
  close(): void;
};
