import { describe, expect, it } from 'vitest';
import type { ChatStore, HistoryPage, NewChatMessage } from './chat-store';

/**
 * What every ChatStore must do, whatever holds the messages: the SQLite store
 * (sqlite-chat-store.test.ts) and the PostgreSQL store
 * (pg-chat-store.integration.test.ts) run these same tests.
 */
export type ChatStoreHarness = {
  /** A store on a database of its own for this test (empty), closed after the test. */
  open(): Promise<ChatStore>;
  /** Another store on the same database as the last open(): a second node, or the same one after a restart. */
  reopen(): Promise<ChatStore>;
};

export const T0 = Date.UTC(2030, 0, 1);

let counter = 0;
export function message(roomId: string, text: string, extra: Partial<NewChatMessage> = {}): NewChatMessage {
  return { roomId, clientId: `client-${String(++counter).padStart(4, '0')}`, userId: 'u1', displayName: 'Ada', text, sentAt: T0, ...extra };
}

/** Appends `count` messages "m1".."mN" to `roomId`, one after another. */
async function fill(store: ChatStore, roomId: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await store.append(message(roomId, `m${i}`));
}

const texts = (page: HistoryPage) => page.messages.map((m) => m.text);
const seqs = (page: HistoryPage) => page.messages.map((m) => m.seq);

