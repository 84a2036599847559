import { browserEnvironment, type BrowserLogLevel, type MeshEnvironment, type RoomClient, type SpareConnections, type WebSocketLike } from '@parley/mesh';
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

/** Connections people on the form make ahead: one per member of a room of six. */
const FORM_SPARES = 5;

/** The page's connections made ahead (SpareConnections), shared by the form and every engine it starts. */
let spares: SpareConnections | undefined;

function pageSpares(code: EngineCode, env: MeshEnvironment): SpareConnections | undefined {
  if (typeof RTCPeerConnection !== 'function') return undefined;
  spares ??= new code.SpareConnections({
    createPeerConnection: env.createPeerConnection,
    logger: env.logger,
    // Only when the page truly has nothing to do: never ahead of a frame, a click or a signal.
    whenIdle: (work) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => work()) : setTimeout(work, 0)),
  });
  return spares;
}

/**
 * The join form's microphone is open (or changed): make a room of six's
 * connections while the user is still on the form, carrying that track as
 * Join will, so that Join's links start with the members' offers instead of
 * making their connections first. A newcomer answers the members (its user id
 * is the later one: see the mesh's isPolite). Unused ones are closed once the
 * links are made.
 */
export function prepareConnections(track: MediaStreamTrack | undefined): void {
  if (!track) return; // Join took it (its engine keeps what fits), or it closed: nothing new to make.
  loadEngineCode().then(
    (code) =>
      pageSpares(code, browserEnvironment({ logLevel: engineLogLevel() }))?.want({
        polite: true,
        track,
        count: FORM_SPARES,
        configuration: code.toRtcConfiguration({ iceServers: [], iceTransportPolicy: 'all' }),
      }),
    () => {
      // Join fetches it again and says so if it still fails.
    },
  );
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
  const create = (code: EngineCode): Engine => {
    const spares = pageSpares(code, env);
    return new code.RoomClient({
      url: signalingUrl(window.location),
      displayName,
      env: { ...env, takeGreetedSocket: (url) => warmup.takeGreeted(url), createWebSocket: (url) => warmup.take(url) ?? openSocket(url) },
      ...(resumeToken === undefined ? {} : { resumeToken }),
      ...(spares === undefined ? {} : { spares }),
    });
  };
  if (loadedEngineCode) return create(loadedEngineCode);
  return deferredEngine(loadEngineCode().then(create), onFailed);
}
