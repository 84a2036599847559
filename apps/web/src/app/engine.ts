import { browserEnvironment, type RoomClient, type WebSocketLike } from '@parley/mesh';
import type { ChatEngine } from '../features/chat/chat-controller';
import { openMicrophoneMeter } from '../features/voice/microphone-meter';
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

let engineCode: ReturnType<typeof fetchEngineCode> | undefined;

function fetchEngineCode() {
  return import('./room-client');
}

/** The engine's code, fetched once; a failed fetch is tried again by the next caller. */
function loadEngineCode(): NonNullable<typeof engineCode> {
  engineCode ??= fetchEngineCode().catch((error: unknown) => {
    engineCode = undefined;
    throw error;
  });
  return engineCode;
}

/**
 * The join form calls this as the user starts on it: Join then finds the
 * socket open and the engine's code loaded.
 */
export function warmUpSignaling(): void {
  warmup.warm(signalingUrl(window.location));
  loadEngineCode().catch(() => {
    // Nothing to do yet: Join fetches it again and says so if it still fails.
  });
}

/** `onFailed`: the engine's code could not be loaded, or the engine failed to start. */
export function createBrowserEngine({ displayName, resumeToken }: EngineOptions, onFailed: (error: unknown) => void): Engine {
  const env = browserEnvironment({ createLevelMeter: openMicrophoneMeter });
  const openSocket = env.createWebSocket;
  const engine = loadEngineCode().then(
    ({ RoomClient }) =>
      new RoomClient({
        url: signalingUrl(window.location),
        displayName,
        env: { ...env, createWebSocket: (url) => warmup.take(url) ?? openSocket(url) },
        ...(resumeToken === undefined ? {} : { resumeToken }),
      }),
  );
  return deferredEngine(engine, onFailed);
}
