import { PROTOCOL_VERSION, type SessionHello } from '@parley/protocol';
import type { GreetedSocket, WebSocketLike } from '@parley/mesh';

/** WebSocket.OPEN; readable without the DOM constant, for tests. */
const OPEN = 1;

/** Frames a greeted socket keeps for the engine: its welcome, and room for an error or two. More means something is wrong: it is closed. */
const MAX_HEARD = 8;

type SocketFactory = (url: string) => WebSocketLike;

/**
 * A signaling socket opened while the user is still on the join form, so
 * that pressing Join costs no TCP and WebSocket handshake, and, once a name
 * is typed, no `session.hello` round trip either: the socket says hello
 * under the name typed so far (the engine's `room.join` names the final
 * one) and keeps the welcome for the engine (see GreetedSocket). The
 * engine's first socket is this one when it is still usable. A socket that
 * never says hello is closed by the server after its handshake timeout; the
 * form warms a new one on the next keystroke or focus. A greeted one stays
 * open (the server's pings keep it) until Join takes it or the page goes.
 * One socket at most.
 */
export class SignalingWarmup {
  private socket: WebSocketLike | undefined;
  private url: string | undefined;
  /** The name to say hello under once the socket is open; set once a valid name was typed. */
  private helloName: string | undefined;
  private greeted = false;
  private heard: string[] = [];

  constructor(private readonly open: SocketFactory) {}

  /**
   * Opens a socket to `url` unless one is already open or opening, and says
   * hello under `displayName` (trimmed, valid) when given and not said yet.
   */
  warm(url: string, displayName?: string): void {
    if (!this.socket || this.url !== url || this.socket.readyState > OPEN) this.replace(url);
    if (displayName !== undefined) this.helloName = displayName;
    this.greet();
  }

  /** The warm socket for `url` if it has said hello and is open; it is the caller's from now on. */
  takeGreeted(url: string): GreetedSocket | undefined {
    const socket = this.socket;
    if (!socket || !this.greeted || this.url !== url || socket.readyState !== OPEN) return undefined;
    const received = this.heard;
    this.release();
    return { socket, received };
  }

  /** The warm socket for `url` if it is still opening or open and has said nothing; it is the caller's from now on. */
  take(url: string): WebSocketLike | undefined {
    const socket = this.socket;
    if (!socket) return undefined;
    if (this.greeted || this.url !== url || socket.readyState > OPEN) {
      // Greeted as someone new: no use to a caller that says hello itself (with a resume token).
      this.discard();
      return undefined;
    }
    this.release();
    return socket;
  }

  private replace(url: string): void {
    this.discard();
    const socket = this.open(url);
    socket.onopen = () => this.greet();
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string' || this.heard.length >= MAX_HEARD) return this.discard();
      this.heard.push(event.data);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.forget();
    };
    socket.onerror = () => undefined;
    this.socket = socket;
    this.url = url;
  }

  private greet(): void {
    const socket = this.socket;
    if (this.greeted || this.helloName === undefined || !socket || socket.readyState !== OPEN) return;
    const hello: SessionHello = { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName: this.helloName };
    socket.send(JSON.stringify(hello));
    this.greeted = true;
  }

  /** Hands the socket over: none of our handlers stay on it. */
  private release(): void {
    const socket = this.socket;
    this.forget();
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  private discard(): void {
    const socket = this.socket;
    this.release();
    if (socket && socket.readyState <= OPEN) socket.close();
  }

  private forget(): void {
    this.socket = undefined;
    this.greeted = false;
    this.heard = [];
  }
}
