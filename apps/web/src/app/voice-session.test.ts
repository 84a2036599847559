import { describe, expect, it } from 'vitest';
import { createAppStore } from './store';
import { FakeEngine, fakeStream } from './testing/fake-engine';
import { VoiceSession } from './voice-session';

type Deferred<T> = { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void };
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup() {
  const store = createAppStore();
  const engines: FakeEngine[] = [];
  const requests: Deferred<MediaStream>[] = [];
  const paths: string[] = [];
  const session = new VoiceSession({
    store,
    createEngine: (displayName) => {
      const engine = new FakeEngine(displayName);
      engines.push(engine);
      return engine;
    },
    mediaDevices: {
      getUserMedia: () => {
        const request = deferred<MediaStream>();
        requests.push(request);
        return request.promise;
      },
    },
    navigate: (path) => paths.push(path),
  });
  return { store, engines, requests, paths, session };
}

const denied = Object.assign(new Error('denied'), { name: 'NotAllowedError' });

describe('VoiceSession', () => {
  it('asks for the microphone, then goes to the room and joins it', async () => {
    const { store, engines, requests, paths, session } = setup();
    const joining = session.join('friday', 'Ada');
    expect(store.getState().mic).toBe('requesting');
    expect(engines).toHaveLength(0);

    const { stream } = fakeStream();
    requests[0]?.resolve(stream);
    await joining;

    expect(paths).toEqual(['/r/friday']);
    expect(store.getState()).toMatchObject({ mic: 'ready', roomStatus: 'joining', roomId: 'friday', displayName: 'Ada' });
    expect(engines[0]).toMatchObject({ displayName: 'Ada', connected: true, roomId: 'friday', localStream: stream });
  });

  it('stays in the lobby with an explanation when the microphone is refused, and retries', async () => {
    const { store, engines, requests, paths, session } = setup();
    const joining = session.join('friday', 'Ada');
    requests[0]?.reject(denied);
    await joining;

    expect(store.getState()).toMatchObject({ mic: 'error', micError: { kind: 'denied' }, roomStatus: 'idle' });
    expect(engines).toHaveLength(0);
    expect(paths).toEqual([]);

    const retrying = session.retryMicrophone();
    requests[1]?.resolve(fakeStream().stream);
    await retrying;
    expect(store.getState()).toMatchObject({ mic: 'ready', roomId: 'friday' });
    expect(engines[0]?.roomId).toBe('friday');
  });

  it('says so when the page has no microphone API at all', async () => {
    const store = createAppStore();
    const session = new VoiceSession({ store, createEngine: (name) => new FakeEngine(name), mediaDevices: undefined, navigate: () => {} });
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
    expect(engines).toHaveLength(0);
  });

  it('mute and deafen reach the engine the way peers will see them', async () => {
    const { engines, requests, session } = setup();
    const joining = session.join('friday', 'Ada');
    requests[0]?.resolve(fakeStream().stream);
    await joining;
    const engine = engines[0];

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
    const { engines, requests, session } = setup();
    const joining = session.join('friday', 'Ada');
    requests[0]?.resolve(fakeStream().stream);
    await joining;
    const engine = engines[0];

    session.toggleMute();
    session.toggleDeafen();
    session.toggleDeafen();
    expect(engine?.voice).toEqual({ muted: true, deafened: false });

    session.toggleDeafen();
    session.toggleMute();
    expect(engine?.voice).toEqual({ muted: false, deafened: false });
  });
});
