import type { Participant } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../app/store';
import { selectRemoteIds } from '../../app/selectors';
import { selectLinkForming, selectParticipants } from './room-slice';

const person = (userId: string, displayName: string, extra: Partial<Participant> = {}): Participant => ({
  userId,
  displayName,
  presence: 'online',
  muted: false,
  deafened: false,
  ...extra,
});

const ada = person('u1', 'Ada');
const grace = person('u2', 'Grace');
const linus = person('u3', 'Linus');

function joinedStore() {
  const store = createAppStore();
  store.getState().sessionStarted('u1');
  store.getState().roomJoining('friday');
  store.getState().roomJoined({ roomId: 'friday', participants: [ada, grace] });
  return store;
}

const names = (store: ReturnType<typeof createAppStore>) =>
  selectParticipants(store.getState()).map((p) => p.displayName);

describe('room slice', () => {
  it('shows the roster from room.joined, you included, in join order', () => {
    const store = joinedStore();
    expect(names(store)).toEqual(['Ada', 'Grace']);
    expect(store.getState().roomStatus).toBe('joined');
    expect(store.getState().selfId).toBe('u1');
    expect(selectRemoteIds(store.getState())).toEqual(['u2']);
  });

  it('adds newcomers at the end and never lists anyone twice', () => {
    const store = joinedStore();
    store.getState().peerJoined(linus);
    store.getState().peerJoined(linus);
    store.getState().peerJoined(grace);
    expect(names(store)).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('collapses duplicates inside a roster', () => {
    const store = createAppStore();
    store.getState().roomJoining('friday');
    store.getState().roomJoined({ roomId: 'friday', participants: [ada, grace, { ...grace, muted: true }] });
    expect(selectParticipants(store.getState())).toEqual([ada, { ...grace, muted: true }]);
  });

  it('removes a participant who left, with their speaking and link state', () => {
    const store = joinedStore();
    store.getState().linkChanged('u2', 'connected');
    store.getState().speakingChanged('u2', true);
    store.getState().peerLeft('u2');
    const state = store.getState();
    expect(names(store)).toEqual(['Ada']);
    expect(state.links).toEqual({});
    expect(state.speaking).toEqual({});
  });

  it('shows a mute as it happens, keeping the position in the list', () => {
    const store = joinedStore();
    store.getState().peerUpdated({ ...ada, muted: true });
    expect(selectParticipants(store.getState())).toEqual([{ ...ada, muted: true }, grace]);
  });

  it('does not bring back someone who already left when a late update arrives', () => {
    const store = joinedStore();
    store.getState().peerLeft('u2');
    store.getState().peerUpdated({ ...grace, muted: true });
    expect(names(store)).toEqual(['Ada']);
  });

  it('ignores newcomers once you are out of the room', () => {
    const store = joinedStore();
    store.getState().roomLeft();
    store.getState().peerJoined(linus);
    expect(names(store)).toEqual([]);
    expect(store.getState().roomStatus).toBe('idle');
  });

  it('starts every visit with an empty roster', () => {
    const store = joinedStore();
    store.getState().roomJoining('saturday');
    expect(store.getState().roomId).toBe('saturday');
    expect(names(store)).toEqual([]);
    expect(store.getState().roomStatus).toBe('joining');
  });

  it('forgets a link once it is closed', () => {
    const store = joinedStore();
    store.getState().linkChanged('u2', 'connecting');
    expect(store.getState().links).toEqual({ u2: 'connecting' });
    store.getState().linkChanged('u2', 'closed');
    expect(store.getState().links).toEqual({});
  });
});

describe('room slice across reconnects', () => {
  it('lists someone who is reconnecting once, marked, and unmarks them when they are back', () => {
    const store = joinedStore();
    store.getState().peerUpdated({ ...grace, presence: 'reconnecting' });
    expect(selectParticipants(store.getState())).toEqual([ada, { ...grace, presence: 'reconnecting' }]);
    store.getState().peerUpdated({ ...grace, presence: 'online' });
    expect(selectParticipants(store.getState())).toEqual([ada, grace]);
  });

  it('updates someone who joins again in place, keeping their place, link and voice activity', () => {
    const store = joinedStore();
    store.getState().peerJoined(linus);
    store.getState().linkChanged('u2', 'connected');
    store.getState().speakingChanged('u2', true);
    store.getState().peerJoined({ ...grace, muted: true });
    const state = store.getState();
    expect(selectParticipants(state)).toEqual([ada, { ...grace, muted: true }, linus]);
    expect(state.links).toEqual({ u2: 'connected' });
    expect(state.speaking).toEqual({ u2: true });
  });

  it('a fresh roster replaces the list but keeps link and voice activity of everyone still there', () => {
    const store = joinedStore();
    store.getState().peerJoined(linus);
    for (const userId of ['u2', 'u3']) {
      store.getState().linkChanged(userId, 'connected');
      store.getState().speakingChanged(userId, true);
      store.getState().linkQualityMeasured(userId, { grade: 'good', roundTripMs: 20, path: 'direct' });
    }
    store.getState().roomJoined({ roomId: 'friday', participants: [ada, { ...grace, presence: 'reconnecting' }] });
    const state = store.getState();
    expect(selectParticipants(state)).toEqual([ada, { ...grace, presence: 'reconnecting' }]);
    expect(state.links).toEqual({ u2: 'connected' });
    expect(state.speaking).toEqual({ u2: true });
    expect(state.quality).toEqual({ u2: { grade: 'good', roundTripMs: 20, path: 'direct' } });
  });

  it('announces nothing when a report changes nothing: the same voice activity, the same quality, someone already gone', () => {
    const store = joinedStore();
    store.getState().speakingChanged('u2', true);
    store.getState().linkQualityMeasured('u2', { grade: 'good', roundTripMs: 20, path: 'direct' });
    let changes = 0;
    store.subscribe(() => changes++);
    store.getState().speakingChanged('u2', true);
    store.getState().linkQualityMeasured('u2', { grade: 'good', roundTripMs: 20.3, path: 'direct' });
    store.getState().peerUpdated(linus);
    store.getState().linkQualityMeasured('u3', { grade: 'good', roundTripMs: 20, path: 'direct' });
    expect(changes).toBe(0);
    store.getState().speakingChanged('u2', false);
    expect(changes).toBe(1);
  });

  it('keeps the room and its people on screen while the engine joins it again', () => {
    const store = joinedStore();
    store.getState().speakingChanged('u2', true);
    store.getState().roomInterrupted();
    expect(store.getState()).toMatchObject({ roomStatus: 'joining', roomId: 'friday', speaking: {} });
    expect(names(store)).toEqual(['Ada', 'Grace']);
  });

  it('keeps each link’s quality to the precision shown, for people still in the room', () => {
    const store = joinedStore();
    const changes: unknown[] = [];
    store.subscribe((state, previous) => state.quality !== previous.quality && changes.push(state.quality));
    const measured = { grade: 'good' as const, roundTripMs: 1.234, lossPercent: 0.04, jitterMs: 2.6, path: 'direct' as const, receiveBitrateBps: 33_149 };
    store.getState().linkQualityMeasured('u2', measured);
    store.getState().linkQualityMeasured('u2', { ...measured, roundTripMs: 1.3 });
    store.getState().linkQualityMeasured('u9', measured);
    expect(store.getState().quality).toEqual({
      u2: { grade: 'good', roundTripMs: 1, lossPercent: 0, jitterMs: 3, path: 'direct', receiveBitrateBps: 33_100 },
    });
    expect(changes).toHaveLength(1);
    store.getState().peerLeft('u2');
    expect(store.getState().quality).toEqual({});
  });
});

describe('a link forming', () => {
  it('is said while any link is new or connecting, and not once all are up, down or gone', () => {
    expect(selectLinkForming({ links: {} })).toBe(false);
    expect(selectLinkForming({ links: { bob: 'connected', cleo: 'connecting' } })).toBe(true);
    expect(selectLinkForming({ links: { bob: 'new' } })).toBe(true);
    expect(selectLinkForming({ links: { bob: 'connected', cleo: 'disconnected', dan: 'restarting', eve: 'failed' } })).toBe(false);
  });
});
