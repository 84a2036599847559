import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from './chat-slice';
import { loadOutbox, outboxKey, saveOutbox } from './outbox-storage';
import { memoryStorage } from '../../app/browser-storage';
import { fakeStorage } from '../../app/testing/fake-storage';

const entry = (clientId: string, text: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry => ({
  clientId,
  roomId: 'lounge',
  text,
  createdAt: 1_700_000_000_000,
  status: 'sending',
  attempts: 2,
  ...overrides,
});

describe('outbox storage', () => {
  it('brings back unsent messages in order after a reload, ready to send', () => {
    const storage = memoryStorage();
    saveOutbox(storage, 'lounge', [entry('first-0001', 'one'), entry('second-001', 'two', { status: 'failed', error: 'x' })]);
    expect(loadOutbox(storage, 'lounge')).toEqual([
      { clientId: 'first-0001', roomId: 'lounge', text: 'one', createdAt: 1_700_000_000_000, status: 'sending', attempts: 0 },
      { clientId: 'second-001', roomId: 'lounge', text: 'two', createdAt: 1_700_000_000_000, status: 'sending', attempts: 0 },
    ]);
  });

  it('keeps rooms apart and removes the key once everything is delivered', () => {
    const storage = memoryStorage();
    saveOutbox(storage, 'lounge', [entry('first-0001', 'one')]);
    expect(loadOutbox(storage, 'attic')).toEqual([]);
    saveOutbox(storage, 'lounge', []);
    expect(storage.items.has(outboxKey('lounge'))).toBe(false);
  });

  it.each([
    ['not JSON', '{oops'],
    ['not an array', '{"clientId":"first-0001"}'],
    ['null', 'null'],
  ])('reads %s as an empty outbox', (_label, raw) => {
    const storage = memoryStorage();
    storage.setItem(outboxKey('lounge'), raw);
    expect(loadOutbox(storage, 'lounge')).toEqual([]);
  });

  it('drops corrupt entries one by one and keeps the good ones', () => {
    const storage = memoryStorage();
    const good = { roomId: 'lounge', clientId: 'good-00001', text: 'kept', createdAt: 1 };
    storage.setItem(
      outboxKey('lounge'),
      JSON.stringify([
        { ...good, clientId: 'bad id with spaces' },
        { ...good, text: '   ' },
        { ...good, text: 'x'.repeat(4001) },
        { ...good, roomId: 'attic' },
        { ...good, createdAt: 'yesterday' },
        42,
        good,
        good,
      ]),
    );
    expect(loadOutbox(storage, 'lounge').map((e) => e.text)).toEqual(['kept']);
  });

  it('survives a storage that throws', () => {
    const broken = fakeStorage({ broken: true });
    expect(loadOutbox(broken, 'lounge')).toEqual([]);
    expect(saveOutbox(broken, 'lounge', [entry('first-0001', 'one')])).toBe(false);
  });
});
