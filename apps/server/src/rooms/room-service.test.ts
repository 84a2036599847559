import type { ServerMessage, UserId } from '@parley/protocol';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createRoomService } from './room-service';
import { createMemoryRoomSettingsStore } from '../store/memory-room-settings-store';
import type { RoomSettingsStore } from '../store/room-settings-store';

const GRACE_MS = 20_000;

/** A room service whose deliveries land in one inbox per user. */
function setup(policies: RoomSettingsStore = createMemoryRoomSettingsStore()) {
  const clock = createFakeClock();
  const inbox = new Map<UserId, ServerMessage[]>();
  const rooms = createRoomService({
    clock,
    graceMs: GRACE_MS,
    policies,
    logger: pino({ level: 'silent' }),
    deliver: (to, message) => {
      for (const userId of to) inbox.set(userId, [...(inbox.get(userId) ?? []), message]);
    },
  });
  const join = (userId: UserId) => rooms.dispatch({ kind: 'join', userId, displayName: userId, roomId: 'r1' });
  /** Message types `userId` received since the last call. */
  const heard = (userId: UserId): string[] => {
    const messages = inbox.get(userId) ?? [];
    inbox.delete(userId);
    return messages.map((m) => (m.type === 'peer.presence' ? `presence ${m.presence}` : m.type));
  };
  join('a');
  join('b');
  heard('a');
  heard('b');
  return { clock, rooms, heard };
}

describe('room service grace period', () => {
  it('removes a disconnected participant once the grace period has passed, not before', () => {
    const { clock, rooms, heard } = setup();
    rooms.dispatch({ kind: 'disconnect', userId: 'a' });
    expect(heard('b')).toEqual(['presence reconnecting']);
    clock.advance(GRACE_MS - 1);
    expect(heard('b')).toEqual([]);
    expect(rooms.roomOf('a')).toBe('r1');
    clock.advance(1);
    expect(heard('b')).toEqual(['peer.left', 'room.settings']);
    expect(rooms.roomOf('a')).toBeUndefined();
  });

  it('keeps a participant who resumes within the grace period', () => {
    const { clock, rooms, heard } = setup();
    rooms.dispatch({ kind: 'disconnect', userId: 'a' });
    clock.advance(GRACE_MS / 2);
    rooms.dispatch({ kind: 'resume', userId: 'a' });
    clock.advance(GRACE_MS * 2);
    expect(heard('b')).toEqual(['presence reconnecting', 'presence online']);
    expect(rooms.roomOf('a')).toBe('r1');
    expect(clock.pending()).toBe(0);
  });

  it('gives a second drop a full grace period of its own', () => {
    const { clock, rooms, heard } = setup();
    rooms.dispatch({ kind: 'disconnect', userId: 'a' });
    clock.advance(GRACE_MS / 2);
    rooms.dispatch({ kind: 'resume', userId: 'a' });
    rooms.dispatch({ kind: 'disconnect', userId: 'a' });
    clock.advance(GRACE_MS - 1);
    expect(heard('b')).toEqual(['presence reconnecting', 'presence online', 'presence reconnecting']);
    clock.advance(1);
    expect(heard('b')).toEqual(['peer.left', 'room.settings']);
  });

  it('stop() cancels pending expiries: nobody is removed after it', () => {
    const { clock, rooms, heard } = setup();
    rooms.dispatch({ kind: 'disconnect', userId: 'a' });
    rooms.stop();
    clock.advance(GRACE_MS);
    expect(heard('b')).toEqual(['presence reconnecting']);
    expect(rooms.roomOf('a')).toBe('r1');
    expect(clock.pending()).toBe(0);
  });
});

describe('room service reads', () => {
  it('lists the other members of a room, reconnecting ones included, and nobody for an empty room', () => {
    const { rooms } = setup();
    rooms.dispatch({ kind: 'join', userId: 'c', displayName: 'c', roomId: 'r2' });
    rooms.dispatch({ kind: 'disconnect', userId: 'a' });
    expect(rooms.othersIn('r1', 'b')).toEqual(['a']);
    expect(rooms.othersIn('r1', 'x')).toEqual(['a', 'b']);
    expect(rooms.othersIn('r2', 'c')).toEqual([]);
    expect(rooms.othersIn('nowhere', 'a')).toEqual([]);
  });
});

describe('room service and the settings store', () => {
  it('stores a room when it is made and at every change, counting the changes in its revision', async () => {
    const policies = createMemoryRoomSettingsStore();
    const { rooms } = setup(policies);
    await rooms.writesSettled();
    expect(await policies.get('r1')).toMatchObject({ locked: false, revision: 1 });
    rooms.dispatch({ kind: 'configure', userId: 'a', roomId: 'r1', change: { locked: true } });
    rooms.dispatch({ kind: 'configure', userId: 'a', roomId: 'r1', change: { listed: true } });
    await rooms.writesSettled();
    expect(await policies.get('r1')).toMatchObject({ locked: true, listed: true, revision: 3 });
  });

  it('stores a change whose write failed once the room empties: the password set while the store was away holds for the next visitor', async () => {
    const real = createMemoryRoomSettingsStore();
    let away = false;
    const policies: RoomSettingsStore = {
      ...real,
      put: (settings) => (away ? Promise.reject(new Error('store away')) : real.put(settings)),
    };
    const { rooms } = setup(policies);
    away = true;
    rooms.dispatch({ kind: 'configure', userId: 'a', roomId: 'r1', change: { passwordHash: 'scrypt$pw' } });
    await rooms.writesSettled();
    expect(await real.get('r1')).toMatchObject({ passwordHash: null });
    away = false;
    rooms.dispatch({ kind: 'leave', userId: 'a' });
    rooms.dispatch({ kind: 'leave', userId: 'b' });
    await rooms.writesSettled();
    expect(await rooms.policyOf('r1')).toMatchObject({ passwordHash: 'scrypt$pw', revision: 2 });
  });
});
