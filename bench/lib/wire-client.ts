import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerMessage } from '@parley/protocol';

/** A lean protocol client for load: one handler, no buffering of what it receives. */
export class WireClient {
  private constructor(
    private readonly socket: WebSocket,
    readonly userId: string,
  ) {}

  static async connect(port: number, displayName: string, onMessage: (m: ServerMessage) => void): Promise<WireClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const welcome = new Promise<string>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as ServerMessage;
        if (message.type === 'session.welcome') resolve(message.userId);
        else onMessage(message);
      });
    });
    socket.send(JSON.stringify({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, displayName }));
    return new WireClient(socket, await welcome);
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  close(): void {
    this.socket.close();
  }
}
