import { LIMITS, type Participant, type Signal } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { applyCommand } from './apply-command';
import type { Effect, RoomCommand } from './commands';
import { emptyRoomsState, OPEN_POLICY, ownerOf, roster, type RoomsState } from './state';

const offer: Signal = { kind: 'description', epoch: 1, description: { type: 'offer', sdp: 'v=0' } };

const join = (userId: string, roomId: string, voice?: { muted: boolean; deafened: boolean }): RoomCommand => ({
  kind: 'join',
  userId,
  displayName: userId.toUpperCase(),
  roomId,
  voice,
});

const person = (userId: string, voice = { muted: false, deafened: false }): Participant => ({
  userId,
  displayName: userId.toUpperCase(),
  presence: 'online',
  ...voice,
});

/** A join under a name of one's own choosing. */
const joinAs = (userId: string, roomId: string, displayName: string): RoomCommand => ({ kind: 'join', userId, displayName, roomId });

/** A participant listed under `displayName`. */
const named = (userId: string, displayName: string, presence: Participant['presence'] = 'online'): Participant => ({
  ...person(userId),
  displayName,
  presence,
});

/** A node saying where its participant `userId` is (cluster/reannounce.ts). */
const restoreAs = (userId: string, roomId: string, listing: Partial<Participant> = {}, keyHolder = false): RoomCommand => ({
  kind: 'restore',
  userId,
  roomId,
  participant: { displayName: userId.toUpperCase(), presence: 'online', muted: false, deafened: false, ...listing },
  policy: { ...OPEN_POLICY, ownerKeyHash: `key-of-${roomId}` },
  keyHolder,
});

function run(commands: RoomCommand[], state: RoomsState = emptyRoomsState): RoomsState {
  return commands.reduce((s, command) => applyCommand(s, command).state, state);
}

/** Rosters by room, as user ids, for compact expectations. */
function rosters(state: RoomsState): Record<string, string[]> {
  return Object.fromEntries([...state.rooms.values()].map((room) => [room.id, roster(room).map((p) => p.userId)]));
}

type Row = {
  name: string;
  given: RoomCommand[];
  when: RoomCommand;
  effects: Effect[];
  rosters: Record<string, string[]>;
};

