import { type ChatMessage, LIMITS, type ServerMessage, type UserId } from '@parley/protocol';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createCounters } from '../metrics';
import { createRoomService } from '../rooms/room-service';
import type { ChatStore } from '../store/chat-store';
import { openSqliteChatStore } from '../store/sqlite-chat-store';
import { createFakeClock } from '../testing/fake-clock';
import { createChatService, TYPING_RELAY_INTERVAL_MS } from './chat-service';
import type { RateLimit } from './rate-limiter';
import { createMemoryRoomSettingsStore } from '../store/memory-room-settings-store';

const stores: ChatStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/**
 * Ada and Bob in room `friday`, Cara in `saturday`, Dan in no room; every
 * delivery lands in the recipient's inbox.
 */
function setup(options: { rate?: RateLimit; store?: (real: ChatStore) => ChatStore } = {}) {
  const clock = createFakeClock();
  const inbox = new Map<UserId, ServerMessage[]>();
  const deliver = (to: readonly UserId[], message: ServerMessage) => {
    for (const userId of to) inbox.set(userId, [...(inbox.get(userId) ?? []), message]);
  };
  const logger = pino({ level: 'silent' });
  const rooms = createRoomService({ deliver, logger, clock, graceMs: 20_000, policies: createMemoryRoomSettingsStore() });
  const real = openSqliteChatStore(':memory:', clock.now);
  stores.push(real);
  const counters = createCounters();
  const chat = createChatService({
    store: options.store?.(real) ?? real,
    rooms,
    deliver,
    clock,
    logger,
    counters,
    rate: options.rate ?? { perS: 5, burst: 10 },
  });
  for (const [userId, roomId] of [['ada', 'friday'], ['bob', 'friday'], ['cara', 'saturday']] as const) {
    rooms.dispatch({ kind: 'join', userId, displayName: userId.toUpperCase(), roomId });
  }
  inbox.clear();

  let sent = 0;
  /** Resolves once every reply is delivered. */
  const post = async (userId: UserId, text = 'hello', roomId = 'friday', clientId = `client-${String(++sent).padStart(4, '0')}`) => {
    await chat.send({ userId, displayName: userId.toUpperCase() }, { type: 'chat.send', roomId, clientId, text });
    return clientId;
  };
  /** Everything `userId` received since the last call. */
  const heard = (userId: UserId): ServerMessage[] => {
    const messages = inbox.get(userId) ?? [];
    inbox.delete(userId);
    return messages;
  };
  const stored = async (roomId = 'friday'): Promise<ChatMessage[]> => (await real.history({ roomId, limit: 100 })).messages;
  return { clock, chat, counters, post, heard, stored };
}

describe('chat.send', () => {
  it('stores the message, acks the sender and delivers it to the other members only', async () => {
    const { clock, post, heard, stored, counters } = setup();
    const clientId = await post('ada', 'hello friday');
    const message: ChatMessage = {
      roomId: 'friday',
      seq: 1,
      clientId,
      userId: 'ada',
      displayName: 'ADA',
      text: 'hello friday',
      sentAt: clock.now(),
    };
    expect(heard('ada')).toEqual([{ type: 'chat.ack', message }]);
    expect(heard('bob')).toEqual([{ type: 'chat.message', message }]);
    expect(heard('cara')).toEqual([]);
    expect(await stored()).toEqual([message]);
    expect(counters.chatMessagesStored).toBe(1);
  });

  it('acks a resent clientId with the stored message and broadcasts it only once', async () => {
    const { clock, post, heard, stored } = setup();
    const clientId = await post('ada', 'once');
    clock.advance(5_000);
    await post('ada', 'once', 'friday', clientId);
    const [first, second] = heard('ada');
    expect(second).toEqual(first);
    expect(heard('bob')).toHaveLength(1);
    expect(await stored()).toHaveLength(1);
  });

  it.each([
    ['to a room they are not in', 'cara'],
    ['when in no room at all', 'dan'],
  ])('refuses a post %s with not_in_room naming the clientId, and stores nothing', async (_why, userId) => {
    const { post, heard, stored } = setup();
    const clientId = await post(userId);
    expect(heard(userId)).toEqual([
      { type: 'error', code: 'not_in_room', message: expect.any(String) as string, inReplyTo: 'chat.send', ref: clientId },
    ]);
    expect(heard('ada')).toEqual([]);
    expect(heard('bob')).toEqual([]);
    expect(await stored()).toEqual([]);
  });

  it('refuses a sender past the burst with rate_limited and the wait, stores nothing, then accepts after the wait', async () => {
    const { clock, post, heard, stored, counters } = setup({ rate: { perS: 5, burst: 10 } });
    for (let i = 0; i < 10; i++) await post('ada');
    heard('ada');
    const refused = await post('ada', 'one too many');
    expect(heard('ada')).toEqual([
      { type: 'error', code: 'rate_limited', message: expect.any(String) as string, inReplyTo: 'chat.send', ref: refused, retryAfterMs: 200 },
    ]);
    expect((await stored()).map((m) => m.text)).not.toContain('one too many');
    expect(counters.chatRateLimited).toBe(1);

    // Bob has a bucket of his own.
    await post('bob');
    expect(heard('bob').at(-1)).toMatchObject({ type: 'chat.ack' });
    expect(heard('ada')).toMatchObject([{ type: 'chat.message', message: { userId: 'bob', seq: 11 } }]);

    clock.advance(200);
    await post('ada', 'one too many', 'friday', refused);
    expect(heard('ada')).toEqual([{ type: 'chat.ack', message: expect.objectContaining({ clientId: refused, seq: 12 }) as ChatMessage }]);
  });

  it('answers internal with the clientId when the store fails, delivers nothing, and works again once it recovers', async () => {
    let broken = true;
    const { post, heard, counters } = setup({
      store: (real) => ({
        ...real,
        append: (message) => {
          if (broken) throw new Error('SQLITE_FULL: database or disk is full');
          return real.append(message);
        },
      }),
    });
    const clientId = await post('ada');
    expect(heard('ada')).toEqual([
      { type: 'error', code: 'internal', message: expect.any(String) as string, inReplyTo: 'chat.send', ref: clientId },
    ]);
    expect(heard('bob')).toEqual([]);
    expect(counters.chatStoreFailures).toBe(1);

    broken = false;
    await post('ada', 'hello', 'friday', clientId);
    expect(heard('ada')).toMatchObject([{ type: 'chat.ack', message: { clientId, seq: 1 } }]);
    expect(heard('bob')).toMatchObject([{ type: 'chat.message', message: { clientId, seq: 1 } }]);
  });
});

