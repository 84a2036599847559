import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { startChatController } from './chat-controller';
import { createChatControllerSlot } from './chat-controller-slot';
import { createChatSlice, type ChatSlice } from './chat-slice';
import { FakeChatServer } from './testing/fake-chat-server';
import { FakeClock } from '@parley/mesh/testing';
import { memoryStorage } from '../../app/browser-storage';

describe('chat controller slot', () => {
  it('sends through the current visit only, and refuses between visits', () => {
    const clock = new FakeClock();
    const store = createStore<ChatSlice>()(createChatSlice);
    let ids = 0;
    const visit = (server: FakeChatServer) =>
      startChatController({ engine: server, store, clock, storage: memoryStorage(), newClientId: () => `slot-id-${++ids}` });
    const slot = createChatControllerSlot();
    expect(slot.controller.send('nobody here')).toBe(false);

    const first = new FakeChatServer('lounge', 'me', () => clock.now());
    slot.set(visit(first));
    first.connectAndJoin();
    slot.controller.send('to the first');
    first.deliverAll();

    const second = new FakeChatServer('attic', 'me', () => clock.now());
    slot.set(visit(second));
    second.connectAndJoin();
    first.postFromOther('alice', 'old room');
    first.deliverAll();
    slot.controller.send('to the second');
    second.deliverAll();

    expect(first.texts()).toEqual(['to the first', 'old room']);
    expect(second.texts()).toEqual(['to the second']);
    expect(store.getState().chat.messages.map((m) => m.text)).toEqual(['to the second']);
  });
});
