import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../app/store';

describe('devices slice', () => {
  it('moves from requesting to ready, clearing an earlier error', () => {
    const store = createAppStore();
    store.getState().micFailed({ kind: 'denied', name: 'NotAllowedError' });
    store.getState().micRequested();
    expect(store.getState()).toMatchObject({ mic: 'requesting', micError: null });
    store.getState().micGranted();
    expect(store.getState()).toMatchObject({ mic: 'ready', micError: null });
  });

  it('keeps the error kind for the message', () => {
    const store = createAppStore();
    store.getState().micRequested();
    store.getState().micFailed({ kind: 'notFound', name: 'NotFoundError' });
    expect(store.getState()).toMatchObject({ mic: 'error', micError: { kind: 'notFound', name: 'NotFoundError' } });
  });

  it('hears of the same devices listed again as nothing new', () => {
    const store = createAppStore();
    const lists = { microphones: [{ deviceId: 'default', label: 'Default' }], speakers: [{ deviceId: 'default', label: 'Speakers' }] };
    store.getState().devicesListed(lists);
    let changes = 0;
    store.subscribe(() => changes++);
    store.getState().devicesListed(structuredClone(lists));
    expect(changes).toBe(0);
    store.getState().devicesListed({ ...lists, microphones: [...lists.microphones, { deviceId: 'usb', label: 'USB microphone' }] });
    expect(changes).toBe(1);
    expect(store.getState().microphones.map((m) => m.label)).toEqual(['Default', 'USB microphone']);
  });
});
