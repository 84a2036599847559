import { FakeWebSocket } from '@parley/mesh/testing';
import { PROTOCOL_VERSION } from '@parley/protocol';
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

  it('says hello under the name typed, and hands the engine the socket with the welcome it heard', () => {
    const { warmup, opened } = setup();
    warmup.warm('ws://here/ws');
    warmup.warm('ws://here/ws', 'Ad');
    const socket = opened[0] as FakeWebSocket;
    expect(socket.sentMessages).toEqual([]);
    socket.open();
    warmup.warm('ws://here/ws', 'Ada');
    expect(socket.sentMessages).toEqual([{ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: 'Ad' }]);
    socket.receive('{"type":"session.welcome"}');
    expect(warmup.takeGreeted('ws://here/ws')).toEqual({ socket, received: ['{"type":"session.welcome"}'] });
    expect(warmup.takeGreeted('ws://here/ws')).toBeUndefined();
    expect(socket.closedWith).toBeUndefined();
    expect(opened).toHaveLength(1);
  });

  it('a greeted socket is no use to an engine that says hello itself: it is closed, not handed out', () => {
    const { warmup, opened } = setup();
    warmup.warm('ws://here/ws', 'Ada');
    opened[0]?.open();
    expect(warmup.take('ws://here/ws')).toBeUndefined();
    expect(opened[0]?.closedWith).toBeDefined();
  });

  it('a socket still opening has said nothing: it goes to an engine as a plain socket', () => {
    const { warmup, opened } = setup();
    warmup.warm('ws://here/ws', 'Ada');
    expect(warmup.takeGreeted('ws://here/ws')).toBeUndefined();
    expect(warmup.take('ws://here/ws')).toBe(opened[0]);
    opened[0]?.open();
    expect(opened[0]?.sentMessages).toEqual([]);
  });

  it('a socket to another address is closed, not handed out', () => {
    const { warmup, opened } = setup();
    warmup.warm('ws://here/ws');
    expect(warmup.take('ws://elsewhere/ws')).toBeUndefined();
    expect(opened[0]?.closedWith).toBeDefined();
  });
});
