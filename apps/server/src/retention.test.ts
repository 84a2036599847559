import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RETENTION_SWEEP_MS, startRetention } from './retention';
import { openSqliteDatabase } from './store/database';
import { createFakeClock } from './testing/fake-clock';

const DAY_MS = 86_400_000;

describe('retention', () => {
  it('deletes messages and idle room settings older than the period, at start and every sweep', async () => {
    const clock = createFakeClock();
    const db = openSqliteDatabase(':memory:', clock.now);
    const post = (roomId: string, clientId: string) =>
      db.chat.append({ roomId, clientId, userId: 'u1', displayName: 'Ada', text: 'hi', sentAt: clock.now() });
    const settings = (roomId: string) => ({ roomId, ownerKeyHash: 'h', passwordHash: null, locked: false, listed: true, revision: 1, lastActiveAt: clock.now() });
    await post('old', 'client-0001');
    await db.rooms.put(settings('old'));
    await db.rooms.put(settings('busy'));
    clock.advance(2 * DAY_MS);
    await post('new', 'client-0002');
    await db.rooms.put(settings('new'));

    const stop = startRetention({ chat: db.chat, policies: db.rooms, rooms: { activeRoomIds: () => new Set(['busy']) }, clock, logger: pino({ level: 'silent' }), days: 1 });
    const messagesIn = async (roomId: string) => (await db.chat.history({ roomId, limit: 10 })).messages;
    // A sweep is done when the settings are purged: they go after the messages.
    await expect.poll(() => db.rooms.get('old')).toBeUndefined();
    expect(await messagesIn('old')).toEqual([]);
    expect(await messagesIn('new')).toHaveLength(1);
    expect(await db.rooms.get('busy')).toBeDefined(); // people are in it now
    expect(await db.rooms.get('new')).toBeDefined();

    clock.advance(DAY_MS + RETENTION_SWEEP_MS);
    await expect.poll(() => db.rooms.get('new')).toBeUndefined();
    expect(await messagesIn('new')).toEqual([]);
    stop();
    db.close();
  });
});
