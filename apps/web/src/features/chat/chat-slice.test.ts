import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { CHAT_TIMING } from './chat-config';
import { buildChatItems, selectTypingText } from './chat-selectors';
import { createChatSlice, type ChatSlice } from './chat-slice';
import { message } from './testing/messages';

const NOW = 1_700_000_100_000;

function joinedStore() {
  const store = createStore<ChatSlice>()(createChatSlice);
  store.getState().chatRoomJoined({ roomId: 'lounge', selfId: 'me', storedOutbox: [] });
  return store;
}

const seqs = (store: ReturnType<typeof joinedStore>) => store.getState().chat.messages.map((m) => m.seq);
const names: Record<string, string> = { alice: 'Alice', bob: 'Bob', carol: 'Carol', me: 'Me' };
const nameOf = (userId: string) => names[userId];

describe('chat slice: messages', () => {
  it('keeps messages in seq order whatever order they arrive in', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatMessageReceived(message(5));
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(2), message(3), message(4)], hasMore: true, direction: 'latest' });
    s.chatMessageReceived(message(1));
    s.chatMessageReceived(message(6));
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('shows a message once when an ack and a history page both bring it', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatEnqueued({ clientId: 'mine-0001', text: 'hello', now: NOW });
    s.chatMessageAcked(message(7, { clientId: 'mine-0001', userId: 'me', text: 'hello' }));
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(6), message(7, { clientId: 'mine-0001', userId: 'me', text: 'hello' })], hasMore: false, direction: 'after' });
    s.chatMessageReceived(message(7, { clientId: 'mine-0001' }));
    expect(buildChatItems(store.getState().chat).map((i) => (i.kind === 'message' ? i.message.text : 'pending'))).toEqual(['message 6', 'hello']);
  });

  it('dedupes by clientId even when a second copy carries another seq', () => {
    const store = joinedStore();
    store.getState().chatMessageReceived(message(3, { clientId: 'same-client' }));
    store.getState().chatMessageReceived(message(4, { clientId: 'same-client' }));
    expect(seqs(store)).toEqual([3]);
  });

  it('keeps two senders’ messages that share a clientId: a clientId is unique per sender only', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatEnqueued({ clientId: 'mine-0002', text: 'on its way', now: NOW });
    // Someone else's message with our pending clientId is theirs: it does not answer our entry.
    s.chatMessageReceived(message(3, { clientId: 'mine-0002', userId: 'alice', text: 'copied id' }));
    s.chatMessageAcked(message(4, { clientId: 'mine-0002', userId: 'me', text: 'on its way' }));
    const items = buildChatItems(store.getState().chat);
    expect(items.map((i) => (i.kind === 'message' ? `${i.message.userId}: ${i.message.text}` : 'pending'))).toEqual(['alice: copied id', 'me: on its way']);
    expect(new Set(items.map((i) => i.key)).size).toBe(2);
  });

  it('ignores messages of another room', () => {
    const store = joinedStore();
    store.getState().chatMessageReceived(message(1, { roomId: 'elsewhere' }));
    expect(seqs(store)).toEqual([]);
  });

  it('tracks the highest contiguous seq, so a reconnect asks only for the gap', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(8), message(9), message(10)], hasMore: true, direction: 'latest' });
    expect(store.getState().chat.lastSeq).toBe(10);
    s.chatMessageReceived(message(13));
    expect(store.getState().chat.lastSeq).toBe(10);
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(11), message(12), message(13)], hasMore: false, direction: 'after' });
    expect(store.getState().chat.lastSeq).toBe(13);
  });

  it('knows whether older messages exist from the latest and older pages', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(51)], hasMore: true, direction: 'latest' });
    expect(store.getState().chat.hasMoreBefore).toBe(true);
    s.chatOlderRequested();
    expect(store.getState().chat.loadingOlder).toBe(true);
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(1), message(50)], hasMore: false, direction: 'before' });
    expect(store.getState().chat).toMatchObject({ hasMoreBefore: false, loadingOlder: false });
    expect(seqs(store)).toEqual([1, 50, 51]);
  });
});

describe('chat slice: history cleared by the owner', () => {
  it('drops every stored message of the room, keeps our unsent ones, and goes on with the next message', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(4), message(5)], hasMore: true, direction: 'latest' });
    s.chatEnqueued({ clientId: 'mine-0001', text: 'still mine', now: NOW });

    s.chatHistoryCleared('lounge');
    expect(store.getState().chat).toMatchObject({ messages: [], hasMoreBefore: false, historyLoaded: true });
    expect(buildChatItems(store.getState().chat).map((i) => (i.kind === 'pending' ? i.entry.text : i.message.text))).toEqual(['still mine']);

    s.chatMessageReceived(message(6));
    expect(seqs(store)).toEqual([6]);
    expect(store.getState().chat.lastSeq).toBe(6);
  });

  it('ignores a clear of another room', () => {
    const store = joinedStore();
    store.getState().chatMessageReceived(message(1));
    store.getState().chatHistoryCleared('elsewhere');
    expect(seqs(store)).toEqual([1]);
  });
});

