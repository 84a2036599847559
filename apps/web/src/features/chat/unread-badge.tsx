import './chat.css';

/** The count of unread chat messages, for a "Chat" tab or button; nothing when zero. */
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="chat-badge" aria-label={`${count} unread ${count === 1 ? 'message' : 'messages'}`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}
