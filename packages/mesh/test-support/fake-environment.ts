import type { MeshEnvironment, WebSocketLike } from '../src/environment';
import { FakeClock } from './fake-clock';
import type { FakeSignalServer } from './fake-signal-server';
import { FakeWebSocket } from './fake-websocket';
import { InertPeerConnection } from './inert-peer-connection';
import { testLogger } from './test-logger';

export type FakeEnvironmentOptions = {
  /** Sockets go to this in-memory server instead of being driven by hand. */
  server?: FakeSignalServer;
  /** Share one clock between several engines. */
  clock?: FakeClock;
};

/** An environment with a fake clock, hand-driven sockets (or a fake server) and inert peer connections. */
export function fakeEnvironment(options: FakeEnvironmentOptions = {}) {
  const clock = options.clock ?? new FakeClock();
  const sockets: FakeWebSocket[] = [];
  const serverSockets: WebSocketLike[] = [];
  const peerConnections: InertPeerConnection[] = [];
  const logger = testLogger();
  const env: MeshEnvironment = {
    createWebSocket: (url) => {
      if (options.server) {
        const socket = options.server.connect();
        serverSockets.push(socket);
        return socket;
      }
      const socket = new FakeWebSocket(url);
      sockets.push(socket);
      return socket;
    },
    createPeerConnection: () => {
      const pc = new InertPeerConnection();
      peerConnections.push(pc);
      return pc;
    },
    createMediaStream: () => {
      throw new Error('this test has no WebRTC');
    },
    clock,
    logger,
    random: () => 0,
  };
  /** The socket opened most recently. */
  const socket = (): FakeWebSocket => {
    const last = sockets.at(-1);
    if (!last) throw new Error('no socket was opened');
    return last;
  };
  return { env, clock, sockets, serverSockets, socket, logger, peerConnections };
}