describe('chat slice: outbox', () => {
  it('renders pending messages after stored ones, in the order they were written', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatEnqueued({ clientId: 'mine-0001', text: 'first', now: NOW });
    s.chatEnqueued({ clientId: 'mine-0002', text: 'second', now: NOW + 1 });
    s.chatMessageReceived(message(1));
    const items = buildChatItems(store.getState().chat);
    expect(items.map((i) => (i.kind === 'message' ? i.message.text : `${i.entry.text} (${i.entry.status})`))).toEqual([
      'message 1',
      'first (sending)',
      'second (sending)',
    ]);
  });

  it('turns a pending message into a sent one on its ack, keeping its row key', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatEnqueued({ clientId: 'mine-0001', text: 'hi', now: NOW });
    const pendingKey = buildChatItems(store.getState().chat)[0]?.key;
    s.chatSendAttempted('mine-0001');
    s.chatMessageAcked(message(1, { clientId: 'mine-0001', userId: 'me', text: 'hi' }));
    const items = buildChatItems(store.getState().chat);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'message', key: pendingKey, own: true });
  });

  it('drops a pending message that history shows was stored (its ack was lost)', () => {
    const store = joinedStore();
    store.getState().chatEnqueued({ clientId: 'mine-0001', text: 'hi', now: NOW });
    store.getState().chatHistoryReceived({ roomId: 'lounge', messages: [message(4, { clientId: 'mine-0001', userId: 'me' })], hasMore: false, direction: 'after' });
    expect(store.getState().chat.outbox).toEqual([]);
  });

  it('marks a refused message failed, and Retry makes it pending again', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatEnqueued({ clientId: 'mine-0001', text: 'hi', now: NOW });
    s.chatMessageRejected({ clientId: 'mine-0001', code: 'invalid_message', message: 'bad' }, NOW);
    expect(store.getState().chat.outbox[0]).toMatchObject({ status: 'failed', error: 'bad' });
    s.chatRetried('mine-0001');
    expect(store.getState().chat.outbox[0]).toMatchObject({ status: 'sending' });
    expect(store.getState().chat.outbox[0]?.error).toBeUndefined();
  });

  it('keeps a rate-limited message pending until retryAfterMs has passed', () => {
    const store = joinedStore();
    store.getState().chatEnqueued({ clientId: 'mine-0001', text: 'hi', now: NOW });
    store.getState().chatMessageRejected({ clientId: 'mine-0001', code: 'rate_limited', message: 'slow', retryAfterMs: 1500 }, NOW);
    expect(store.getState().chat.outbox[0]).toMatchObject({ status: 'sending', retryAt: NOW + 1500 });
  });

  it('starts a new room with that room’s stored outbox and nothing else', () => {
    const store = joinedStore();
    store.getState().chatMessageReceived(message(1));
    const stored = [{ clientId: 'kept-0001', roomId: 'attic', text: 'later', createdAt: NOW, status: 'sending' as const, attempts: 0 }];
    store.getState().chatRoomJoined({ roomId: 'attic', selfId: 'me', storedOutbox: stored });
    expect(store.getState().chat).toMatchObject({ roomId: 'attic', messages: [], outbox: stored, lastSeq: 0 });
  });

  it('keeps everything when the same room is joined again (a reconnect)', () => {
    const store = joinedStore();
    store.getState().chatMessageReceived(message(1));
    store.getState().chatEnqueued({ clientId: 'mine-0001', text: 'hi', now: NOW });
    store.getState().chatRoomJoined({ roomId: 'lounge', selfId: 'me', storedOutbox: [] });
    expect(seqs(store)).toEqual([1]);
    expect(store.getState().chat.outbox).toHaveLength(1);
  });

  it('announces nothing when a change changes nothing (the same room joined again)', () => {
    const store = joinedStore();
    let changes = 0;
    store.subscribe(() => changes++);
    store.getState().chatRoomJoined({ roomId: 'lounge', selfId: 'me', storedOutbox: [] });
    expect(changes).toBe(0);
    store.getState().chatMessageReceived(message(1));
    expect(changes).toBe(1);
  });
});

describe('chat slice: typing', () => {
  it('says who is typing, excluding yourself', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatTypingReceived({ roomId: 'lounge', userId: 'me' }, NOW);
    expect(selectTypingText(store.getState().chat, NOW, nameOf)).toBe('');
    s.chatTypingReceived({ roomId: 'lounge', userId: 'alice' }, NOW);
    expect(selectTypingText(store.getState().chat, NOW, nameOf)).toBe('Alice is typing…');
    s.chatTypingReceived({ roomId: 'lounge', userId: 'bob' }, NOW);
    expect(selectTypingText(store.getState().chat, NOW, nameOf)).toBe('Alice and Bob are typing…');
    s.chatTypingReceived({ roomId: 'lounge', userId: 'carol' }, NOW);
    expect(selectTypingText(store.getState().chat, NOW, nameOf)).toBe('Several people are typing…');
  });

  it('forgets a typist a few seconds after their last event, or when their message arrives', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatTypingReceived({ roomId: 'lounge', userId: 'alice' }, NOW);
    s.chatTypingReceived({ roomId: 'lounge', userId: 'bob' }, NOW + 3000);
    const later = NOW + CHAT_TIMING.typingTtlMs + 1;
    expect(selectTypingText(store.getState().chat, later, nameOf)).toBe('Bob is typing…');
    s.chatTypingPruned(later);
    expect(Object.keys(store.getState().chat.typing)).toEqual(['bob']);
    s.chatMessageReceived(message(1, { userId: 'bob' }));
    expect(selectTypingText(store.getState().chat, later, nameOf)).toBe('');
  });
});

describe('chat slice: unread', () => {
  it('counts new messages from others while the panel is hidden, and clears when shown', () => {
    const store = joinedStore();
    const s = store.getState();
    s.chatMessageReceived(message(1));
    s.chatVisibilityChanged(false);
    s.chatMessageReceived(message(2));
    s.chatMessageReceived(message(2));
    s.chatMessageAcked(message(3, { userId: 'me' }));
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(4)], hasMore: false, direction: 'after' });
    s.chatMessageReceived(message(5, { userId: 'bob' }));
    expect(store.getState().chat.unread).toBe(2);
    s.chatVisibilityChanged(true);
    expect(store.getState().chat.unread).toBe(0);
  });
});
