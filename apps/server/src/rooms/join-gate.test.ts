import type { ServerMessage, UserId } from '@parley/protocol';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Bus, BusEvent, BusHandlers } from '../cluster/bus';
import { createInviteTokens } from '../session/invite-token';
import { createMemoryRoomSettingsStore } from '../store/memory-room-settings-store';
import { createFakeClock } from '../testing/fake-clock';
import { createJoinGate, type JoinRequest } from './join-gate';
import { createRoomService } from './room-service';

type Held = { event: Extract<BusEvent, { kind: 'command' | 'deliver' }>; handled: () => void };

/**
 * A bus whose events reach the node only when the test releases them, as
 * on Redis, where another node's commands may come between a join being
 * decided here and being applied.
 */
function heldBus(): Bus & { release(): void; waiting(): number } {
  let handlers: BusHandlers | undefined;
  const held: Held[] = [];
  return {
    kind: 'memory',
    nodeId: 'here',
    start(given) {
      handlers = given;
      return Promise.resolve();
    },
    publish(event) {
      return new Promise<void>((handled) => held.push({ event, handled }));
    },
    waiting: () => held.length,
    release() {
      for (const { event, handled } of held.splice(0)) {
        handlers?.event(event);
        handled();
      }
    },
    ping: () => Promise.resolve(true),
    liveNodes: (nodes) => Promise.resolve(new Set(nodes)),
    close: () => Promise.resolve(),
  };
}

function setup() {
  const clock = createFakeClock();
  const logger = pino({ level: 'silent' });
  const inbox = new Map<UserId, ServerMessage[]>();
  const deliver = (to: readonly UserId[], message: ServerMessage) => {
    for (const userId of to) inbox.set(userId, [...(inbox.get(userId) ?? []), message]);
  };
  const bus = heldBus();
  const rooms = createRoomService({ deliver, bus, logger, clock, graceMs: 20_000, policies: createMemoryRoomSettingsStore() });
  let hashed: () => void = () => undefined;
  const gate = createJoinGate({
    rooms,
    invites: createInviteTokens({ secret: Buffer.alloc(32, 1), ttlS: 3_600, clock }),
    // Checking a password takes a while (scrypt): the test says when it is done.
    verifyPassword: (stored, password) => new Promise((resolve) => (hashed = () => resolve(stored === `hash:${password}`))),
    deliver,
    clock,
    logger,
    roomsPerMin: 30,
  });
  const join = (userId: UserId, extra: Partial<JoinRequest['message']> = {}): JoinRequest => ({
    userId,
    displayName: userId,
    address: '203.0.113.7',
    message: { type: 'room.join', roomId: 'den', ...extra },
  });
  const heard = (userId: UserId) => inbox.get(userId) ?? [];
  return { bus, rooms, gate, join, heard, passwordChecked: () => hashed() };
}

describe('the join gate', () => {
  it('keeps a room its password when the room empties between a join being let through and it being applied', async () => {
    const { bus, rooms, gate, join, heard, passwordChecked } = setup();
    const created = gate.join(join('ada'));
    await expect.poll(() => (bus.release(), rooms.roomOf('ada'))).toBe('den');
    await created;
    void rooms.dispatch({ kind: 'configure', userId: 'ada', roomId: 'den', change: { passwordHash: 'hash:pw' } });
    bus.release();
    expect(await rooms.policyOf('den')).toMatchObject({ passwordHash: 'hash:pw' });

    // Bob's password is being checked while Ada is still in the room; she leaves before his join is applied.
    const bobJoins = gate.join(join('bob', { password: 'pw' }));
    await expect.poll(() => rooms.isActive('den')).toBe(true);
    void rooms.dispatch({ kind: 'leave', userId: 'ada' });
    passwordChecked();
    await expect.poll(() => bus.waiting()).toBe(2);
    bus.release();
    await bobJoins;
    expect(rooms.roomOf('bob')).toBe('den');

    expect(heard('bob').filter((m) => m.type === 'room.settings')).toEqual([expect.objectContaining({ passwordRequired: true })]);
    const eve = gate.join(join('eve'));
    await expect.poll(() => (bus.release(), heard('eve').length)).toBe(1);
    await eve;
    expect(heard('eve')).toEqual([expect.objectContaining({ type: 'error', code: 'password_required' })]);
  });
});
