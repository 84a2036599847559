import { MeshClient, browserEnvironment } from '@parley/mesh';
import { signalingUrl } from './signaling-url';

/** What the app needs from the mesh engine; MeshClient is the real one, tests pass a fake. */
export type Engine = Pick<
  MeshClient,
  | 'on'
  | 'connect'
  | 'retryNow'
  | 'join'
  | 'setLocalStream'
  | 'setVoice'
  | 'close'
  | 'getRemoteStream'
  | 'sendChat'
  | 'requestChatHistory'
  | 'sendTyping'
>;

export type EngineOptions = { displayName: string; resumeToken?: string };

export function createBrowserEngine({ displayName, resumeToken }: EngineOptions): Engine {
  return new MeshClient({
    url: signalingUrl(window.location),
    displayName,
    env: browserEnvironment(),
    ...(resumeToken === undefined ? {} : { resumeToken }),
  });
}