const table: Row[] = [
  {
    name: 'the first joiner gets a roster of one',
    given: [],
    when: join('a', 'r1'),
    effects: [{ to: ['a'], message: { type: 'room.joined', roomId: 'r1', selfId: 'a', participants: [person('a')] } }],
    rosters: { r1: ['a'] },
  },
  {
    name: 'a second joiner gets the whole roster, the first hears peer.joined',
    given: [join('a', 'r1')],
    when: join('b', 'r1', { muted: true, deafened: false }),
    effects: [
      {
        to: ['b'],
        message: { type: 'room.joined', roomId: 'r1', selfId: 'b', participants: [person('a'), person('b', { muted: true, deafened: false })] },
      },
      { to: ['a'], message: { type: 'peer.joined', participant: person('b', { muted: true, deafened: false }) } },
    ],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'joining the room you are in answers with the roster and changes nothing',
    given: [join('a', 'r1'), join('b', 'r1')],
    when: join('a', 'r1'),
    effects: [{ to: ['a'], message: { type: 'room.joined', roomId: 'r1', selfId: 'a', participants: [person('a'), person('b')] } }],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'joining another room leaves the first one before joining',
    given: [join('a', 'r1'), join('b', 'r1'), join('c', 'r2')],
    when: join('a', 'r2'),
    effects: [
      { to: ['b'], message: { type: 'peer.left', userId: 'a', reason: 'left' } },
      { to: ['a'], message: { type: 'room.left', roomId: 'r1' } },
      { to: ['a'], message: { type: 'room.joined', roomId: 'r2', selfId: 'a', participants: [person('c'), person('a')] } },
      { to: ['c'], message: { type: 'peer.joined', participant: person('a') } },
    ],
    rosters: { r1: ['b'], r2: ['c', 'a'] },
  },
  {
    name: 'leave: others hear peer.left (left), the leaver gets room.left',
    given: [join('a', 'r1'), join('b', 'r1'), join('c', 'r1')],
    when: { kind: 'leave', userId: 'b' },
    effects: [
      { to: ['a', 'c'], message: { type: 'peer.left', userId: 'b', reason: 'left' } },
      { to: ['b'], message: { type: 'room.left', roomId: 'r1' } },
    ],
    rosters: { r1: ['a', 'c'] },
  },
  {
    name: 'the last one out deletes the room',
    given: [join('a', 'r1')],
    when: { kind: 'leave', userId: 'a' },
    effects: [{ to: ['a'], message: { type: 'room.left', roomId: 'r1' } }],
    rosters: {},
  },
  {
    name: 'leaving when in no room says nothing',
    given: [],
    when: { kind: 'leave', userId: 'a' },
    effects: [],
    rosters: {},
  },
  {
    name: 'disconnect: the participant stays, reconnecting; others hear peer.presence',
    given: [join('a', 'r1'), join('b', 'r1')],
    when: { kind: 'disconnect', userId: 'a' },
    effects: [{ to: ['b'], message: { type: 'peer.presence', userId: 'a', presence: 'reconnecting' } }],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'a disconnect outside any room changes nothing',
    given: [join('b', 'r1')],
    when: { kind: 'disconnect', userId: 'a' },
    effects: [],
    rosters: { r1: ['b'] },
  },
  {
    name: 'a second disconnect says nothing more',
    given: [join('a', 'r1'), join('b', 'r1'), { kind: 'disconnect', userId: 'a' }],
    when: { kind: 'disconnect', userId: 'a' },
    effects: [],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'expire removes a reconnecting participant: peer.left (disconnected), nobody gets room.left',
    given: [join('a', 'r1'), join('b', 'r1'), { kind: 'disconnect', userId: 'a' }],
    when: { kind: 'expire', userId: 'a' },
    effects: [{ to: ['b'], message: { type: 'peer.left', userId: 'a', reason: 'disconnected' } }],
    rosters: { r1: ['b'] },
  },
  {
    name: 'expire spares a participant who came back',
    given: [join('a', 'r1'), join('b', 'r1'), { kind: 'disconnect', userId: 'a' }, { kind: 'resume', userId: 'a' }],
    when: { kind: 'expire', userId: 'a' },
    effects: [],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'expire of someone in no room changes nothing',
    given: [join('b', 'r1')],
    when: { kind: 'expire', userId: 'a' },
    effects: [],
    rosters: { r1: ['b'] },
  },
  {
    name: 'expiring the last reconnecting participant deletes the room',
    given: [join('a', 'r1'), { kind: 'disconnect', userId: 'a' }],
    when: { kind: 'expire', userId: 'a' },
    effects: [],
    rosters: {},
  },
  {
    name: 'resume within grace: online again for the others, a fresh roster for the returner',
    given: [join('a', 'r1'), join('b', 'r1'), { kind: 'disconnect', userId: 'a' }],
    when: { kind: 'resume', userId: 'a' },
    effects: [
      { to: ['b'], message: { type: 'peer.presence', userId: 'a', presence: 'online' } },
      { to: ['a'], message: { type: 'room.joined', roomId: 'r1', selfId: 'a', participants: [person('a'), person('b')] } },
    ],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'resume while still online (a second socket): only the roster, nobody hears a thing',
    given: [join('a', 'r1'), join('b', 'r1')],
    when: { kind: 'resume', userId: 'a' },
    effects: [{ to: ['a'], message: { type: 'room.joined', roomId: 'r1', selfId: 'a', participants: [person('a'), person('b')] } }],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'resume in no room says nothing (the client joins again)',
    given: [join('b', 'r1')],
    when: { kind: 'resume', userId: 'a' },
    effects: [],
    rosters: { r1: ['b'] },
  },
  {
    name: 'a second joiner with a name already in the room is listed with a number, by everyone and in their own roster',
    given: [joinAs('a', 'r1', 'Alice')],
    when: joinAs('b', 'r1', 'ALICE'),
    effects: [
      { to: ['b'], message: { type: 'room.joined', roomId: 'r1', selfId: 'b', participants: [named('a', 'Alice'), named('b', 'ALICE (2)')] } },
      { to: ['a'], message: { type: 'peer.joined', participant: named('b', 'ALICE (2)') } },
    ],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'a third one takes the next number',
    given: [joinAs('a', 'r1', 'Alice'), joinAs('b', 'r1', 'Alice')],
    when: joinAs('c', 'r1', 'alice'),
    effects: [
      {
        to: ['c'],
        message: {
          type: 'room.joined',
          roomId: 'r1',
          selfId: 'c',
          participants: [named('a', 'Alice'), named('b', 'Alice (2)'), named('c', 'alice (3)')],
        },
      },
      { to: ['a', 'b'], message: { type: 'peer.joined', participant: named('c', 'alice (3)') } },
    ],
    rosters: { r1: ['a', 'b', 'c'] },
  },
  {
    name: 'names that differ only in Unicode form, invisible characters or surrounding space count as one',
    given: [joinAs('a', 'r1', 'Zo\u00eb')],
    when: joinAs('b', 'r1', 'Zoe\u0308\u200b'),
    effects: [
      {
        to: ['b'],
        message: { type: 'room.joined', roomId: 'r1', selfId: 'b', participants: [named('a', 'Zo\u00eb'), named('b', 'Zoe\u0308\u200b (2)')] },
      },
      { to: ['a'], message: { type: 'peer.joined', participant: named('b', 'Zoe\u0308\u200b (2)') } },
    ],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'a number skips one somebody already chose as their name',
    given: [joinAs('a', 'r1', 'Bo'), joinAs('b', 'r1', 'Bo (2)')],
    when: joinAs('c', 'r1', 'Bo'),
    effects: [
      {
        to: ['c'],
        message: { type: 'room.joined', roomId: 'r1', selfId: 'c', participants: [named('a', 'Bo'), named('b', 'Bo (2)'), named('c', 'Bo (3)')] },
      },
      { to: ['a', 'b'], message: { type: 'peer.joined', participant: named('c', 'Bo (3)') } },
    ],
    rosters: { r1: ['a', 'b', 'c'] },
  },
  {
    name: 'a name someone has in another room is no clash',
    given: [joinAs('a', 'r2', 'Alice')],
    when: joinAs('b', 'r1', 'Alice'),
    effects: [{ to: ['b'], message: { type: 'room.joined', roomId: 'r1', selfId: 'b', participants: [named('b', 'Alice')] } }],
    rosters: { r1: ['b'], r2: ['a'] },
  },
  {
    name: 'resuming under another name renames: the others hear peer.joined for someone they know, the returner gets the roster',
    given: [joinAs('a', 'r1', 'Ada'), joinAs('b', 'r1', 'Bob')],
    when: { kind: 'resume', userId: 'a', displayName: 'Ada L.' },
    effects: [
      { to: ['b'], message: { type: 'peer.joined', participant: named('a', 'Ada L.') } },
      { to: ['a'], message: { type: 'room.joined', roomId: 'r1', selfId: 'a', participants: [named('a', 'Ada L.'), named('b', 'Bob')] } },
    ],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'resuming from reconnecting under another name: one peer.joined says both, no peer.presence besides',
    given: [joinAs('a', 'r1', 'Ada'), joinAs('b', 'r1', 'Bob'), { kind: 'disconnect', userId: 'a' }],
    when: { kind: 'resume', userId: 'a', displayName: 'ada' },
    effects: [
      { to: ['b'], message: { type: 'peer.joined', participant: named('a', 'ada') } },
      { to: ['a'], message: { type: 'room.joined', roomId: 'r1', selfId: 'a', participants: [named('a', 'ada'), named('b', 'Bob')] } },
    ],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'resuming under the name one has changes nothing for the others',
    given: [joinAs('a', 'r1', 'Ada'), joinAs('b', 'r1', 'Bob')],
    when: { kind: 'resume', userId: 'a', displayName: 'Ada' },
    effects: [{ to: ['a'], message: { type: 'room.joined', roomId: 'r1', selfId: 'a', participants: [named('a', 'Ada'), named('b', 'Bob')] } }],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'resuming under a name someone else in the room has: renamed, with a number',
    given: [joinAs('a', 'r1', 'Ada'), joinAs('b', 'r1', 'Bob')],
    when: { kind: 'resume', userId: 'a', displayName: 'BOB' },
    effects: [
      { to: ['b'], message: { type: 'peer.joined', participant: named('a', 'BOB (2)') } },
      { to: ['a'], message: { type: 'room.joined', roomId: 'r1', selfId: 'a', participants: [named('a', 'BOB (2)'), named('b', 'Bob')] } },
    ],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'a numbered name stays when its holder comes back under the plain one, even after the first has gone',
    given: [
      joinAs('a', 'r1', 'Ada'),
      joinAs('b', 'r1', 'Ada'),
      joinAs('c', 'r1', 'Cy'),
      { kind: 'leave', userId: 'a' },
      { kind: 'disconnect', userId: 'b' },
    ],
    when: { kind: 'resume', userId: 'b', displayName: 'Ada' },
    effects: [
      { to: ['c'], message: { type: 'peer.presence', userId: 'b', presence: 'online' } },
      { to: ['b'], message: { type: 'room.joined', roomId: 'r1', selfId: 'b', participants: [named('b', 'Ada (2)'), named('c', 'Cy')] } },
    ],
    rosters: { r1: ['b', 'c'] },
  },
  {
    name: 'joining the room one is in under another name renames as resuming does',
    given: [joinAs('a', 'r1', 'Ada'), joinAs('b', 'r1', 'Bob')],
    when: joinAs('b', 'r1', 'Robert'),
    effects: [
      { to: ['a'], message: { type: 'peer.joined', participant: named('b', 'Robert') } },
      { to: ['b'], message: { type: 'room.joined', roomId: 'r1', selfId: 'b', participants: [named('a', 'Ada'), named('b', 'Robert')] } },
    ],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'the roster shows who is reconnecting',
    given: [join('a', 'r1'), join('b', 'r1'), { kind: 'disconnect', userId: 'a' }],
    when: join('c', 'r1'),
    effects: [
      {
        to: ['c'],
        message: {
          type: 'room.joined',
          roomId: 'r1',
          selfId: 'c',
          participants: [{ ...person('a'), presence: 'reconnecting' }, person('b'), person('c')],
        },
      },
      { to: ['a', 'b'], message: { type: 'peer.joined', participant: person('c') } },
    ],
    rosters: { r1: ['a', 'b', 'c'] },
  },
  {
    name: 'a signal to a reconnecting member is dropped without an error',
    given: [join('a', 'r1'), join('b', 'r1'), { kind: 'disconnect', userId: 'b' }],
    when: { kind: 'signal', from: 'a', to: 'b', signal: offer },
    effects: [],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'a signal reaches only its target, with the server-known sender',
    given: [join('a', 'r1'), join('b', 'r1'), join('c', 'r1')],
    when: { kind: 'signal', from: 'a', to: 'b', signal: offer },
    effects: [{ to: ['b'], message: { type: 'peer.signal', from: 'a', signal: offer } }],
    rosters: { r1: ['a', 'b', 'c'] },
  },
  {
    name: 'a signal to someone in another room is refused to the sender only',
    given: [join('a', 'r1'), join('c', 'r2')],
    when: { kind: 'signal', from: 'a', to: 'c', signal: offer },
    effects: [
      {
        to: ['a'],
        message: { type: 'error', code: 'peer_not_in_room', message: expect.any(String) as string, inReplyTo: 'peer.signal' },
      },
    ],
    rosters: { r1: ['a'], r2: ['c'] },
  },
  {
    name: 'a signal to yourself is refused',
    given: [join('a', 'r1')],
    when: { kind: 'signal', from: 'a', to: 'a', signal: offer },
    effects: [
      {
        to: ['a'],
        message: { type: 'error', code: 'peer_not_in_room', message: expect.any(String) as string, inReplyTo: 'peer.signal' },
      },
    ],
    rosters: { r1: ['a'] },
  },
  {
    name: 'a signal from outside any room is refused with not_in_room',
    given: [join('b', 'r1')],
    when: { kind: 'signal', from: 'a', to: 'b', signal: offer },
    effects: [
      { to: ['a'], message: { type: 'error', code: 'not_in_room', message: expect.any(String) as string, inReplyTo: 'peer.signal' } },
    ],
    rosters: { r1: ['b'] },
  },
  {
    name: 'voice state goes to the others and updates the roster',
    given: [join('a', 'r1'), join('b', 'r1')],
    when: { kind: 'voiceState', userId: 'a', muted: true, deafened: true },
    effects: [{ to: ['b'], message: { type: 'voice.state', userId: 'a', muted: true, deafened: true } }],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'an unchanged voice state says nothing',
    given: [join('a', 'r1'), join('b', 'r1')],
    when: { kind: 'voiceState', userId: 'a', muted: false, deafened: false },
    effects: [],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'voice state outside any room is refused with not_in_room',
    given: [],
    when: { kind: 'voiceState', userId: 'a', muted: true, deafened: false },
    effects: [
      { to: ['a'], message: { type: 'error', code: 'not_in_room', message: expect.any(String) as string, inReplyTo: 'voice.state' } },
    ],
    rosters: {},
  },
  {
    name: 'restore: someone the others had lost is listed at the end; the others hear peer.joined, they hear nothing',
    given: [join('a', 'r1'), join('b', 'r1')],
    when: restoreAs('c', 'r1', { muted: true }),
    effects: [{ to: ['a', 'b'], message: { type: 'peer.joined', participant: person('c', { muted: true, deafened: false }) } }],
    rosters: { r1: ['a', 'b', 'c'] },
  },
  {
    name: 'restore: someone listed in another room moves, and its members hear them leave',
    given: [join('a', 'r1'), join('b', 'r1'), join('c', 'r2')],
    when: restoreAs('a', 'r2'),
    effects: [
      { to: ['b'], message: { type: 'peer.left', userId: 'a', reason: 'left' } },
      { to: ['a'], message: { type: 'room.left', roomId: 'r1' } },
      { to: ['c'], message: { type: 'peer.joined', participant: person('a') } },
    ],
    rosters: { r1: ['b'], r2: ['c', 'a'] },
  },
  {
    name: 'restore: someone already listed so changes nothing and says nothing',
    given: [join('a', 'r1'), join('b', 'r1')],
    when: restoreAs('a', 'r1'),
    effects: [],
    rosters: { r1: ['a', 'b'] },
  },
  {
    name: 'restore: a changed voice state and presence are told as such, in place',
    given: [join('a', 'r1'), join('b', 'r1'), join('c', 'r1')],
    when: restoreAs('b', 'r1', { presence: 'reconnecting', deafened: true }),
    effects: [
      { to: ['a', 'c'], message: { type: 'peer.presence', userId: 'b', presence: 'reconnecting' } },
      { to: ['a', 'c'], message: { type: 'voice.state', userId: 'b', muted: false, deafened: true } },
    ],
    rosters: { r1: ['a', 'b', 'c'] },
  },
  {
    name: 'restore: a name another member now has is told apart',
    given: [joinAs('x', 'r1', 'Ada')],
    when: restoreAs('a', 'r1', { displayName: 'Ada' }),
    effects: [{ to: ['x'], message: { type: 'peer.joined', participant: named('a', 'Ada (2)') } }],
    rosters: { r1: ['x', 'a'] },
  },
  {
    name: 'restore: someone the owner removed stays out and is told so again',
    given: [join('a', 'r1'), join('b', 'r1'), { kind: 'remove', userId: 'a', roomId: 'r1', target: 'b' }],
    when: restoreAs('b', 'r1'),
    effects: [{ to: ['b'], message: { type: 'room.removed', roomId: 'r1' } }],
    rosters: { r1: ['a'] },
  },
];

