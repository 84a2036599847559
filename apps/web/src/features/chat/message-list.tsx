import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { UserId } from '@parley/protocol';
import type { ChatItem } from './chat-selectors';
import { groupItems } from './message-groups';
import { MessageText } from './message-text';

/** Within this many pixels of an edge counts as being at it. */
const EDGE_PX = 48;

export type MessageListProps = {
  items: readonly ChatItem[];
  selfId: UserId | undefined;
  /** The name over our own messages before the server has stored any of them. */
  selfName: string | undefined;
  /** Until the first page arrives, an empty list means "loading", not "no messages". */
  historyLoaded: boolean;
  hasMoreBefore: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  onRetry(clientId: string): void;
  onDiscard(clientId: string): void;
};

/**
 * One formatter for every timestamp: `toLocaleTimeString` with options
 * builds a new Intl.DateTimeFormat per call, and a profile of a busy room
 * showed that alone taking a third of the page's main thread.
 */
const TIME_FORMAT = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });

function formatTime(ms: number): string {
  return TIME_FORMAT.format(ms);
}

function itemTime(item: ChatItem): number {
  return item.kind === 'message' ? item.message.sentAt : item.entry.createdAt;
}

function itemText(item: ChatItem): string {
  return item.kind === 'message' ? item.message.text : item.entry.text;
}

function isShown(element: HTMLElement): boolean {
  return element.clientHeight > 0;
}

function Status({ item, onRetry, onDiscard }: { item: ChatItem } & Pick<MessageListProps, 'onRetry' | 'onDiscard'>) {
  if (item.kind === 'message') return null;
  const { entry } = item;
  if (entry.status === 'sending') return <span className="chat-status">Sending…</span>;
  return (
    <span className="chat-status chat-status--failed">
      <span title={entry.error}>Failed</span>
      <button type="button" className="chat-status__action" onClick={() => onRetry(entry.clientId)}>
        Retry
      </button>
      <button type="button" className="chat-status__action" onClick={() => onDiscard(entry.clientId)}>
        Discard
      </button>
    </span>
  );
}

/**
 * The conversation. Follows new messages only while the reader is at the
 * bottom; otherwise offers a "New messages" button. Reaching the top asks for
 * older messages, and the view stays put while they are added above.
 * Memoized: the room around it re-renders whenever someone starts or stops
 * speaking, and the log has nothing to do with that.
 */
export const MessageList = memo(function MessageList({ items, selfId, selfName, historyLoaded, hasMoreBefore, loadingOlder, onLoadOlder, onRetry, onDiscard }: MessageListProps) {
  const logRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** Where the reader was, for when a hidden list (a tab not shown) comes back. */
  const lastScrollTop = useRef(0);
  const previous = useRef<{ firstKey: string | undefined; lastKey: string | undefined; scrollHeight: number } | undefined>(undefined);
  const [newBelow, setNewBelow] = useState(false);
  const groups = useMemo(() => groupItems(items, selfId), [items, selfId]);

  const canLoadOlder = hasMoreBefore && !loadingOlder;

  useLayoutEffect(() => {
    const log = logRef.current;
    if (!log) return;
    const before = previous.current;
    if (items.length === 0 && before?.lastKey === undefined) {
      // Nothing to place yet. Reading the layout here would lay out the whole room page the
      // moment it mounts, on joining, while the first offers are being made.
      previous.current = { firstKey: undefined, lastKey: undefined, scrollHeight: 0 };
      return;
    }
    const first = items[0];
    const last = items.at(-1);
    const prepended = before !== undefined && before.firstKey !== first?.key && before.lastKey === last?.key;
    const appended = before !== undefined && before.lastKey !== last?.key;
    const justSentByUs = appended && last?.kind === 'pending';
    if (prepended) {
      log.scrollTop += log.scrollHeight - before.scrollHeight;
    } else if (atBottom.current || justSentByUs || before === undefined) {
      log.scrollTop = log.scrollHeight;
      atBottom.current = true;
      setNewBelow(false);
    } else if (appended) {
      setNewBelow(true);
    }
    previous.current = { firstKey: first?.key, lastKey: last?.key, scrollHeight: log.scrollHeight };
    // A short conversation never scrolls: fetch older messages until it does or none are left.
    if (isShown(log) && log.scrollHeight <= log.clientHeight && canLoadOlder) onLoadOlder();
  }, [items, canLoadOlder, onLoadOlder]);

  // A hidden list has no layout, so it cannot follow what arrives meanwhile, and the browser
  // forgets its scroll position. When it is shown again (or resized), put the reader back.
  useEffect(() => {
    const log = logRef.current;
    if (!log || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (!isShown(log)) return;
      if (atBottom.current) log.scrollTop = log.scrollHeight;
      else if (log.scrollTop === 0) log.scrollTop = lastScrollTop.current;
      if (previous.current) previous.current = { ...previous.current, scrollHeight: log.scrollHeight };
    });
    observer.observe(log);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const log = logRef.current;
    // Hiding the list resets its scroll: that is not the reader scrolling.
    if (!log || !isShown(log)) return;
    lastScrollTop.current = log.scrollTop;
    atBottom.current = log.scrollHeight - log.scrollTop - log.clientHeight <= EDGE_PX;
    if (atBottom.current) setNewBelow(false);
    if (log.scrollTop <= EDGE_PX && canLoadOlder) onLoadOlder();
    previous.current = previous.current && { ...previous.current, scrollHeight: log.scrollHeight };
  };

  const scrollToBottom = () => {
    const log = logRef.current;
    if (!log) return;
    log.scrollTo({ top: log.scrollHeight, behavior: 'smooth' });
    atBottom.current = true;
    setNewBelow(false);
  };

  return (
    <div className="chat-messages">
      <div className="chat-log" role="log" aria-label="Messages" tabIndex={0} ref={logRef} onScroll={onScroll}>
        {loadingOlder ? <p className="chat-log__note">Loading older messages…</p> : null}
        {!hasMoreBefore && items.length > 0 ? <p className="chat-log__note">This is the start of the conversation.</p> : null}
        {items.length === 0 ? (
          <p className="chat-log__empty">{historyLoaded ? 'No messages yet. Say hello!' : 'Loading messages…'}</p>
        ) : null}
        {groups.map((group) => {
          const author = group.authorName ?? selfName ?? 'You';
          return (
            <article key={group.key} className={`chat-group${group.own ? ' chat-group--own' : ''}`}>
              {/* Seen once per group; assistive technology hears the author with every message instead. */}
              <header className="chat-group__header" aria-hidden="true">
                <span className="chat-group__author">{author}</span>
                <time className="chat-group__time" dateTime={new Date(group.startedAt).toISOString()}>
                  {formatTime(group.startedAt)}
                </time>
              </header>
              <ul className="chat-group__items">
                {group.items.map((item) => (
                  <li
                    key={item.key}
                    className={`chat-message${item.kind === 'pending' ? ` chat-message--${item.entry.status}` : ''}`}
                    title={formatTime(itemTime(item))}
                  >
                    <span className="visually-hidden">{`${author}, ${formatTime(itemTime(item))}: `}</span>
                    <MessageText text={itemText(item)} />
                    <Status item={item} onRetry={onRetry} onDiscard={onDiscard} />
                  </li>
                ))}
              </ul>
            </article>
          );
        })}
      </div>
      {newBelow ? (
        <button type="button" className="chat-new-below button button--secondary button--small" onClick={scrollToBottom}>
          New messages
        </button>
      ) : null}
    </div>
  );
});