export function chatStoreContract(harness: ChatStoreHarness): void {
  const { open, reopen } = harness;

  describe('append', () => {
    it('numbers messages 1, 2, 3 in each room separately', async () => {
      const store = await open();
      const got: number[] = [];
      for (const room of ['friday', 'friday', 'saturday', 'friday', 'saturday']) got.push((await store.append(message(room, 'hi'))).message.seq);
      expect(got).toEqual([1, 2, 1, 3, 2]);
    });

    it('stores a clientId once per sender and room and answers a resend with the stored message', async () => {
      const store = await open();
      const first = await store.append(message('friday', 'hello', { clientId: 'same-client-id' }));
      await store.append(message('friday', 'in between'));
      const again = await store.append(message('friday', 'hello (edited?)', { clientId: 'same-client-id', sentAt: T0 + 5000 }));
      expect(first).toMatchObject({ duplicate: false, message: { roomId: 'friday', clientId: 'same-client-id', text: 'hello', seq: 1, sentAt: T0 } });
      expect(again).toEqual({ duplicate: true, message: first.message });
      expect(texts(await store.history({ roomId: 'friday', limit: 50 }))).toEqual(['hello', 'in between']);
      // The same clientId in another room is another message.
      expect(await store.append(message('saturday', 'hello', { clientId: 'same-client-id' }))).toMatchObject({ duplicate: false, message: { seq: 1 } });
    });

    it("keeps a clientId to its sender: Eve sending Ada's clientId stores her own message and never gets Ada's back", async () => {
      const store = await open();
      const ada = await store.append(message('friday', 'from Ada', { clientId: 'ada-client-id', userId: 'ada', displayName: 'Ada' }));
      const eve = await store.append(message('friday', 'from Eve', { clientId: 'ada-client-id', userId: 'eve', displayName: 'Eve', sentAt: T0 + 1 }));
      expect(eve).toEqual({
        duplicate: false,
        message: { roomId: 'friday', seq: 2, clientId: 'ada-client-id', userId: 'eve', displayName: 'Eve', text: 'from Eve', sentAt: T0 + 1 },
      });
      expect(await store.append(message('friday', 'from Ada, again', { clientId: 'ada-client-id', userId: 'ada' }))).toEqual({ duplicate: true, message: ada.message });
      expect(await store.append(message('friday', 'x', { clientId: 'ada-client-id', userId: 'eve' }))).toEqual({ duplicate: true, message: eve.message });
      expect((await store.history({ roomId: 'friday', limit: 50 })).messages.map((m) => [m.userId, m.text])).toEqual([
        ['ada', 'from Ada'],
        ['eve', 'from Eve'],
      ]);
    });

    it('keeps every field, including text with quotes, emoji and a NUL-free unicode mix, across close and reopen', async () => {
      const first = await open();
      const stored = (await first.append(message('friday', `it's "fine" 😀 <b> \\ ${'é'.repeat(3)}`, { userId: 'u-42', displayName: 'Zoë', sentAt: T0 + 1 }))).message;
      await first.close();
      const reopened = await reopen();
      expect((await reopened.history({ roomId: 'friday', limit: 50 })).messages).toEqual([stored]);
      expect((await reopened.append(message('friday', 'next'))).message.seq).toBe(2);
    });

    it('gives two nodes appending to one room at once one gapless sequence, and stores a clientId sent through both once', async () => {
      const one = await open();
      const two = await reopen();
      const sends: Array<Promise<unknown>> = [];
      for (let i = 0; i < 20; i++) sends.push((i % 2 ? one : two).append(message('friday', `n${i}`, { userId: `u${i % 3}` })));
      // Ada's one message, resent through the other node while the first attempt may still be running.
      const viaOne = one.append(message('friday', 'once', { clientId: 'failover-client-id', userId: 'ada' }));
      const viaTwo = two.append(message('friday', 'once', { clientId: 'failover-client-id', userId: 'ada' }));
      await Promise.all(sends);
      const [a, b] = await Promise.all([viaOne, viaTwo]);
      expect(a.message).toEqual(b.message);
      expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
      const page = await one.history({ roomId: 'friday', limit: 100 });
      expect(seqs(page)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(texts(page).filter((t) => t === 'once')).toHaveLength(1);
    });
  });

  describe('history', () => {
    it('returns the latest page oldest first, saying whether older ones exist', async () => {
      const store = await open();
      await fill(store, 'friday', 5);
      await fill(store, 'saturday', 3);
      const latest = await store.history({ roomId: 'friday', limit: 3 });
      expect(latest.hasMore).toBe(true);
      expect(texts(latest)).toEqual(['m3', 'm4', 'm5']);
      expect((await store.history({ roomId: 'friday', limit: 5 })).hasMore).toBe(false);
      expect(await store.history({ roomId: 'empty', limit: 5 })).toEqual({ messages: [], hasMore: false });
    });

    it('pages backwards with beforeSeq', async () => {
      const store = await open();
      await fill(store, 'friday', 7);
      const older = await store.history({ roomId: 'friday', limit: 3, beforeSeq: 5 });
      expect(seqs(older)).toEqual([2, 3, 4]);
      expect(older.hasMore).toBe(true);
      expect(await store.history({ roomId: 'friday', limit: 3, beforeSeq: 2 })).toMatchObject({ messages: [{ seq: 1 }], hasMore: false });
    });

    it('returns what was missed with afterSeq, oldest first, in pages', async () => {
      const store = await open();
      await fill(store, 'friday', 7);
      const first = await store.history({ roomId: 'friday', limit: 3, afterSeq: 2 });
      expect(seqs(first)).toEqual([3, 4, 5]);
      expect(first.hasMore).toBe(true);
      expect(await store.history({ roomId: 'friday', limit: 3, afterSeq: 5 })).toMatchObject({ messages: [{ seq: 6 }, { seq: 7 }], hasMore: false });
      expect(await store.history({ roomId: 'friday', limit: 3, afterSeq: 7 })).toEqual({ messages: [], hasMore: false });
      expect((await store.history({ roomId: 'friday', limit: 50, afterSeq: 0 })).messages).toHaveLength(7);
    });

    it('returns the range between afterSeq and beforeSeq when given both', async () => {
      const store = await open();
      await fill(store, 'friday', 9);
      expect(await store.history({ roomId: 'friday', limit: 2, afterSeq: 3, beforeSeq: 7 })).toMatchObject({ messages: [{ seq: 4 }, { seq: 5 }], hasMore: true });
      expect(seqs(await store.history({ roomId: 'friday', limit: 5, afterSeq: 3, beforeSeq: 7 }))).toEqual([4, 5, 6]);
    });
  });

  describe('deleteOlderThan', () => {
    it('deletes exactly the messages sent before the cutoff, in every room, and says how many', async () => {
      const store = await open();
      await store.append(message('friday', 'old', { sentAt: T0 - 2 }));
      await store.append(message('saturday', 'old too', { sentAt: T0 - 1 }));
      await store.append(message('friday', 'at the cutoff', { sentAt: T0 }));
      await store.append(message('saturday', 'new', { sentAt: T0 + 1 }));
      expect(await store.deleteOlderThan(T0)).toBe(2);
      expect(texts(await store.history({ roomId: 'friday', limit: 50 }))).toEqual(['at the cutoff']);
      expect(texts(await store.history({ roomId: 'saturday', limit: 50 }))).toEqual(['new']);
      expect(await store.deleteOlderThan(T0)).toBe(0);
    });

    it('never lets a seq go back, even when every message of a room is gone, and across a reopen', async () => {
      const store = await open();
      await fill(store, 'friday', 3);
      expect(await store.deleteOlderThan(T0 + 1)).toBe(3);
      expect(await store.history({ roomId: 'friday', limit: 50 })).toEqual({ messages: [], hasMore: false });
      expect((await store.append(message('friday', 'after retention', { sentAt: T0 + 1 }))).message.seq).toBe(4);
      expect(await store.deleteOlderThan(T0 + 2)).toBe(1);
      await store.close();
      const reopened = await reopen();
      expect((await reopened.append(message('friday', 'after a restart', { sentAt: T0 + 2 }))).message.seq).toBe(5);
      // A client that saw seq 4 asks for what came after it and gets exactly the new message.
      expect(texts(await reopened.history({ roomId: 'friday', limit: 50, afterSeq: 4 }))).toEqual(['after a restart']);
    });
  });

  describe('clearRoom', () => {
    it("deletes all of one room's messages, says how many, and the next message gets the next seq", async () => {
      const store = await open();
      await fill(store, 'friday', 3);
      await fill(store, 'saturday', 2);
      expect(await store.clearRoom('friday')).toBe(3);
      expect(await store.history({ roomId: 'friday', limit: 50 })).toEqual({ messages: [], hasMore: false });
      expect(texts(await store.history({ roomId: 'saturday', limit: 50 }))).toEqual(['m1', 'm2']);
      expect((await store.append(message('friday', 'fresh start'))).message.seq).toBe(4);
      expect(await store.clearRoom('friday')).toBe(1);
      expect(await store.clearRoom('never-used')).toBe(0);
      expect((await store.append(message('friday', 'again'))).message.seq).toBe(5);
    });

    it('stores a clientId resent after its message was cleared as a new message', async () => {
      const store = await open();
      const first = await store.append(message('friday', 'hello', { clientId: 'resent-client-id' }));
      await store.clearRoom('friday');
      const again = await store.append(message('friday', 'hello', { clientId: 'resent-client-id' }));
      expect(first.message.seq).toBe(1);
      expect(again).toMatchObject({ duplicate: false, message: { seq: 2, clientId: 'resent-client-id' } });
    });
  });

  describe('health and close', () => {
    it('answers a ping while open; a closed store answers no more and its calls reject', async () => {
      const store = await open();
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
      await expect(store.history({ roomId: 'friday', limit: 5 })).rejects.toThrow();
      await store.close();
    });
  });
}
