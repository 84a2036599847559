import { describe, expect, it } from 'vitest';
import { buildChatItems } from './chat-selectors';
import type { OutboxEntry } from './chat-slice';
import { groupItems } from './message-groups';
import { message } from './testing/messages';

const MINUTE = 60_000;
const T0 = 1_700_000_000_000;

const pending = (clientId: string, createdAt: number): OutboxEntry => ({
  clientId,
  roomId: 'lounge',
  text: 'pending',
  createdAt,
  status: 'sending',
  attempts: 0,
});

/** Each group as "author: texts", the way a reader scans the list. */
function shape(groups: ReturnType<typeof groupItems>): string[] {
  return groups.map(
    (g) => `${g.authorName ?? 'You'}${g.own ? ' (you)' : ''}: ${g.items.map((i) => (i.kind === 'message' ? i.message.seq : i.entry.clientId)).join(',')}`,
  );
}

describe('groupItems', () => {
  it('puts consecutive messages of one author within a few minutes under one header', () => {
    const messages = [
      message(1, { sentAt: T0 }),
      message(2, { sentAt: T0 + MINUTE }),
      message(3, { sentAt: T0 + 2 * MINUTE, userId: 'bob', displayName: 'Bob' }),
      message(4, { sentAt: T0 + 3 * MINUTE }),
      message(5, { sentAt: T0 + 20 * MINUTE }),
    ];
    const groups = groupItems(buildChatItems({ messages, outbox: [], selfId: 'me' }), 'me');
    expect(shape(groups)).toEqual(['Alice: 1,2', 'Bob: 3', 'Alice: 4', 'Alice: 5']);
    expect(groups[0]?.startedAt).toBe(T0);
  });

  it('adds our pending messages to our last group, or starts one of ours', () => {
    const mine = message(2, { sentAt: T0 + MINUTE, userId: 'me', displayName: 'Me' });
    const items = buildChatItems({ messages: [message(1, { sentAt: T0 }), mine], outbox: [pending('p-1', T0 + MINUTE + 5)], selfId: 'me' });
    expect(shape(groupItems(items, 'me'))).toEqual(['Alice: 1', 'Me (you): 2,p-1']);

    const alone = buildChatItems({ messages: [message(1, { sentAt: T0 })], outbox: [pending('p-1', T0 + MINUTE)], selfId: 'me' });
    expect(shape(groupItems(alone, 'me'))).toEqual(['Alice: 1', 'You (you): p-1']);
  });
});
