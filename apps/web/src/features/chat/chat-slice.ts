import type { ChatRejection } from '@parley/mesh';
import type { ChatClientId, ChatMessage, RoomId, UserId } from '@parley/protocol';
import type { StateCreator } from 'zustand/vanilla';
import { CHAT_TIMING } from './chat-config';
import { contiguousLastSeq, mergeMessages } from './message-merge';
import { classifyRejection } from './rejection';

export type OutboxStatus = 'sending' | 'failed';

/** A message of ours the server has not acknowledged yet. */
export type OutboxEntry = {
  clientId: ChatClientId;
  roomId: RoomId;
  text: string;
  createdAt: number;
  status: OutboxStatus;
  /** How many times it went on the wire. */
  attempts: number;
  /** Rate limited: not before this time (ms since epoch). */
  retryAt?: number;
  /** Why the last attempt was refused, for people. */
  error?: string;
};

/** Which way a history request looked; the page itself does not say. */
export type HistoryDirection = 'latest' | 'before' | 'after';

export type ChatState = {
  roomId: RoomId | undefined;
  selfId: UserId | undefined;
  /** Sorted by seq; each seq and each (sender, clientId) once. */
  messages: readonly ChatMessage[];
  /** Oldest first: the order they go on the wire. */
  outbox: readonly OutboxEntry[];
  /** The latest page has arrived at least once for this room. */
  historyLoaded: boolean;
  /** Older messages exist on the server (scrolling up can load them). */
  hasMoreBefore: boolean;
  loadingOlder: boolean;
  /** Highest seq up to which we hold every message; 0 when we hold none. */
  lastSeq: number;
  /** Remote users typing: userId -> expiresAt (ms since epoch). */
  typing: Readonly<Record<UserId, number>>;
  /** Messages from others that arrived while the panel was hidden. */
  unread: number;
  visible: boolean;
};


/**
 * The chat's state and its transitions. Pure: time comes in as `now`, ids
 * come in from the caller; the chat controller performs the side effects.
 * Every action ignores what belongs to another room.
 */
export type ChatSlice = {
  chat: ChatState;

  /** Entering `roomId` (a different room starts empty, with its stored outbox); a rejoin keeps everything. */
  chatRoomJoined(event: { roomId: RoomId; selfId: UserId; storedOutbox: readonly OutboxEntry[] }): void;
  /** The user left the room: forget it all (the stored outbox stays in storage). */
  chatReset(): void;
  /** The connection dropped: what was in flight is unknown, typing is stale. */
  chatConnectionLost(): void;
  chatEnqueued(entry: { clientId: ChatClientId; text: string; now: number }): void;
  chatSendAttempted(clientId: ChatClientId): void;
  chatMessageAcked(message: ChatMessage): void;
  chatMessageReceived(message: ChatMessage): void;
  chatHistoryReceived(page: { roomId: RoomId; messages: ChatMessage[]; hasMore: boolean; direction: HistoryDirection }): void;
  chatOlderRequested(): void;
  /** The server could not answer the request for older messages: "Load older" may be pressed again. */
  chatOlderFailed(): void;
  chatMessageRejected(rejection: ChatRejection, now: number): void;
  /** The user pressed Retry on a failed message. */
  chatRetried(clientId: ChatClientId): void;
  /** The user gave up on a failed message. */
  chatDiscarded(clientId: ChatClientId): void;
  /** The room's owner deleted its history: every stored message goes (our unsent ones stay, they are new). */
  chatHistoryCleared(roomId: RoomId): void;
  chatTypingReceived(event: { roomId: RoomId; userId: UserId }, now: number): void;
  chatTypingPruned(now: number): void;
  chatVisibilityChanged(visible: boolean): void;
};

export const emptyChat: ChatState = {
  roomId: undefined,
  selfId: undefined,
  messages: [],
  outbox: [],
  historyLoaded: false,
  hasMoreBefore: false,
  loadingOlder: false,
  lastSeq: 0,
  typing: {},
  unread: 0,
  visible: true,
};

function withoutKey<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/**
 * Store `incoming` and drop the outbox entries they answer (an ack lost in a
 * reconnect shows up in history). Only our own messages answer an entry:
 * someone else's with the same clientId is theirs.
 */
function absorb(chat: ChatState, incoming: readonly ChatMessage[]): ChatState {
  const messages = mergeMessages(chat.messages, incoming);
  const delivered = new Set(incoming.filter((m) => m.userId === chat.selfId).map((m) => m.clientId));
  const outbox = chat.outbox.some((e) => delivered.has(e.clientId)) ? chat.outbox.filter((e) => !delivered.has(e.clientId)) : chat.outbox;
  if (messages === chat.messages && outbox === chat.outbox) return chat;
  return { ...chat, messages, outbox, lastSeq: contiguousLastSeq(messages, chat.lastSeq) };
}

function updateEntry(chat: ChatState, clientId: string, change: (entry: OutboxEntry) => OutboxEntry): ChatState {
  const index = chat.outbox.findIndex((e) => e.clientId === clientId);
  const entry = chat.outbox[index];
  if (entry === undefined) return chat;
  const outbox = [...chat.outbox];
  outbox[index] = change(entry);
  return { ...chat, outbox };
}

function pendingAgain({ retryAt: _retryAt, error: _error, ...entry }: OutboxEntry): OutboxEntry {
  return { ...entry, status: 'sending' };
}

