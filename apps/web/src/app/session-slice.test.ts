import { describe, expect, it } from 'vitest';
import { selectVisibleErrors } from './selectors';
import { createAppStore } from './store';

describe('session slice', () => {
  it('follows the connection state', () => {
    const store = createAppStore();
    expect(store.getState().connection).toBe('idle');
    store.getState().connectionChanged('connecting');
    store.getState().connectionChanged('connected');
    expect(store.getState().connection).toBe('connected');
  });

  it('shows the same error once, however often it is raised', () => {
    const store = createAppStore();
    const error = { reason: 'signalingRejected', code: 'rate_limited', recoverable: true, detail: 'x' } as const;
    store.getState().errorRaised(error);
    store.getState().errorRaised(error);
    expect(selectVisibleErrors(store.getState())).toHaveLength(1);
  });

  it('hides a per-peer error once that link is connected again', () => {
    const store = createAppStore();
    store.getState().roomJoining('friday');
    store.getState().roomJoined({
      roomId: 'friday',
      participants: [{ userId: 'u2', displayName: 'Grace', presence: 'online', muted: false, deafened: false }],
    });
    store.getState().errorRaised({ reason: 'iceFailed', peerId: 'u2', recoverable: true, detail: 'no path' });
    expect(selectVisibleErrors(store.getState())).toHaveLength(1);
    store.getState().linkChanged('u2', 'connected');
    expect(selectVisibleErrors(store.getState())).toHaveLength(0);
  });

  it('dismisses an error by id and clears all of them when the session ends', () => {
    const store = createAppStore();
    store.getState().errorRaised({ reason: 'replaced', recoverable: false, detail: 'x' });
    store.getState().errorRaised({ reason: 'unsupportedVersion', recoverable: false, detail: 'y' });
    const [first] = store.getState().errors;
    store.getState().errorDismissed(first?.id ?? -1);
    expect(store.getState().errors.map((e) => e.reason)).toEqual(['unsupportedVersion']);
    store.getState().sessionEnded();
    expect(store.getState().errors).toEqual([]);
  });

  it('keeps quiet about refusals the engine recovers from by itself', () => {
    const store = createAppStore();
    store.getState().errorRaised({ reason: 'signalingRejected', code: 'peer_not_in_room', recoverable: true, detail: 'x' });
    expect(selectVisibleErrors(store.getState())).toEqual([]);
    store.getState().errorRaised({ reason: 'signalingRejected', code: 'room_full', recoverable: true, detail: 'y' });
    expect(selectVisibleErrors(store.getState()).map((e) => e.code)).toEqual(['room_full']);
  });
});
