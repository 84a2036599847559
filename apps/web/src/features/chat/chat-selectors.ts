import type { ChatMessage, UserId } from '@parley/protocol';
import type { ChatSlice, ChatState, OutboxEntry } from './chat-slice';
import { messageKey } from './message-merge';

/** One line of the message list: a stored message, or one of ours still in the outbox. */
export type ChatItem =
  | { kind: 'message'; key: string; message: ChatMessage; own: boolean }
  | { kind: 'pending'; key: string; entry: OutboxEntry };

/**
 * What the list renders, in order: stored messages by seq, then our pending
 * ones in the order they were written. Keys are sender and clientId, so a
 * message keeps its row when it goes from pending to sent.
 * Builds new objects: call it in a useMemo over `messages`, `outbox`, `selfId`.
 */
export function buildChatItems(chat: Pick<ChatState, 'messages' | 'outbox' | 'selfId'>): ChatItem[] {
  const items: ChatItem[] = chat.messages.map((message) => ({
    kind: 'message',
    key: messageKey(message),
    message,
    own: message.userId === chat.selfId,
  }));
  for (const entry of chat.outbox) items.push({ kind: 'pending', key: messageKey({ userId: chat.selfId ?? '', clientId: entry.clientId }), entry });
  return items;
}

/** Who is typing now, in the order they started, never ourselves. */
export function selectTypingUserIds(chat: Pick<ChatState, 'typing' | 'selfId'>, now: number): UserId[] {
  return Object.entries(chat.typing)
    .filter(([userId, expiresAt]) => expiresAt > now && userId !== chat.selfId)
    .map(([userId]) => userId);
}

/** "Alice is typing…", "Alice and Bob are typing…", "Several people are typing…", or ''. */
export function typingText(names: readonly string[]): string {
  const [first, second] = names;
  if (first === undefined) return '';
  if (second === undefined) return `${first} is typing…`;
  if (names.length === 2) return `${first} and ${second} are typing…`;
  return 'Several people are typing…';
}

export function selectTypingText(chat: Pick<ChatState, 'typing' | 'selfId'>, now: number, nameOf: (userId: UserId) => string | undefined): string {
  return typingText(selectTypingUserIds(chat, now).map((userId) => nameOf(userId) ?? 'Someone'));
}

export function selectUnread(state: Pick<ChatSlice, 'chat'>): number {
  return state.chat.unread;
}
