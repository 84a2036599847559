import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerMessage } from '@parley/protocol';

const NEXT_TIMEOUT_MS = 5_000;

/**
 * A bare WebSocket client speaking the wire protocol, for what a browser page
 * would never send: frames from non-members, malformed and oversized frames.
 */
export class RawClient {
  readonly received: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  closeCode: number | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(String(data)) as ServerMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** The session.welcome this client received. */
  welcome!: Extract<ServerMessage, { type: 'session.welcome' }>;

  static async connect(port: number, displayName = 'Mallory', resumeToken?: string): Promise<RawClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const client = new RawClient(socket);
    client.send({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName, ...(resumeToken ? { resumeToken } : {}) });
    client.welcome = await client.next((m): m is Extract<ServerMessage, { type: 'session.welcome' }> => m.type === 'session.welcome');
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (received from now on or already waiting) that matches. */
  async next<T extends ServerMessage>(match: (m: ServerMessage) => m is T): Promise<T>;
  async next(match: (m: ServerMessage) => boolean): Promise<ServerMessage>;
  async next(match: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    const deadline = Date.now() + NEXT_TIMEOUT_MS;
    for (;;) {
      const index = this.received.findIndex(match);
      if (index >= 0) return this.received.splice(index, 1)[0] as ServerMessage;
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a server message');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async closed(): Promise<number> {
    if (this.closeCode !== undefined) return this.closeCode;
    await new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    return this.closeCode ?? 0;
  }

  close(): void {
    this.socket.close();
  }
}
