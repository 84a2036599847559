import { MeshError } from '@parley/mesh';
import { describe, expect, it } from 'vitest';
import { buildChatItems } from '../features/chat';
import { message } from '../features/chat/testing/messages';
import { MicrophoneWarmup } from '../features/voice/microphone-warmup';
import { selectReplaced } from './session-slice';
import { createAppStore } from './store';
import { SessionMemory } from './stored-session';
import { FakeEngine, fakeStream } from './testing/fake-engine';
import { fakeStorage } from './testing/fake-storage';
import { OwnerKeys } from './owner-keys';
import { fakeChat, joinedAsAda, joinWithMic, setup, welcome } from './testing/voice-session-harness';
import { VoiceSession } from './voice-session';

const denied = Object.assign(new Error('denied'), { name: 'NotAllowedError' });

describe('VoiceSession', () => {
  it('says hello to the server while the microphone opens, then goes to the room and joins it', async () => {
    const { store, engines, requests, paths, session, storage } = setup();
    const joining = session.join('friday', 'Ada');
    expect(store.getState().mic).toBe('requesting');
    expect(engines[0]).toMatchObject({ displayName: 'Ada', connected: true, roomId: undefined });
    engines[0]?.emit('sessionStarted', welcome('u1', 'token-1'));
    expect(paths).toEqual([]);
    expect(new SessionMemory(storage).loadFor('friday')).toBeUndefined(); // nothing to rejoin before joining

    const { stream } = fakeStream();
    requests[0]?.resolve(stream);
    await joining;

    expect(paths).toEqual(['/r/friday']);
    expect(store.getState()).toMatchObject({ mic: 'ready', roomStatus: 'joining', roomId: 'friday', displayName: 'Ada' });
    expect(engines).toHaveLength(1);
    expect(engines[0]).toMatchObject({ displayName: 'Ada', connected: true, roomId: 'friday', localStream: stream });
    expect(new SessionMemory(storage).loadFor('friday')).toMatchObject({ resumeToken: 'token-1' });
  });

  it('offers the microphone track to "Your voice level" while in the room, and withdraws it on Leave', async () => {
    const { requests, session } = setup();
    const microphone = session.microphone;
    if (!microphone) throw new Error('the test session has a microphone API');
    const seen: (MediaStreamTrack | undefined)[] = [];
    microphone.subscribe(() => seen.push(microphone.track()));
    const joining = session.join('friday', 'Ada');
    const { stream, tracks } = fakeStream();
    requests[0]?.resolve(stream);
    await joining;
    expect(microphone.track()).toBe(tracks[0]);
    session.leave();
    expect(microphone.track()).toBeUndefined();
    expect(seen).toEqual([tracks[0], undefined]);
  });

  it('with the microphone allowed before, joins while it opens and sends it to the room when it arrives', async () => {
    const { store, engines, requests, paths, session } = setup(fakeStorage(), { microphoneAllowed: true });
    const joining = session.join('friday', 'Ada');
    await Promise.resolve();
    await Promise.resolve();
    expect(paths).toEqual(['/r/friday']);
    expect(engines[0]).toMatchObject({ roomId: 'friday', localStream: null });
    expect(store.getState()).toMatchObject({ mic: 'requesting', roomStatus: 'joining' });
    const { stream } = fakeStream();
    requests[0]?.resolve(stream);
    await joining;
    expect(engines).toHaveLength(1);
    expect(engines[0]).toMatchObject({ roomId: 'friday', localStream: stream });
    expect(store.getState().mic).toBe('ready');
  });

  it('Join takes the microphone opened while the name was typed, without asking for another', async () => {
    const { stream } = fakeStream();
    const warmup = new MicrophoneWarmup({ mayAsk: async () => true, open: async () => stream });
    const t = setup(fakeStorage(), { microphoneAllowed: true, warmup });
    t.session.warmUpMicrophone();
    await new Promise((resolve) => setTimeout(resolve, 0));
    void t.session.join('friday', 'Ada');
    // Joined in the click's own task: nothing waits on a promise first.
    expect(t.requests).toHaveLength(0);
    expect(t.engines[0]).toMatchObject({ roomId: 'friday', localStream: stream });
    expect(t.store.getState().mic).toBe('ready');
    t.session.leave();
  });

  it('a microphone allowed before that fails after all takes us out of the room with an explanation', async () => {
    const { store, engines, requests, session } = setup(fakeStorage(), { microphoneAllowed: true });
    const joining = session.join('friday', 'Ada');
    await Promise.resolve();
    await Promise.resolve();
    expect(engines[0]?.roomId).toBe('friday');
    requests[0]?.reject(Object.assign(new Error('busy'), { name: 'NotReadableError' }));
    await joining;
    expect(engines[0]?.closed).toBe(true);
    expect(store.getState()).toMatchObject({ mic: 'error', micError: { kind: 'busy' }, roomStatus: 'idle' });
  });

  it('stays in the lobby with an explanation when the microphone is refused, and retries', async () => {
    const { store, engines, requests, paths, session } = setup();
    const joining = session.join('friday', 'Ada');
    requests[0]?.reject(denied);
    await joining;

    expect(store.getState()).toMatchObject({ mic: 'error', micError: { kind: 'denied' }, roomStatus: 'idle', connection: 'idle' });
    expect(engines[0]).toMatchObject({ closed: true, roomId: undefined });
    expect(paths).toEqual([]);

    const retrying = session.retryMicrophone();
    requests[1]?.resolve(fakeStream().stream);
    await retrying;
    expect(store.getState()).toMatchObject({ mic: 'ready', roomId: 'friday' });
    expect(engines[1]?.roomId).toBe('friday');
  });

  it('says so when the page has no microphone API at all', async () => {
    const store = createAppStore();
    const session = new VoiceSession({
      store,
      createEngine: ({ displayName }) => new FakeEngine(displayName),
      mediaDevices: undefined,
      navigate: () => {},
      memory: new SessionMemory(undefined),
      startChat: fakeChat(),
      ownerKeys: new OwnerKeys(undefined),
    });
    await session.join('friday', 'Ada');
    expect(store.getState()).toMatchObject({ mic: 'error', micError: { kind: 'insecure' } });
  });

  it('leaving releases the microphone, closes the engine and returns to the lobby', async () => {
    const { store, engines, requests, paths, session } = setup();
    const joining = session.join('friday', 'Ada');
    const { stream, tracks } = fakeStream();
    requests[0]?.resolve(stream);
    await joining;
    session.toggleMute();

    session.leave();

    expect(tracks.map((t) => t.readyState)).toEqual(['ended']);
    expect(engines[0]?.closed).toBe(true);
    expect(paths.at(-1)).toBe('/');
    expect(store.getState()).toMatchObject({ roomStatus: 'idle', mic: 'idle', muted: false, connection: 'idle' });
  });

  it('drops a microphone that arrives after the user gave up', async () => {
    const { engines, requests, session } = setup();
    const joining = session.join('friday', 'Ada');
    session.leave();
    const { stream, tracks } = fakeStream();
    requests[0]?.resolve(stream);
    await joining;
    expect(tracks.map((t) => t.readyState)).toEqual(['ended']);
    expect(engines[0]).toMatchObject({ closed: true, roomId: undefined });
  });

  it('mute and deafen reach the engine the way peers will see them', async () => {
    const t = setup();
    const { session } = t;
    const engine = await joinWithMic(t);

    session.toggleMute();
    expect(engine?.voice).toEqual({ muted: true, deafened: false });
    session.toggleMute();
    session.toggleDeafen();
    expect(engine?.voice).toEqual({ muted: true, deafened: true });
    session.toggleDeafen();
    expect(engine?.voice).toEqual({ muted: false, deafened: false });
  });
});

