import type { MeshEnvironment } from '../src/environment';
import { FakeClock } from './fake-clock';
import { FakeWebSocket } from './fake-websocket';
import { InertPeerConnection } from './inert-peer-connection';
import { testLogger } from './test-logger';

/** An environment with a fake clock, hand-driven sockets and inert peer connections. */
export function fakeEnvironment() {
  const clock = new FakeClock();
  const sockets: FakeWebSocket[] = [];
  const peerConnections: InertPeerConnection[] = [];
  const logger = testLogger();
  const env: MeshEnvironment = {
    createWebSocket: (url) => {
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
  return { env, clock, sockets, socket, logger, peerConnections };
}
