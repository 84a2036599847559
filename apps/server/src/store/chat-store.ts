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
 * Where chat messages live: SQLite in one process (sqlite-chat-store.ts), or
 * PostgreSQL shared by several nodes (pg-chat-store.ts). Every method has
 * committed when its promise settles, and rejects when the storage fails;
 * callers turn that into an error reply.
 *
 * `append` assigns the room's next seq inside the store, so every node that
 * shares the store hands out one sequence per room, and a (roomId, userId,
 * clientId) sent through two nodes is stored once. Callers that need their
 * acks and broadcasts in seq order serialize appends per room themselves
 * (the chat service does).
 *
 * A room's seq never goes back, not even after its messages are deleted
 * (`deleteOlderThan`, `clearRoom`): clients keep the highest seq they have seen
 * and ask for what came after it.
 */
export type ChatStore = {
  /** What holds the messages, as /healthz names it. */
  readonly kind: 'sqlite' | 'postgres';
  append(message: NewChatMessage): Promise<AppendResult>;
  history(query: HistoryQuery): Promise<HistoryPage>;
  /**
   * Retention: deletes every message, in every room, with `sentAt < cutoff`
   * (ms since epoch). Resolves to how many it deleted.
   */
  deleteOlderThan(cutoff: number): Promise<number>;
  /** Deletes all of a room's messages; its next message still gets the next seq. Resolves to how many it deleted. */
  clearRoom(roomId: RoomId): Promise<number>;
  /** Whether the storage answers now (for /healthz); never rejects. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
};