describe('VoiceSession voice state', () => {
  it('undeafening gives back an earlier mute, and unmuting while deafened undeafens', async () => {
    const t = setup();
    const { session } = t;
    const engine = await joinWithMic(t);

    session.toggleMute();
    session.toggleDeafen();
    session.toggleDeafen();
    expect(engine?.voice).toEqual({ muted: true, deafened: false });

    session.toggleDeafen();
    session.toggleMute();
    expect(engine?.voice).toEqual({ muted: false, deafened: false });
  });
});

describe('VoiceSession with push to talk', () => {
  it('comes into the room muted, however the last visit ended', async () => {
    const t = setup();
    t.store.getState().voiceSettingsChanged({ pushToTalk: true });
    const engine = await joinWithMic(t);
    expect(engine?.voice).toEqual({ muted: true, deafened: false });
    expect(t.store.getState().muted).toBe(true);
  });
});

describe('VoiceSession across a reload', () => {
  it('comes back to the room as the same participant, without asking for a name', async () => {
    const before = await joinedAsAda();
    before.engines[0]?.emit('sessionStarted', welcome('u1', 'token-2'));

    // The reload: a new page with the same tab's storage.
    const after = setup(before.storage);
    const rejoining = after.session.rejoin('friday');
    expect(after.store.getState()).toMatchObject({ rejoiningRoomId: 'friday', mic: 'requesting', displayName: 'Ada' });
    after.requests[0]?.resolve(fakeStream().stream);
    expect(await rejoining).toBe(true);

    expect(after.engines[0]).toMatchObject({ displayName: 'Ada', resumeToken: 'token-2', connected: true, roomId: 'friday' });
    expect(after.store.getState()).toMatchObject({ roomStatus: 'joining', roomId: 'friday' });
  });

  it('does not rejoin a room this tab was never in', async () => {
    const before = await joinedAsAda();
    const after = setup(before.storage);
    expect(await after.session.rejoin('saturday')).toBe(false);
    expect(after.requests).toHaveLength(0);
    expect(after.store.getState().rejoiningRoomId).toBeUndefined();
  });

  it('forgets the identity when you press Leave', async () => {
    const before = await joinedAsAda();
    before.session.leave();
    expect(await setup(before.storage).session.rejoin('friday')).toBe(false);
  });

  it('explains a refused microphone on rejoin and rejoins with Try again', async () => {
    const before = await joinedAsAda();
    const after = setup(before.storage);
    const rejoining = after.session.rejoin('friday');
    after.requests[0]?.reject(denied);
    await rejoining;
    expect(after.store.getState()).toMatchObject({ mic: 'error', micError: { kind: 'denied' }, rejoiningRoomId: 'friday' });

    const retrying = after.session.retryMicrophone();
    after.requests[1]?.resolve(fakeStream().stream);
    await retrying;
    expect(after.engines.at(-1)).toMatchObject({ resumeToken: 'token-1', roomId: 'friday' });
  });
});

