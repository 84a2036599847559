import { LIMITS, type Participant, type Signal } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { applyCommand } from './apply-command';
import type { Effect, RoomCommand } from './commands';
import { emptyRoomsState, roster, type RoomsState } from './state';

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
