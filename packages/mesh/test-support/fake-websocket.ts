import { type ClientMessage, encodeMessage, parseClientMessage, type ServerMessage } from '@parley/protocol';
import type { WebSocketLike } from '../src/environment';

/**
 * A WebSocketLike driven by hand from a test: the test plays the server with
 * open(), receive() and drop(), and reads what the client sent.
 */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: socket is not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.readyState = 3;
    this.closedWith = { code, reason };
  }

  /** The client messages sent so far, parsed as the server would. */
  get sentMessages(): ClientMessage[] {
    return this.sent.map((frame) => {
      const result = parseClientMessage(frame);
      if (!result.ok) throw new Error(`client sent an invalid frame: ${result.message}`);
      return result.value;
    });
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(message: ServerMessage | string): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : encodeMessage(message) });
  }

  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}