describe('VoiceSession when the connection drops', () => {
  it('Retry now reconnects at once while waiting to reconnect', async () => {
    const { store, engines, session } = await joinedAsAda();
    engines[0]?.emit('connectionStateChanged', { from: 'connected', to: 'reconnecting' });
    session.retryNow();
    expect(store.getState().connection).toBe('connecting');
  });

  it('keeps the room on screen while reconnecting', async () => {
    const { store, engines } = await joinedAsAda();
    engines[0]?.emit('roomJoined', {
      roomId: 'friday',
      selfId: 'u1',
      participants: [{ userId: 'u1', displayName: 'Ada', presence: 'online', muted: false, deafened: false }],
    });
    engines[0]?.emit('connectionStateChanged', { from: 'connected', to: 'reconnecting' });
    expect(store.getState()).toMatchObject({ roomStatus: 'joined', roomId: 'friday', mic: 'ready' });
    expect(engines[0]?.closed).toBe(false);
  });

  it('takes the room back from another tab with the same identity and microphone', async () => {
    const { store, engines, session } = await joinedAsAda();
    const first = engines[0];
    first?.emit('roomJoined', {
      roomId: 'friday',
      selfId: 'u1',
      participants: [{ userId: 'u1', displayName: 'Ada', presence: 'online', muted: false, deafened: false }],
    });
    first?.emit('speakingChanged', { userId: 'u1', speaking: true });
    first?.emit('sessionStarted', welcome('u1', 'token-2'));
    first?.emit('connectionStateChanged', { from: 'connected', to: 'closed' });
    first?.emit('error', { error: MeshError.replaced() });
    expect(selectReplaced(store.getState())).toBe(true);
    // This tab stops taking part at once: nothing heard or sent here any more.
    expect(first?.closed).toBe(true);
    expect(store.getState()).toMatchObject({ roomStatus: 'joined', speaking: {}, links: {} });

    session.takeBack();

    expect(first?.closed).toBe(true);
    expect(engines[1]).toMatchObject({ displayName: 'Ada', resumeToken: 'token-2', roomId: 'friday', localStream: first?.localStream });
    expect(selectReplaced(store.getState())).toBe(false);
    expect(store.getState()).toMatchObject({ roomStatus: 'joining', mic: 'ready' });
  });
});

