import { MeshClient, browserEnvironment } from '@parley/mesh';
import { signalingUrl } from './signaling-url';

/** What the app needs from the mesh engine; MeshClient is the real one, tests pass a fake. */
export type Engine = Pick<
  MeshClient,
  'on' | 'connect' | 'join' | 'setLocalStream' | 'setMuted' | 'setDeafened' | 'close' | 'getRemoteStream'
>;

export function createBrowserEngine(displayName: string): Engine {
  return new MeshClient({ url: signalingUrl(window.location), displayName, env: browserEnvironment() });
}
