import { FakeClock } from '@parley/mesh/testing';
import { startChatController } from '../../features/chat';
import type { MicrophoneWarmup } from '../../features/voice/microphone-warmup';
import { memoryStorage } from '../browser-storage';
import type { Engine } from '../engine';
import type { Invitation } from '../invite-link';
import { OwnerKeys } from '../owner-keys';
import { createAppStore, type AppStore } from '../store';
import { SessionMemory } from '../stored-session';
import { VoiceSession } from '../voice-session';
import { FakeEngine, fakeStream } from './fake-engine';
import { fakeStorage, type FakeStorage } from './fake-storage';

// A VoiceSession over fakes: engines, microphone requests and navigation are recorded for the test.

export type Deferred<T> = { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void };
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The chat controller with a clock and storage the test owns. */
export function fakeChat(clock = new FakeClock(), chatStorage = memoryStorage()) {
  let ids = 0;
  return (engine: Engine['chat'], store: AppStore) =>
    startChatController({ engine, store, clock, storage: chatStorage, newClientId: () => `mine-${String(++ids).padStart(5, '0')}` });
}

export type SetupOptions = {
  microphoneAllowed?: boolean;
  warmup?: MicrophoneWarmup;
  /** This browser's localStorage (owner keys); shared by setups that stand for the same browser. */
  local?: FakeStorage;
  invitation?: Invitation;
};

export function setup(storage: FakeStorage = fakeStorage(), options: SetupOptions = {}) {
  const local = options.local ?? fakeStorage();
  const store = createAppStore();
  const engines: FakeEngine[] = [];
  const requests: Deferred<MediaStream>[] = [];
  const paths: string[] = [];
  const session = new VoiceSession({
    store,
    createEngine: ({ displayName, resumeToken }) => {
      const engine = new FakeEngine(displayName, resumeToken);
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
    memory: new SessionMemory(storage),
    startChat: fakeChat(),
    ownerKeys: new OwnerKeys(local),
    ...(options.microphoneAllowed === undefined ? {} : { microphoneAllowed: async () => options.microphoneAllowed ?? false }),
    ...(options.warmup === undefined ? {} : { microphoneWarmup: options.warmup }),
    ...(options.invitation === undefined ? {} : { invitation: options.invitation }),
  });
  return { store, engines, requests, paths, session, storage, local };
}

/** Joins 'friday' as Ada with the microphone granted; returns the engine that was created. */
export async function joinWithMic(t: ReturnType<typeof setup>): Promise<FakeEngine | undefined> {
  const joining = t.session.join('friday', 'Ada');
  t.requests[0]?.resolve(fakeStream().stream);
  await joining;
  return t.engines[0];
}

export const welcome = (userId: string, resumeToken: string) => ({ userId, resumeToken, resumed: false });

/** Join friday as Ada and get a session from the server; returns what a reload would start from. */
export async function joinedAsAda() {
  const setup1 = setup();
  await joinWithMic(setup1);
  setup1.engines[0]?.emit('sessionStarted', welcome('u1', 'token-1'));
  return setup1;
}

