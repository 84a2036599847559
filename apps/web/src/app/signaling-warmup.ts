import type { WebSocketLike } from '@parley/mesh';

/** WebSocket.OPEN; readable without the DOM constant, for tests. */
const OPEN = 1;

type SocketFactory = (url: string) => WebSocketLike;

/**
 * A signaling socket opened while the user is still on the join form, so
 * that pressing Join costs no TCP and WebSocket handshake: the engine's
 * first socket is this one when it is still usable (SignalClient says hello
 * at once on a socket that is already open). Nothing is said on it before
 * that, so the server closes it after its handshake timeout; the form warms
 * a new one on the next keystroke or focus. One socket at most.
 */
export class SignalingWarmup {
  private socket: WebSocketLike | undefined;
  private url: string | undefined;

  constructor(private readonly open: SocketFactory) {}

  /** Opens a socket to `url` unless one is already open or opening. */
  warm(url: string): void {
    if (this.socket && this.url === url && this.socket.readyState <= OPEN) return;
    this.discard();
    const socket = this.open(url);
    socket.onclose = () => {
      if (this.socket === socket) this.socket = undefined;
    };
    socket.onerror = () => undefined;
    this.socket = socket;
    this.url = url;
  }

  /** The warm socket for `url` if it is still opening or open; it is the caller's from now on. */
  take(url: string): WebSocketLike | undefined {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return undefined;
    if (this.url !== url || socket.readyState > OPEN) {
      socket.close();
      return undefined;
    }
    socket.onclose = null;
    socket.onerror = null;
    return socket;
  }

  private discard(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState <= OPEN) socket.close();
  }
}
