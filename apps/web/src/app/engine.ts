import { RoomClient, browserEnvironment, type WebSocketLike } from '@parley/mesh';
import type { ChatEngine } from '../features/chat/chat-controller';
import { openMicrophoneMeter } from '../features/voice/microphone-meter';
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

/** The join form calls this as the user starts on it: Join then finds the socket open. */
export function warmUpSignaling(): void {
  warmup.warm(signalingUrl(window.location));
}

export function createBrowserEngine({ displayName, resumeToken }: EngineOptions): Engine {
  const env = browserEnvironment({ createLevelMeter: openMicrophoneMeter });
  const openSocket = env.createWebSocket;
  return new RoomClient({
    url: signalingUrl(window.location),
    displayName,
    env: { ...env, createWebSocket: (url) => warmup.take(url) ?? openSocket(url) },
    ...(resumeToken === undefined ? {} : { resumeToken }),
  });
}