export const createChatSlice: StateCreator<ChatSlice, [], [], ChatSlice> = (set) => {
  /** Apply `change` to the chat state; an unchanged state object means no update. */
  const update = (change: (chat: ChatState) => ChatState) =>
    set((s) => {
      const next = change(s.chat);
      return next === s.chat ? s : { chat: next };
    });
  const inRoom = (chat: ChatState, roomId: RoomId) => chat.roomId !== undefined && chat.roomId === roomId;

  return {
    chat: emptyChat,

    chatRoomJoined: ({ roomId, selfId, storedOutbox }) =>
      update((chat) => {
        if (chat.roomId === roomId) return chat.selfId === selfId ? chat : { ...chat, selfId };
        return { ...emptyChat, visible: chat.visible, roomId, selfId, outbox: storedOutbox.filter((e) => e.roomId === roomId) };
      }),

    chatReset: () => update((chat) => ({ ...emptyChat, visible: chat.visible })),

    chatConnectionLost: () =>
      update((chat) => (chat.loadingOlder || Object.keys(chat.typing).length > 0 ? { ...chat, loadingOlder: false, typing: {} } : chat)),

    chatEnqueued: ({ clientId, text, now }) =>
      update((chat) => {
        if (chat.roomId === undefined || chat.outbox.some((e) => e.clientId === clientId)) return chat;
        const entry: OutboxEntry = { clientId, roomId: chat.roomId, text, createdAt: now, status: 'sending', attempts: 0 };
        return { ...chat, outbox: [...chat.outbox, entry] };
      }),

    chatSendAttempted: (clientId) =>
      update((chat) => updateEntry(chat, clientId, (entry) => ({ ...pendingAgain(entry), attempts: entry.attempts + 1 }))),

    chatMessageAcked: (message) => update((chat) => (inRoom(chat, message.roomId) ? absorb(chat, [message]) : chat)),

    chatMessageReceived: (message) =>
      update((chat) => {
        if (!inRoom(chat, message.roomId)) return chat;
        const next = absorb(chat, [message]);
        const typing = withoutKey(next.typing, message.userId);
        const isNew = next.messages !== chat.messages;
        const counts = isNew && !chat.visible && message.userId !== chat.selfId;
        if (next === chat && typing === chat.typing) return chat;
        return { ...next, typing, unread: counts ? next.unread + 1 : next.unread };
      }),

    chatHistoryReceived: ({ roomId, messages, hasMore, direction }) =>
      update((chat) => {
        if (!inRoom(chat, roomId)) return chat;
        const next = absorb(chat, messages);
        switch (direction) {
          case 'latest':
            // A later 'before' page may already have told us more; never forget older pages we hold.
            return { ...next, historyLoaded: true, hasMoreBefore: chat.historyLoaded ? chat.hasMoreBefore : hasMore };
          case 'before':
            return { ...next, loadingOlder: false, hasMoreBefore: hasMore };
          case 'after':
            return next;
        }
      }),

    chatOlderRequested: () => update((chat) => (chat.loadingOlder ? chat : { ...chat, loadingOlder: true })),

    chatOlderFailed: () => update((chat) => (chat.loadingOlder ? { ...chat, loadingOlder: false } : chat)),

    chatMessageRejected: (rejection, now) =>
      update((chat) =>
        updateEntry(chat, rejection.clientId, (entry) => {
          const outcome = classifyRejection(rejection.code, rejection.retryAfterMs);
          switch (outcome.kind) {
            case 'retry':
              return { ...pendingAgain(entry), retryAt: now + outcome.delayMs, error: rejection.message };
            case 'wait':
              return pendingAgain(entry);
            case 'fail':
              return { ...entry, status: 'failed', error: rejection.message };
          }
        }),
      ),

    chatRetried: (clientId) =>
      update((chat) => updateEntry(chat, clientId, (entry) => (entry.status === 'failed' ? pendingAgain(entry) : entry))),

    chatDiscarded: (clientId) =>
      update((chat) => (chat.outbox.some((e) => e.clientId === clientId) ? { ...chat, outbox: chat.outbox.filter((e) => e.clientId !== clientId) } : chat)),

    chatHistoryCleared: (roomId) =>
      update((chat) => {
        if (!inRoom(chat, roomId)) return chat;
        // Counting starts again from the next message, whatever seq the server gives it.
        return { ...chat, messages: [], hasMoreBefore: false, loadingOlder: false, lastSeq: 0, unread: 0 };
      }),

    chatTypingReceived: ({ roomId, userId }, now) =>
      update((chat) => {
        if (!inRoom(chat, roomId) || userId === chat.selfId) return chat;
        return { ...chat, typing: { ...chat.typing, [userId]: now + CHAT_TIMING.typingTtlMs } };
      }),

    chatTypingPruned: (now) =>
      update((chat) => {
        const live = Object.entries(chat.typing).filter(([, expiresAt]) => expiresAt > now);
        return live.length === Object.keys(chat.typing).length ? chat : { ...chat, typing: Object.fromEntries(live) };
      }),

    chatVisibilityChanged: (visible) =>
      update((chat) => (chat.visible === visible && (!visible || chat.unread === 0) ? chat : { ...chat, visible, unread: visible ? 0 : chat.unread })),
  };
};
