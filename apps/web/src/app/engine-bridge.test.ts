import { MeshError } from '@parley/mesh';
import type { Participant } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { selectParticipants } from '../features/room/room-slice';
import { RemoteStreams } from '../features/voice/remote-streams';
import { bridgeEngine, sessionErrorOf } from './engine-bridge';
import { selectIsOwner, selectSilencedSelf, selectVisibleErrors } from './selectors';
import { createAppStore } from './store';
import { FakeEngine } from './testing/fake-engine';

const ada: Participant = { userId: 'u1', displayName: 'Ada', presence: 'online', muted: false, deafened: false };
const grace: Participant = { userId: 'u2', displayName: 'Grace', presence: 'online', muted: false, deafened: false };

describe('engine bridge', () => {
  it('turns engine events into the roster a user sees', () => {
    const store = createAppStore();
    const engine = new FakeEngine('Ada');
    bridgeEngine(engine, store, new RemoteStreams());
    store.getState().roomJoining('friday');

    engine.emit('connectionStateChanged', { from: 'idle', to: 'connected' });
    engine.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada] });
    engine.emit('peerJoined', { participant: grace });
    engine.emit('peerUpdated', { participant: { ...grace, muted: true } });
    engine.emit('speakingChanged', { userId: 'u1', speaking: true });
    engine.emit('linkStateChanged', { userId: 'u2', from: 'connecting', to: 'connected' });

    const state = store.getState();
    expect(state.connection).toBe('connected');
    expect(selectParticipants(state)).toEqual([ada, { ...grace, muted: true }]);
    expect(state.speaking).toEqual({ u1: true });
    expect(state.links).toEqual({ u2: 'connected' });

    engine.emit('peerLeft', { userId: 'u2', reason: 'left' });
    expect(selectParticipants(store.getState())).toEqual([ada]);
  });

  it('keeps the room on screen when the engine has to join it again after a reconnect', () => {
    const store = createAppStore();
    const engine = new FakeEngine('Ada');
    bridgeEngine(engine, store, new RemoteStreams());
    store.getState().roomJoining('friday');
    engine.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada, grace] });
    engine.emit('connectionStateChanged', { from: 'connected', to: 'reconnecting' });
    engine.emit('roomLeft', { roomId: 'friday' });

    expect(store.getState()).toMatchObject({ roomStatus: 'joining', roomId: 'friday', connection: 'reconnecting' });
    expect(selectParticipants(store.getState())).toEqual([ada, grace]);
    engine.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada, grace] });
    expect(store.getState().roomStatus).toBe('joined');
  });

  it("hands each participant's audio to playback as it arrives, and takes it away when they leave", () => {
    const store = createAppStore();
    const engine = new FakeEngine('Ada');
    const streams = new RemoteStreams();
    bridgeEngine(engine, store, streams);
    const stream = { id: 'grace-audio' } as unknown as MediaStream;
    engine.emit('remoteTrack', { userId: 'u2', track: {} as MediaStreamTrack, stream });
    expect(streams.get('u2')?.stream).toBe(stream);
    engine.emit('peerLeft', { userId: 'u2', reason: 'left' });
    expect(streams.get('u2')).toBeUndefined();
  });

  it('keeps engine errors as data the room page can describe', () => {
    const store = createAppStore();
    const engine = new FakeEngine('Ada');
    bridgeEngine(engine, store, new RemoteStreams());
    engine.emit('error', { error: MeshError.signalingRejected('room_full', 'full') });
    expect(selectVisibleErrors(store.getState())).toMatchObject([
      { reason: 'signalingRejected', code: 'room_full', recoverable: true },
    ]);
  });

  it("shows who runs the room and who they muted for everyone, as the server's settings say", () => {
    const store = createAppStore();
    const engine = new FakeEngine('Ada');
    bridgeEngine(engine, store, new RemoteStreams());
    store.getState().roomJoining('friday');
    engine.emit('sessionStarted', { userId: 'u1', resumeToken: 't', resumed: false });
    engine.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada, grace] });
    const settings = { roomId: 'friday', ownerId: 'u1', passwordRequired: true, locked: false, listed: true, silenced: ['u2'] };
    engine.emit('roomSettingsChanged', settings);
    expect(store.getState().roomSettings).toEqual(settings);
    expect(selectIsOwner(store.getState())).toBe(true);
    expect(selectSilencedSelf(store.getState())).toBe(false);

    // The key holder is back: Ada no longer runs the room, and she is the one muted now.
    engine.emit('roomSettingsChanged', { ...settings, ownerId: 'u2', silenced: ['u1'] });
    expect(selectIsOwner(store.getState())).toBe(false);
    expect(selectSilencedSelf(store.getState())).toBe(true);
  });

  it('keeps the invite the owner asked for, for the settings dialog to show', () => {
    const store = createAppStore();
    const engine = new FakeEngine('Ada');
    bridgeEngine(engine, store, new RemoteStreams());
    engine.emit('inviteCreated', { roomId: 'friday', token: 'signed.invite', expiresAt: 1_700_000_000_000 });
    expect(store.getState().roomInvite).toEqual({ roomId: 'friday', token: 'signed.invite', expiresAt: 1_700_000_000_000 });
  });

  it('carries a rate limit\'s wait once the engine reports it', () => {
    const error = MeshError.signalingRejected('rate_limited', 'slow down');
    Object.assign(error.details, { retryAfterMs: 12_000 });
    expect(sessionErrorOf(error)).toMatchObject({ code: 'rate_limited', retryAfterMs: 12_000 });
    expect(sessionErrorOf(MeshError.signalingRejected('rate_limited', 'slow down'))).not.toHaveProperty('retryAfterMs');
  });

  it('stops listening once unbridged', () => {
    const store = createAppStore();
    const engine = new FakeEngine('Ada');
    const unbridge = bridgeEngine(engine, store, new RemoteStreams());
    unbridge();
    engine.emit('connectionStateChanged', { from: 'idle', to: 'connecting' });
    expect(store.getState().connection).toBe('idle');
    expect(engine.listenerCount()).toBe(0);
  });
});
