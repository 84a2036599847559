import { browserEnvironment, type BrowserLogLevel, type RoomClient, type WebSocketLike } from '@parley/mesh';
import type { ChatEngine } from '../features/chat/chat-controller';
import { openMicrophoneMeter } from '../features/voice/microphone-meter';
import { browserStorage } from './browser-storage';
import { deferredEngine } from './deferred-engine';
import { signalingUrl } from './signaling-url';
import { SignalingWarmup } from './signaling-warmup';

/**
 * What the app needs from the engine; RoomClient is the real one, tests pass
 * a fake. `on` carries the session's and the mesh's events (the bridge maps
 * them into the store); `chat` is the chat channel, driven by the chat controller.
 * The room owner's commands (configureRoom … clearChat) are refused by the
 * server for anyone else.
 */
export type Engine = Pick<
  RoomClient,
  | 'on'
  | 'connect'
  | 'retryNow'
  | 'join'
  | 'setLocalStream'
  | 'setVoice'
  | 'close'
  | 'configureRoom'
  | 'createInvite'
  | 'removeParticipant'
  | 'muteForEveryone'
  | 'clearChat'
> & {
  readonly chat: ChatEngine;
};

export type EngineOptions = { displayName: string; resumeToken?: string };

const warmup = new SignalingWarmup((url) => new WebSocket(url) as unknown as WebSocketLike);

type EngineCode = Awaited<ReturnType<typeof fetchEngineCode>>;

let engineCode: Promise<EngineCode> | undefined;
/** The engine's code once it has arrived: then an engine is made in the same task as the Join click. */
let loadedEngineCode: EngineCode | undefined;
let parsersWarmed = false;

function fetchEngineCode() {
  return import('./room-client');
}

/** The engine's code, fetched once; a failed fetch is tried again by the next caller. */
function loadEngineCode(): Promise<EngineCode> {
  engineCode ??= fetchEngineCode().then(
    (code) => {
      loadedEngineCode = code;
      return code;
    },
    (error: unknown) => {
      engineCode = undefined;
      throw error;
    },
  );
  return engineCode;
}

/**
 * The join form calls this as the user starts on it, with the name typed so
 * far once there is a valid one: Join then finds the socket open and greeted
 * (see SignalingWarmup) and the engine's code loaded.
 */
export function warmUpSignaling(displayName?: string): void {
  warmup.warm(signalingUrl(window.location), displayName);
  loadEngineCode().then(
    (code) => {
      // The join's frames then find their parsers warm (see warmUpParsing), and its links WebRTC started; once per page.
      if (parsersWarmed) return;
      parsersWarmed = true;
      whenIdle(() => {
        code.warmUpParsing();
        warmUpWebRtc();
      });
    },
    () => {
      // Nothing to do yet: Join fetches it again and says so if it still fails.
    },
  );
}

/** Where a developer (or a test) asks for the engine's step-by-step log: localStorage['parley.logLevel'] = 'info' or 'debug'. */
const LOG_LEVEL_KEY = 'parley.logLevel';

function engineLogLevel(): BrowserLogLevel {
  const level = browserStorage('localStorage')?.getItem(LOG_LEVEL_KEY);
  return level === 'debug' || level === 'info' ? level : 'warn';
}

/**
 * A page's first RTCPeerConnection starts WebRTC in it (its threads and
 * factory): measured here, 2.8 ms blocked in the constructor against 1.1 ms
 * for the next one, on an idle machine, and several times that on a busy
 * one. One made and closed while the form is idle takes that off Join's
 * first link.
 */
function warmUpWebRtc(): void {
  if (typeof RTCPeerConnection !== 'function') return;
  try {
    new RTCPeerConnection().close();
  } catch {
    // WebRTC turned off in this browser: Join says so when it needs a link.
  }
}

function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 1_000 });
  else setTimeout(work, 0);
}

/**
 * `onFailed`: the engine's code could not be loaded, or the engine failed to start.
 * Where the join form has already fetched the code (the usual case), the real
 * engine comes back at once, so the Join click's own task says hello and joins
 * on the warm socket: waiting a microtask lets React render the whole room page
 * first, and every signal of the join then waits behind that render.
 */
export function createBrowserEngine({ displayName, resumeToken }: EngineOptions, onFailed: (error: unknown) => void): Engine {
  const env = browserEnvironment({ createLevelMeter: openMicrophoneMeter, logLevel: engineLogLevel() });
  const openSocket = env.createWebSocket;
  const create = ({ RoomClient }: EngineCode): Engine =>
    new RoomClient({
      url: signalingUrl(window.location),
      displayName,
      env: { ...env, takeGreetedSocket: (url) => warmup.takeGreeted(url), createWebSocket: (url) => warmup.take(url) ?? openSocket(url) },
      ...(resumeToken === undefined ? {} : { resumeToken }),
    });
  if (loadedEngineCode) return create(loadedEngineCode);
  return deferredEngine(loadEngineCode().then(create), onFailed);
}
