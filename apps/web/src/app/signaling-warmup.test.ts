import { FakeWebSocket } from '@parley/mesh/testing';
import { describe, expect, it } from 'vitest';
import { SignalingWarmup } from './signaling-warmup';

function setup() {
  const opened: FakeWebSocket[] = [];
  const warmup = new SignalingWarmup((url) => {
    const socket = new FakeWebSocket(url);
    opened.push(socket);
    return socket;
  });
  return { warmup, opened };
}

describe('SignalingWarmup', () => {
  it('hands the engine the socket it opened while the user typed, once', () => {
    const { warmup, opened } = setup();
    warmup.warm('ws://here/ws');
    warmup.warm('ws://here/ws');
    expect(opened).toHaveLength(1);
    opened[0]?.open();
    expect(warmup.take('ws://here/ws')).toBe(opened[0]);
    expect(warmup.take('ws://here/ws')).toBeUndefined();
  });

  it('a socket the server closed is not handed out; the next keystroke warms a new one', () => {
    const { warmup, opened } = setup();
    warmup.warm('ws://here/ws');
    opened[0]?.drop(4002, 'handshake timeout');
    expect(warmup.take('ws://here/ws')).toBeUndefined();
    warmup.warm('ws://here/ws');
    expect(opened).toHaveLength(2);
  });

  it('a socket to another address is closed, not handed out', () => {
    const { warmup, opened } = setup();
    warmup.warm('ws://here/ws');
    expect(warmup.take('ws://elsewhere/ws')).toBeUndefined();
    expect(opened[0]?.closedWith).toBeDefined();
  });
});
