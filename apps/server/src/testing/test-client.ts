import {
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type ServerMessageType,
  type SessionWelcome,
} from '@parley/protocol';
import { WebSocket } from 'ws';

type Waiter = { match: (message: ServerMessage) => boolean; resolve: (message: ServerMessage) => void };
export type Closed = { code: number; reason: string };
export type ConnectOptions = { autoPong?: boolean; resumeToken?: string };

const WAIT_MS = 3_000;

/**
 * A signaling client for integration tests. Every frame it receives must parse
 * as a ServerMessage. `next()` resolves with the first unconsumed message that
 * matches, waiting for it if it has not arrived yet; nothing ever sleeps.
 */
export class TestClient {
  private readonly inbox: ServerMessage[] = [];
  private waiters: Waiter[] = [];
  readonly closed: Promise<Closed>;
  userId = '';
  /** The latest session.welcome; its resumeToken brings this participant back on a new socket. */
  welcome: SessionWelcome | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => this.receive(String(data), isBinary));
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    socket.on('error', () => {}); // surfaces as a close code
  }

  static open(url: string, options: { autoPong?: boolean } = {}): Promise<TestClient> {
    const socket = new WebSocket(url, { autoPong: options.autoPong ?? true });
    const client = new TestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Opens a socket and completes the handshake, resuming a session when given its token. */
  static async connect(url: string, displayName: string, options: ConnectOptions = {}): Promise<TestClient> {
    const client = await TestClient.open(url, options);
    await client.hello(displayName, options.resumeToken === undefined ? {} : { resumeToken: options.resumeToken });
    return client;
  }

  async hello(displayName: string, options: { protocolVersion?: number; resumeToken?: string } = {}): Promise<SessionWelcome> {
    const { protocolVersion = PROTOCOL_VERSION, resumeToken } = options;
    this.send({ type: 'session.hello', protocolVersion, displayName, ...(resumeToken === undefined ? {} : { resumeToken }) });
    const welcome = await this.next('session.welcome');
    this.welcome = welcome;
    this.userId = welcome.userId;
    return welcome;
  }

  /** The token from the latest welcome. */
  get resumeToken(): string {
    if (!this.welcome) throw new Error('no session.welcome yet');
    return this.welcome.resumeToken;
  }

  send(message: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data, { binary: typeof data !== 'string' });
  }

  /** The next unconsumed message of `type` that satisfies `where`, within `waitMs` (3 s unless told). */
  next<T extends ServerMessageType>(
    type: T,
    where: (message: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    waitMs = WAIT_MS,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const match = (m: ServerMessage): boolean => m.type === type && where(m as Extract<ServerMessage, { type: T }>);
    return this.take(match, `a ${type}`, waitMs) as Promise<Extract<ServerMessage, { type: T }>>;
  }

  /** The next unconsumed message of any of `types`, in arrival order across them, within `waitMs` (3 s unless told). */
  nextOf<T extends ServerMessageType>(types: readonly T[], waitMs = WAIT_MS): Promise<Extract<ServerMessage, { type: T }>> {
    const wanted: readonly ServerMessageType[] = types;
    return this.take((m) => wanted.includes(m.type), `a ${types.join(' or ')}`, waitMs) as Promise<Extract<ServerMessage, { type: T }>>;
  }

  nextError(code: string): Promise<Extract<ServerMessage, { type: 'error' }>> {
    return this.next('error', (m) => m.code === code);
  }

  /**
   * A round trip through the server: everything the server sent this client
   * before answering is in the inbox afterwards. A WebSocket ping, not a bad
   * frame, so it does not count against the server's bad-frame limit: ws
   * handles frames in order and answers the ping after the message handlers
   * of earlier frames have run (and written their replies).
   */
  async sync(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.socket.once('pong', () => resolve());
      this.socket.ping();
    });
  }

  /** Messages received and not yet consumed by next(). */
  unread(): ServerMessage[] {
    return [...this.inbox];
  }

  close(): void {
    this.socket.close(1000);
  }

  private take(match: (m: ServerMessage) => boolean, what: string, waitMs = WAIT_MS): Promise<ServerMessage> {
    const index = this.inbox.findIndex(match);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as ServerMessage);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${what} within ${waitMs} ms; unread: ${JSON.stringify(this.inbox)}`));
      }, waitMs);
      this.waiters.push(waiter);
    });
  }

  private receive(text: string, isBinary: boolean): void {
    const parsed = parseServerMessage(text);
    if (isBinary || !parsed.ok) throw new Error(`server sent a frame outside the protocol: ${text}`);
    const waiter = this.waiters.find((w) => w.match(parsed.value));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(parsed.value);
    } else {
      this.inbox.push(parsed.value);
    }
  }
}