describe('chat.history', () => {
  it('answers the latest page of 50 by default, oldest first', async () => {
    const { chat, post, heard } = setup({ rate: { perS: 1000, burst: 1000 } });
    for (let i = 1; i <= 60; i++) await post(i % 2 ? 'ada' : 'bob', `m${i}`);
    heard('bob');
    await chat.history('bob', { type: 'chat.history', roomId: 'friday' });
    const [page] = heard('bob');
    expect(page).toMatchObject({ type: 'chat.history', roomId: 'friday', hasMore: true });
    const seqs = page?.type === 'chat.history' ? page.messages.map((m) => m.seq) : [];
    expect(seqs).toEqual(Array.from({ length: LIMITS.chatHistoryDefaultPage }, (_, i) => i + 11));
  });

  it('passes afterSeq, beforeSeq and limit through', async () => {
    const { chat, post, heard } = setup();
    for (let i = 1; i <= 6; i++) await post('ada', `m${i}`);
    await chat.history('bob', { type: 'chat.history', roomId: 'friday', afterSeq: 2, limit: 2 });
    await chat.history('bob', { type: 'chat.history', roomId: 'friday', beforeSeq: 3 });
    const pages = heard('bob').filter((m) => m.type === 'chat.history');
    expect(pages.map((p) => [p.messages.map((m) => m.text), p.hasMore])).toEqual([
      [['m3', 'm4'], true],
      [['m1', 'm2'], false],
    ]);
  });

  it('names the request each page answers, and a refused request in the error', async () => {
    const { chat, post, heard } = setup();
    await post('ada', 'm1');
    await chat.history('bob', { type: 'chat.history', roomId: 'friday', requestId: 7 });
    await chat.history('cara', { type: 'chat.history', roomId: 'friday', requestId: 8 });
    expect(heard('bob').filter((m) => m.type === 'chat.history')).toMatchObject([{ requestId: 7 }]);
    expect(heard('cara')).toMatchObject([{ type: 'error', code: 'not_in_room', inReplyTo: 'chat.history', ref: '8' }]);
  });

  it('refuses a reader who is not a member with not_in_room', async () => {
    const { chat, post, heard } = setup();
    await post('ada', 'private');
    await chat.history('cara', { type: 'chat.history', roomId: 'friday' });
    expect(heard('cara')).toEqual([
      { type: 'error', code: 'not_in_room', message: expect.any(String) as string, inReplyTo: 'chat.history' },
    ]);
  });

  it('answers internal when the store cannot be read', async () => {
    const { chat, heard } = setup({
      store: (real) => ({
        ...real,
        history: () => {
          throw new Error('SQLITE_IOERR');
        },
      }),
    });
    await chat.history('ada', { type: 'chat.history', roomId: 'friday' });
    expect(heard('ada')).toMatchObject([{ type: 'error', code: 'internal', inReplyTo: 'chat.history' }]);
  });
});

describe('chat.typing', () => {
  it('relays to the other members at most once per interval', async () => {
    const { clock, chat, heard } = setup();
    const typing = () => chat.typing('ada', { type: 'chat.typing', roomId: 'friday' });
    typing();
    typing();
    expect(heard('bob')).toEqual([{ type: 'chat.typing', roomId: 'friday', userId: 'ada' }]);
    expect(heard('ada')).toEqual([]);
    clock.advance(TYPING_RELAY_INTERVAL_MS - 1);
    typing();
    expect(heard('bob')).toEqual([]);
    clock.advance(1);
    typing();
    expect(heard('bob')).toEqual([{ type: 'chat.typing', roomId: 'friday', userId: 'ada' }]);
  });

  it('drops typing from a non-member without a word', async () => {
    const { chat, heard } = setup();
    chat.typing('cara', { type: 'chat.typing', roomId: 'friday' });
    expect([heard('ada'), heard('bob'), heard('cara')]).toEqual([[], [], []]);
  });
});
