import type { LinkState } from '@parley/mesh';
import type { Participant, UserId } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { selectWayInSettled } from './way-in';

const self = 'u_self' as UserId;
const ada = 'u_ada' as UserId;
const bob = 'u_bob' as UserId;

function person(userId: UserId, presence: Participant['presence'] = 'online'): Participant {
  return { userId, displayName: userId, muted: false, deafened: false, presence };
}

function state(roomStatus: 'idle' | 'joining' | 'joined', others: Array<[UserId, Participant['presence'], LinkState | undefined]>) {
  const participants: Record<UserId, Participant> = { [self]: person(self) };
  const links: Record<UserId, LinkState> = {};
  for (const [userId, presence, link] of others) {
    participants[userId] = person(userId, presence);
    if (link) links[userId] = link;
  }
  return { roomStatus, selfId: self, order: [self, ...others.map(([userId]) => userId)], participants, links };
}

describe('selectWayInSettled', () => {
  it.each([
    ['not in the room yet', state('joining', []), false],
    ['alone in the room', state('joined', []), true],
    ['a peer whose link is not made yet', state('joined', [[ada, 'online', undefined]]), false],
    ['a peer still connecting', state('joined', [[ada, 'online', 'connecting']]), false],
    ['a peer connected', state('joined', [[ada, 'online', 'connected']]), true],
    ['one connected, one still connecting', state('joined', [[ada, 'online', 'connected'], [bob, 'online', 'connecting']]), false],
    ['a peer whose link failed', state('joined', [[ada, 'online', 'failed']]), true],
    ['a peer who is away (reconnecting to the server)', state('joined', [[ada, 'reconnecting', 'connecting']]), true],
  ] as const)('%s: %s', (_label, given, settled) => {
    expect(selectWayInSettled(given)).toBe(settled);
  });
});
