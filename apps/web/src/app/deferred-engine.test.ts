import type { Participant } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { selectParticipants } from '../features/room/room-slice';
import { RemoteStreams } from '../features/voice/remote-streams';
import { deferredEngine } from './deferred-engine';
import type { Engine } from './engine';
import { bridgeEngine } from './engine-bridge';
import { createAppStore } from './store';
import { FakeEngine } from './testing/fake-engine';

const ada: Participant = { userId: 'u1', displayName: 'Ada', presence: 'online', muted: false, deafened: false };

/** The engine's code "arriving" when the test says so. */
function arrival() {
  let arrive!: (engine: Engine) => void;
  let fail!: (error: unknown) => void;
  const arriving = new Promise<Engine>((resolve, reject) => {
    arrive = resolve;
    fail = reject;
  });
  return { arriving, arrive, fail };
}

describe('deferred engine', () => {
  it('does what was asked before the code arrived, in order, once it has', async () => {
    const { arriving, arrive } = arrival();
    const failures: unknown[] = [];
    const engine = deferredEngine(arriving, (error) => failures.push(error));
    const store = createAppStore();
    bridgeEngine(engine, store, new RemoteStreams());
    store.getState().roomJoining('friday');
    engine.connect();
    engine.join('friday', { muted: true, deafened: false }, { password: 'hunter2' });

    const real = new FakeEngine('Ada');
    arrive(real);
    await expect.poll(() => real.roomId).toBe('friday');
    expect(real.connected).toBe(true);
    expect(real.voice).toEqual({ muted: true, deafened: false });
    expect(real.access).toEqual({ password: 'hunter2' });

    // The bridge subscribed before the engine existed: the roster still reaches the store.
    real.emit('connectionStateChanged', { from: 'idle', to: 'connected' });
    real.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada] });
    expect(selectParticipants(store.getState())).toEqual([ada]);
    expect(failures).toEqual([]);
  });

  it('forgets a listener removed before the code arrived', async () => {
    const { arriving, arrive } = arrival();
    const engine = deferredEngine(arriving, () => {});
    const heard: string[] = [];
    const off = engine.on('roomLeft', ({ roomId }) => heard.push(roomId));
    const offChat = engine.chat.on('historyCleared', ({ roomId }) => heard.push(`cleared ${roomId}`));
    off();
    offChat();
    engine.connect();

    const real = new FakeEngine('Ada');
    arrive(real);
    await expect.poll(() => real.connected).toBe(true);
    real.emit('roomLeft', { roomId: 'friday' });
    real.chat.emit('historyCleared', { roomId: 'friday' });
    expect(heard).toEqual([]);
    expect(real.listenerCount()).toBe(0);
  });

  it('sends no chat before the engine exists, and sends once it is connected', async () => {
    const { arriving, arrive } = arrival();
    const engine = deferredEngine(arriving, () => {});
    expect(engine.chat.send({ roomId: 'friday', clientId: 'client-0001', text: 'early' })).toBe(false);
    expect(engine.chat.requestHistory('friday', {})).toBeUndefined();

    const real = new FakeEngine('Ada');
    engine.connect();
    arrive(real);
    await expect.poll(() => real.connected).toBe(true);
    real.emit('connectionStateChanged', { from: 'idle', to: 'connected' });
    expect(engine.chat.send({ roomId: 'friday', clientId: 'client-0002', text: 'hello' })).toBe(true);
    expect(real.chatWire).toEqual([{ type: 'chat.send', roomId: 'friday', clientId: 'client-0002', text: 'hello' }]);
  });

  it('closes an engine that was closed before it arrived', async () => {
    const { arriving, arrive } = arrival();
    const engine = deferredEngine(arriving, () => {});
    engine.connect();
    engine.close();
    const real = new FakeEngine('Ada');
    arrive(real);
    await expect.poll(() => real.closed).toBe(true);
  });

  it('says so when the code cannot be loaded', async () => {
    const { arriving, fail } = arrival();
    const failures: unknown[] = [];
    const engine = deferredEngine(arriving, (error) => failures.push(error));
    engine.connect();
    engine.join('friday');
    fail(new Error('Failed to fetch dynamically imported module'));
    await expect.poll(() => failures).toEqual([new Error('Failed to fetch dynamically imported module')]);
  });
});