describe('VoiceSession chat', () => {
  const ada = { userId: 'u1', displayName: 'Ada', presence: 'online', muted: false, deafened: false } as const;

  /** Ada is in friday and the server has answered her first history request. */
  async function inFridayWithHistory() {
    const setup1 = await joinedAsAda();
    const engine = setup1.engines[0];
    engine?.emit('connectionStateChanged', { from: 'connecting', to: 'connected' });
    engine?.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada] });
    engine?.chat.emit('historyReceived', {
      requestId: engine.chat.lastRequestId,
      roomId: 'friday',
      messages: [message(1, { roomId: 'friday', text: 'earlier' })],
      hasMore: false,
    });
    const texts = () => buildChatItems(setup1.store.getState().chat).map((item) => (item.kind === 'message' ? item.message.text : `${item.entry.text} [pending]`));
    return { ...setup1, engine, texts };
  }

  it('loads the room history on joining and sends what Ada writes, pending until the server stores it', async () => {
    const { session, engine, texts } = await inFridayWithHistory();
    expect(engine?.chatWire).toContainEqual({ type: 'chat.history', roomId: 'friday', requestId: expect.any(Number), limit: expect.any(Number) });

    expect(session.chat.send('  hello  ')).toBe(true);
    expect(texts()).toEqual(['earlier', 'hello [pending]']);
    const sent = engine?.chatWire.find((frame) => frame.type === 'chat.send');
    expect(sent).toMatchObject({ roomId: 'friday', text: 'hello' });

    engine?.chat.emit('messageAcked', {
      message: message(2, { roomId: 'friday', userId: 'u1', displayName: 'Ada', text: 'hello', clientId: sent?.type === 'chat.send' ? sent.clientId : '' }),
    });
    expect(texts()).toEqual(['earlier', 'hello']);
  });

  it('leaving clears the conversation from the screen and stops sending', async () => {
    const { session, store, engine } = await inFridayWithHistory();
    session.leave();
    expect(store.getState().chat.messages).toEqual([]);
    expect(session.chat.send('anyone?')).toBe(false);
    engine?.chat.emit('messageReceived', { message: message(3, { roomId: 'friday', text: 'late' }) });
    expect(store.getState().chat.messages).toEqual([]);
  });

  it("drops the room's messages from the screen when the owner clears the history", async () => {
    const { engine, texts } = await inFridayWithHistory();
    engine?.chat.emit('historyCleared', { roomId: 'friday' });
    expect(texts()).toEqual([]);
    engine?.chat.emit('messageReceived', { message: message(2, { roomId: 'friday', text: 'a fresh start' }) });
    expect(texts()).toEqual(['a fresh start']);
  });

  it('keeps the conversation when another tab takes over and when this tab takes it back', async () => {
    const { session, store, engines, texts } = await inFridayWithHistory();
    engines[0]?.emit('error', { error: MeshError.replaced() });
    expect(texts()).toEqual(['earlier']);
    // The closed engine no longer speaks for the chat.
    engines[0]?.chat.emit('messageReceived', { message: message(2, { roomId: 'friday', text: 'from the old engine' }) });
    expect(texts()).toEqual(['earlier']);

    session.takeBack();
    const next = engines[1];
    next?.emit('connectionStateChanged', { from: 'connecting', to: 'connected' });
    next?.emit('roomJoined', { roomId: 'friday', selfId: 'u1', participants: [ada] });
    next?.chat.emit('messageReceived', { message: message(3, { roomId: 'friday', text: 'welcome back' }) });
    expect(texts()).toEqual(['earlier', 'welcome back']);
    expect(store.getState().chat.roomId).toBe('friday');
  });
});
