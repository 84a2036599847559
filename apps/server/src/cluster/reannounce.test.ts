import type { UserId } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../rooms/apply-command';
import type { Admission, RoomCommand } from '../rooms/commands';
import { emptyRoomsState, roomOfUser, roster } from '../rooms/state';
import { createParticipantNodes } from './participant-nodes';
import { reannounce, type Lineage } from './reannounce';

/** A node's copy, made as the bus makes it: commands, each from a node, in order; guarded ones skipped. */
function lineage(steps: Array<[string, RoomCommand, (string | null)?]>, from?: Lineage): Lineage {
  let rooms = from?.rooms ?? emptyRoomsState;
  const nodes = createParticipantNodes();
  nodes.restore([...(from?.nodes ?? [])]);
  for (const [node, command, ifOn] of steps) {
    if (command.kind !== 'signal' && !nodes.accepts(command.userId, ifOn)) continue;
    rooms = applyCommand(rooms, command).state;
    const now = rooms;
    nodes.applied(command, node, (userId) => now.roomOf.has(userId));
  }
  return { rooms, nodes: new Map(nodes.snapshot()) };
}

const join = (userId: UserId, roomId = 'den', admission?: Admission): RoomCommand => ({
  kind: 'join',
  userId,
  displayName: userId.toUpperCase(),
  roomId,
  ...(admission === undefined ? {} : { admission }),
});

/** Who is in each room, and how, as a page would list them. */
function listing(of: Lineage): Record<string, string[]> {
  return Object.fromEntries(
    [...of.rooms.rooms.values()].map((room) => [
      room.id,
      roster(room).map((p) => `${p.displayName} ${p.presence}${p.muted ? ' muted' : ''} @${of.nodes.get(p.userId) ?? '?'}`),
    ]),
  );
}

/** The agreed state after the node's re-announcements went through the bus. */
const corrected = (self: string, mine: Lineage, agreed: Lineage): Lineage =>
  lineage(
    reannounce(self, mine, agreed).map(({ command, ifOn }) => [self, command, ifOn]),
    agreed,
  );

const before = lineage([
  ['one', join('ada')],
  ['two', join('bob')],
  ['one', join('dan')],
]);

describe('what a node re-announces after adopting the others\' state', () => {
  it('nothing when the state it adopted has its participants as it had them', () => {
    expect(reannounce('one', before, before)).toEqual([]);
  });

  it('puts back what only it had read: a joiner, a mute, a leave; and nothing about the other node\'s people', () => {
    const mine = lineage(
      [
        ['one', join('cara')],
        ['one', { kind: 'voiceState', userId: 'ada', muted: true, deafened: false }],
        ['one', { kind: 'leave', userId: 'dan' }],
      ],
      before,
    );
    // The other node had read none of it, and had Bob mute himself, which this node had not read.
    const agreed = lineage([['two', { kind: 'voiceState', userId: 'bob', muted: true, deafened: false }]], before);
    const said = reannounce('one', mine, agreed);
    expect(said.map(({ command, ifOn }) => [command.kind, 'userId' in command ? command.userId : '', ifOn])).toEqual([
      ['restore', 'ada', 'one'],
      ['restore', 'cara', null],
      ['leave', 'dan', 'one'],
    ]);
    expect(listing(corrected('one', mine, agreed))).toEqual({ den: ['ADA online muted @one', 'BOB online muted @two', 'CARA online @one'] });
  });

  it('puts back a room the others never knew, with its policy and owner', () => {
    const mine = lineage([['one', join('cara', 'attic', { newOwnerKeyHash: 'k', ownerKey: false, invite: 'none', password: 'none' })]], before);
    const after = corrected('one', mine, before);
    const attic = after.rooms.rooms.get('attic');
    expect(attic?.policy.ownerKeyHash).toBe('k');
    expect(attic?.keyHolderId).toBe('cara');
  });

  it('takes back someone the others still list on it but it knew had moved to another node: a disconnect, not a leave', () => {
    const mine = lineage([['two', { kind: 'resume', userId: 'ada' }]], before);
    expect(reannounce('one', mine, before)).toEqual([{ command: { kind: 'disconnect', userId: 'ada' }, ifOn: 'one' }]);
  });

  it('does not undo what happened after the adopted state: someone who moved since is left where they are', () => {
    const mine = lineage([['one', { kind: 'voiceState', userId: 'ada', muted: true, deafened: false }]], before);
    // Ada resumed through node two after the point both copies stand at, before the restore arrived.
    const since = lineage([['two', { kind: 'resume', userId: 'ada' }]], before);
    const said = reannounce('one', mine, before);
    const after = lineage(said.map(({ command, ifOn }) => ['one', command, ifOn]), since);
    expect(after.nodes.get('ada')).toBe('two');
    expect(roomOfUser(after.rooms, 'ada')?.participants.get('ada')?.muted).toBe(false);
  });
});
