import type { UserId } from '@parley/protocol';
import { CHAT_TIMING } from './chat-config';
import type { ChatItem } from './chat-selectors';

/** Consecutive items of one author, shown under one header. */
export type MessageGroup = {
  key: string;
  authorId: UserId | undefined;
  /** undefined for a group made only of our pending messages: the caller names it. */
  authorName: string | undefined;
  own: boolean;
  /** Time of the first item (ms since epoch). */
  startedAt: number;
  items: ChatItem[];
};

function authorOf(item: ChatItem, selfId: UserId | undefined): { id: UserId | undefined; name: string | undefined; own: boolean; at: number } {
  if (item.kind === 'message') return { id: item.message.userId, name: item.message.displayName, own: item.own, at: item.message.sentAt };
  return { id: selfId, name: undefined, own: true, at: item.entry.createdAt };
}

/**
 * Group consecutive items by author: a new group starts when the author
 * changes or more than `windowMs` passed since the previous item. Our
 * pending messages belong to us and join our last group.
 */
export function groupItems(items: readonly ChatItem[], selfId: UserId | undefined, windowMs: number = CHAT_TIMING.groupWindowMs): MessageGroup[] {
  const groups: MessageGroup[] = [];
  let previousAt = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const author = authorOf(item, selfId);
    const current = groups.at(-1);
    const sameAuthor = current !== undefined && (author.own ? current.own : !current.own && current.authorId === author.id);
    if (current !== undefined && sameAuthor && author.at - previousAt <= windowMs) {
      current.items.push(item);
      current.authorName ??= author.name;
    } else {
      groups.push({ key: item.key, authorId: author.id, authorName: author.name, own: author.own, startedAt: author.at, items: [item] });
    }
    previousAt = author.at;
  }
  return groups;
}
