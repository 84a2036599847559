import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { CHAT_TIMING } from './chat-config';
import { startChatController } from './chat-controller';
import { buildChatItems, selectTypingText } from './chat-selectors';
import { createChatSlice, type ChatSlice } from './chat-slice';
import { FakeChatServer } from './testing/fake-chat-server';
import { FakeClock } from '@parley/mesh/testing';
import { memoryStorage, type MemoryStorage } from '../../app/browser-storage';

function harness(options: { storage?: MemoryStorage; server?: FakeChatServer; clock?: FakeClock } = {}) {
  const clock = options.clock ?? new FakeClock();
  const storage = options.storage ?? memoryStorage();
  const server = options.server ?? new FakeChatServer('lounge', 'me', () => clock.now());
  const store = createStore<ChatSlice>()(createChatSlice);
  let ids = 0;
  const controller = startChatController({
    engine: server,
    store,
    clock,
    storage,
    newClientId: () => `client-${String(++ids).padStart(4, '0')}-${Math.round(clock.now() % 1e6)}`,
    pageSize: 3,
  });
  /** What the user sees, in order: text and whether it is still pending. */
  const screen = () =>
    buildChatItems(store.getState().chat).map((item) =>
      item.kind === 'message' ? item.message.text : `${item.entry.text} [${item.entry.status === 'failed' ? 'Failed' : 'Sending…'}]`,
    );
  const sends = () => server.wire.filter((f) => f.type === 'chat.send').map((f) => (f.type === 'chat.send' ? f.text : ''));
  const histories = () => server.wire.flatMap((f) => (f.type === 'chat.history' ? [f.request] : []));
  return { clock, storage, server, store, controller, screen, sends, histories };
}

/** Settle: deliver answers (and what they trigger) until the wire is quiet. */
function settle(h: ReturnType<typeof harness>): void {
  for (let i = 0; i < 20; i++) {
    h.clock.advance(0);
    h.server.deliverAll();
  }
}

describe('chat controller: delivery', () => {
  it('delivers messages written before the connection in order, each once, pending then sent', () => {
    const h = harness();
    h.server.connectAndJoin();
    h.server.drop();
    expect(h.controller.send('one')).toBe(true);
    h.controller.send('two');
    h.controller.send('three');
    expect(h.screen()).toEqual(['one [Sending…]', 'two [Sending…]', 'three [Sending…]']);

    h.server.connectAndJoin();
    settle(h);
    expect(h.server.texts()).toEqual(['one', 'two', 'three']);
    expect(h.screen()).toEqual(['one', 'two', 'three']);
  });

  it('puts the next message on the wire only after the previous one is acknowledged', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.controller.send('one');
    h.controller.send('two');
    expect(h.sends()).toEqual(['one']);
    h.server.deliverAll();
    expect(h.sends()).toEqual(['one', 'two']);
    h.server.deliverAll();
    expect(h.screen()).toEqual(['one', 'two']);
  });

  it('refuses empty and over-long messages and trims the rest', () => {
    const h = harness();
    h.server.connectAndJoin();
    expect(h.controller.send('   ')).toBe(false);
    expect(h.controller.send('x'.repeat(4001))).toBe(false);
    expect(h.controller.send('  hi  ')).toBe(true);
    settle(h);
    expect(h.server.texts()).toEqual(['hi']);
  });

  it('stores a message once when its ack is lost in a reconnect', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.controller.send('important');
    h.controller.send('after it');
    h.server.drop(); // the server stored "important" but the ack never arrived
    expect(h.screen()).toEqual(['important [Sending…]', 'after it [Sending…]']);

    h.server.connectAndJoin();
    settle(h);
    expect(h.server.texts()).toEqual(['important', 'after it']);
    expect(h.screen()).toEqual(['important', 'after it']);
  });

  it('sends again when no ack comes back, without duplicating the message', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.controller.send('hello');
    h.clock.advance(CHAT_TIMING.ackTimeoutMs);
    expect(h.sends()).toEqual(['hello', 'hello']);
    settle(h);
    expect(h.server.texts()).toEqual(['hello']);
    expect(h.screen()).toEqual(['hello']);
  });

  it('delivers a message typed before a reload once the page is back', () => {
    const storage = memoryStorage();
    const before = harness({ storage });
    before.server.connectAndJoin();
    settle(before);
    before.server.drop();
    before.controller.send('survives the reload');
    before.controller.dispose();

    const after = harness({ storage, server: before.server, clock: before.clock });
    after.server.connectAndJoin();
    settle(after);
    expect(after.server.texts()).toEqual(['survives the reload']);
    expect(after.screen()).toEqual(['survives the reload']);
    expect(storage.items.size).toBe(0);
  });

  it('waits retryAfterMs after a rate limit, then delivers in order', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.server.rejectNext = { code: 'rate_limited', message: 'slow down', retryAfterMs: 1500 };
    h.controller.send('one');
    h.controller.send('two');
    settle(h);
    expect(h.server.texts()).toEqual([]);
    expect(h.screen()).toEqual(['one [Sending…]', 'two [Sending…]']);
    h.clock.advance(1499);
    expect(h.sends()).toEqual(['one']);
    h.clock.advance(1);
    settle(h);
    expect(h.server.texts()).toEqual(['one', 'two']);
  });

  it('marks a refused message Failed, goes on with the next, and Retry delivers it', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.server.rejectNext = { code: 'internal', message: 'server failed' };
    h.controller.send('refused');
    h.controller.send('next');
    const refused = h.store.getState().chat.outbox[0]?.clientId ?? '';
    settle(h);
    expect(h.screen()).toEqual(['next', 'refused [Failed]']);

    h.controller.retry(refused);
    settle(h);
    expect(h.screen()).toEqual(['next', 'refused']);
    expect(h.server.texts().filter((t) => t === 'refused')).toHaveLength(1);
  });
});

