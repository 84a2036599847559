import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { ChatPanel } from './chat-panel';
import { createChatSlice, type ChatSlice } from './chat-slice';
import { MessageText } from './message-text';
import { message } from './testing/messages';

// Server-rendered markup: what the browser would get, without a DOM in the test.

describe('MessageText', () => {
  it('shows markup literally and never as HTML', () => {
    const html = renderToStaticMarkup(createElement(MessageText, { text: '<img src=x onerror=alert(1)> <script>alert(1)</script>' }));
    expect(html).toBe('<span class="chat-text">&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(1)&lt;/script&gt;</span>');
  });

  it('links http(s) URLs into a new tab that cannot reach back', () => {
    const html = renderToStaticMarkup(createElement(MessageText, { text: 'see https://example.com/x' }));
    expect(html).toContain('<a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>');
  });
});

describe('ChatPanel', () => {
  it('renders the log, grouped messages, pending and failed states, and the composer', () => {
    const store = createStore<ChatSlice>()(createChatSlice);
    const s = store.getState();
    s.chatRoomJoined({ roomId: 'lounge', selfId: 'me', storedOutbox: [] });
    s.chatHistoryReceived({ roomId: 'lounge', messages: [message(1), message(2, { text: 'second <b>bold</b>' })], hasMore: false, direction: 'latest' });
    s.chatEnqueued({ clientId: 'mine-00001', text: 'on its way', now: 1_700_000_010_000 });
    s.chatEnqueued({ clientId: 'mine-00002', text: 'refused', now: 1_700_000_011_000 });
    s.chatMessageRejected({ clientId: 'mine-00002', code: 'internal', message: 'server failed' }, 1_700_000_012_000);
    s.chatTypingReceived({ roomId: 'lounge', userId: 'alice' }, 1_700_000_000_000);

    const html = renderToStaticMarkup(
      // Server rendering reads getInitialState: hand it the state built above.
      createElement(ChatPanel, { store: { ...store, getInitialState: store.getState }, controller: undefined, nameOf: (id) => ({ alice: 'Alice', me: 'Mo' })[id], now: () => 1_700_000_001_000 }),
    );
    expect(html).toContain('role="log" aria-label="Messages"');
    expect(html.match(/class="chat-group__author">Alice</g)).toHaveLength(1);
    // Our unsent messages go under our own name, not a placeholder.
    expect(html.match(/class="chat-group__author">Mo</g)).toHaveLength(1);
    // The header shows once per group; a screen reader hears the author with each message.
    expect(html.match(/<li[^>]*><span class="visually-hidden">Alice, /g)).toHaveLength(2);
    expect(html).toContain('second &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('on its way');
    expect(html).toContain('Sending…');
    expect(html).toMatch(/Failed<\/span><button[^>]*>Retry<\/button>/);
    expect(html).toContain('Alice is typing…');
    expect(html).toMatch(/<textarea[^>]*aria-label="Message"/);
    expect(html).toMatch(/<button type="submit"[^>]*>Send<\/button>/);
  });
});

describe('ChatPanel empty state', () => {
  const render = (store: StoreApi<ChatSlice>) =>
    renderToStaticMarkup(createElement(ChatPanel, { store: { ...store, getInitialState: store.getState }, controller: undefined, nameOf: () => undefined }));

  it('says it is loading until the first page arrives, then that the room is quiet', () => {
    const store = createStore<ChatSlice>()(createChatSlice);
    store.getState().chatRoomJoined({ roomId: 'lounge', selfId: 'me', storedOutbox: [] });
    expect(render(store)).toContain('Loading messages…');

    store.getState().chatHistoryReceived({ roomId: 'lounge', messages: [], hasMore: false, direction: 'latest' });
    const html = render(store);
    expect(html).toContain('No messages yet. Say hello!');
    expect(html).not.toContain('Loading messages…');
  });
});
