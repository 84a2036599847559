import type { ListedRoom } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { parseListedRooms, watchListedRooms, type EventSourceLike } from './listed-rooms';

const lounge: ListedRoom = { roomId: 'lounge', people: ['Ada', 'Grace'], passwordRequired: true, locked: false };

class FakeEventSource implements EventSourceLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  closed = false;

  send(data: string): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  close(): void {
    this.closed = true;
  }
}

describe('the lobby feed of listed rooms', () => {
  it('hands on every full list the server sends, and stops at once when closed', () => {
    const source = new FakeEventSource();
    const lists: ListedRoom[][] = [];
    const stop = watchListedRooms(source, (rooms) => lists.push(rooms));

    source.send(JSON.stringify({ rooms: [] }));
    source.send(JSON.stringify({ rooms: [lounge] }));
    stop();
    source.send(JSON.stringify({ rooms: [lounge, lounge] }));

    expect(lists).toEqual([[], [lounge]]);
    expect(source.closed).toBe(true);
  });

  it.each([
    ['not JSON', '{oops'],
    ['another shape', JSON.stringify({ rooms: [{ roomId: 'lounge' }] })],
    ['a bad room id', JSON.stringify({ rooms: [{ ...lounge, roomId: 'Not A Room!' }] })],
    ['null', 'null'],
  ])('skips %s', (_label, data) => {
    expect(parseListedRooms(data)).toBeUndefined();
  });
});