describe('chat controller: rejoining', () => {
  it('holds messages while a fresh session rejoins the room, then delivers them', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.server.drop();
    h.controller.send('queued');
    // Not resumed: the socket is up, but the room is joined again before chat may go.
    h.server.connectWithoutRoom();
    settle(h);
    expect(h.sends()).toEqual([]);
    h.server.connectAndJoin();
    settle(h);
    expect(h.screen()).toEqual(['queued']);
  });

  it('keeps a message pending when the server says we are not in the room, and sends it after the rejoin', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.server.rejectNext = { code: 'not_in_room', message: 'join a room first' };
    h.controller.send('hello');
    settle(h);
    expect(h.screen()).toEqual(['hello [Sending…]']);
    expect(h.sends()).toEqual(['hello']);
    h.server.connectAndJoin();
    settle(h);
    expect(h.screen()).toEqual(['hello']);
    expect(h.server.texts()).toEqual(['hello']);
  });
});

describe('chat controller: history', () => {
  it('loads the latest page on join and older pages on request', () => {
    const h = harness();
    for (let i = 1; i <= 7; i++) h.server.postFromOther('alice', `m${i}`);
    h.server.connectAndJoin();
    settle(h);
    expect(h.screen()).toEqual(['m5', 'm6', 'm7']);
    h.controller.loadOlder();
    h.controller.loadOlder(); // a second scroll to the top while loading asks nothing more
    settle(h);
    expect(h.screen()).toEqual(['m2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    h.controller.loadOlder();
    settle(h);
    expect(h.screen()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    expect(h.store.getState().chat.hasMoreBefore).toBe(false);
    expect(h.histories().filter((r) => r.beforeSeq !== undefined)).toHaveLength(2);
  });

  it('after a reconnect fetches exactly what was missed, page after page', () => {
    const h = harness();
    h.server.connectAndJoin();
    h.server.postFromOther('alice', 'before');
    settle(h);
    h.server.drop();
    for (let i = 1; i <= 7; i++) h.server.postFromOther('alice', `missed ${i}`);
    h.server.connectAndJoin();
    settle(h);
    expect(h.screen()).toEqual(['before', ...Array.from({ length: 7 }, (_, i) => `missed ${i + 1}`)]);
    expect(h.histories().map((r) => r.afterSeq)).toEqual([undefined, 1, 4, 7]);
  });

  it('catches up after a resumed session', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.server.drop();
    h.server.postFromOther('alice', 'while away');
    h.server.connectAndJoin();
    settle(h);
    expect(h.screen()).toEqual(['while away']);
  });
});

describe('chat controller: typing', () => {
  it('announces typing at most once every 2 s, and anew after a message is sent', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    const typings = () => h.server.wire.filter((f) => f.type === 'chat.typing').length;
    for (let i = 0; i < 10; i++) {
      h.controller.typing();
      h.clock.advance(150);
    }
    expect(typings()).toBe(1);
    h.clock.advance(2000);
    h.controller.typing();
    expect(typings()).toBe(2);
    h.controller.send('done');
    h.controller.typing();
    expect(typings()).toBe(3);
  });

  it('stops showing a remote typist about 5 s after their last event', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    const text = () => selectTypingText(h.store.getState().chat, Number.NEGATIVE_INFINITY, () => 'Alice');
    h.server.emit('typingReceived', { roomId: 'lounge', userId: 'alice' });
    h.clock.advance(3000);
    h.server.emit('typingReceived', { roomId: 'lounge', userId: 'alice' });
    h.clock.advance(4900);
    expect(text()).toBe('Alice is typing…');
    h.clock.advance(200);
    expect(text()).toBe('');
  });
});

describe('chat controller: lifecycle', () => {
  it('does nothing once disposed', () => {
    const h = harness();
    h.server.connectAndJoin();
    settle(h);
    h.controller.dispose();
    expect(h.controller.send('late')).toBe(false);
    h.server.postFromOther('alice', 'unseen');
    settle(h);
    expect(h.screen()).toEqual([]);
  });
});