describe('applyCommand', () => {
  it.each(table)('$name', (row) => {
    const next = applyCommand(run(row.given), row.when);
    expect(next.effects).toEqual(row.effects);
    expect(rosters(next.state)).toEqual(row.rosters);
  });

  it('does not change the state it was given', () => {
    const before = run([join('a', 'r1'), join('b', 'r1')]);
    applyCommand(before, { kind: 'leave', userId: 'a' });
    applyCommand(before, { kind: 'voiceState', userId: 'b', muted: true, deafened: false });
    expect(rosters(before)).toEqual({ r1: ['a', 'b'] });
    expect(before.rooms.get('r1')?.participants.get('b')?.muted).toBe(false);
  });

  it('restore makes a room nobody else knew, with the policy and key holder of the node that knew it', () => {
    const next = applyCommand(emptyRoomsState, restoreAs('a', 'r9', {}, true));
    const room = next.state.rooms.get('r9');
    expect(room?.policy.ownerKeyHash).toBe('key-of-r9');
    expect(room && ownerOf(room)).toBe('a');
    // A key holder already in the room keeps the key.
    const withHolder = run([restoreAs('b', 'r9', {}, true)], next.state).rooms.get('r9');
    expect(withHolder && ownerOf(withHolder)).toBe('a');
  });

  it('later joiners see the voice state set after joining', () => {
    const state = run([join('a', 'r1'), { kind: 'voiceState', userId: 'a', muted: true, deafened: false }]);
    const { effects } = applyCommand(state, join('b', 'r1'));
    expect(effects[0]?.message).toMatchObject({ type: 'room.joined', participants: [{ userId: 'a', muted: true }, { userId: 'b' }] });
  });

  describe('a full room', () => {
    const full = run(Array.from({ length: LIMITS.maxRoomSize }, (_, i) => join(`u${i}`, 'r1')).concat(join('x', 'r2'), join('y', 'r2')));

    it('refuses one more joiner with room_full and leaves them where they were', () => {
      const next = applyCommand(full, join('x', 'r1'));
      expect(next.effects).toEqual([
        { to: ['x'], message: { type: 'error', code: 'room_full', message: expect.any(String) as string, inReplyTo: 'room.join' } },
      ]);
      expect(rosters(next.state)['r1']).toHaveLength(LIMITS.maxRoomSize);
      expect(rosters(next.state)['r2']).toEqual(['x', 'y']);
    });

    it('admits a joiner again once someone left', () => {
      const next = applyCommand(run([{ kind: 'leave', userId: 'u0' }], full), join('x', 'r1'));
      expect(next.effects.map((e) => e.message.type)).toEqual(['peer.left', 'room.left', 'room.joined', 'peer.joined']);
      expect(rosters(next.state)['r1']).toHaveLength(LIMITS.maxRoomSize);
    });
  });
});
