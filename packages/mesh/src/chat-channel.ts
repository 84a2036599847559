import { assertNever, type ChatMessage, type ChatSend, type ErrorCode, type RoomId, type UserId } from '@parley/protocol';
import { Emitter } from './emitter';
import type { Logger } from './environment';
import type { ChatServerMessage, SessionClient } from './session-client';

/** The server refused one of our messages (`clientId`); `retryAfterMs` when it was a rate limit. */
export type ChatRejection = { clientId: string; code: ErrorCode; message: string; retryAfterMs?: number };

export type HistoryBounds = { afterSeq?: number; beforeSeq?: number; limit?: number };

export type ChatEvents = {
  /**
   * The room chat can be sent to and read from now (the session is up and
   * its roster current), or undefined when it cannot. Fires on every
   * (re)join and resumed session: the moment to catch up and resend.
   */
  readyChanged: { roomId: RoomId; selfId: UserId } | { roomId: undefined };
  /** Our own chat message is stored (also the answer to a resend). */
  messageAcked: { message: ChatMessage };
  /** Someone else's chat message. */
  messageReceived: { message: ChatMessage };
  /** The answer to `requestHistory`, naming the request it answers. */
  historyReceived: { requestId: number; roomId: RoomId; messages: ChatMessage[]; hasMore: boolean };
  /** The server could not answer a history request: ask again when ready. */
  historyFailed: { requestId: number };
  messageRejected: ChatRejection;
  typingReceived: { roomId: RoomId; userId: UserId };
  /** The room's owner deleted its history: forget every message of it. */
  historyCleared: { roomId: RoomId };
};

/**
 * The chat's wire, on the session client: send (the caller keeps the outbox
 * and resends: nothing is queued here), history pages matched to their
 * requests by id, typing, and the one readiness signal the caller needs.
 */
export class ChatChannel {
  private readonly emitter: Emitter<ChatEvents>;
  private nextRequestId = 1;
  private readyRoom: RoomId | undefined;

  constructor(
    private readonly session: SessionClient,
    logger: Logger,
  ) {
    this.emitter = new Emitter((name, error) => logger.error({ event: String(name), error: String(error) }, 'chat listener threw'));
    const check = () => this.checkReady();
    session.on('connectionStateChanged', check);
    session.on('roomLeft', check);
    // A roster (on joining, and after every reconnect) is when the server and we agree on the room again.
    session.on('roomJoined', () => {
      this.readyRoom = undefined;
      check();
    });
    session.on('chatMessage', (message) => this.onMessage(message));
  }

  on<K extends keyof ChatEvents>(name: K, listener: (payload: ChatEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  /** Sends now or not at all (false: not ready, or the socket is going). */
  send(message: Omit<ChatSend, 'type'>): boolean {
    return this.session.trySend({ type: 'chat.send', ...message });
  }

  /** Asks for a page of history; returns the request id its answer will carry, or undefined when it could not go out. */
  requestHistory(roomId: RoomId, bounds: HistoryBounds): number | undefined {
    const requestId = this.nextRequestId;
    if (!this.session.trySend({ type: 'chat.history', roomId, requestId, ...bounds })) return undefined;
    this.nextRequestId = (this.nextRequestId % 2 ** 31) + 1;
    return requestId;
  }

  sendTyping(roomId: RoomId): boolean {
    return this.session.trySend({ type: 'chat.typing', roomId });
  }

  private checkReady(): void {
    const roomId = this.session.readyRoomId;
    const selfId = this.session.selfId;
    if (roomId === this.readyRoom) return;
    this.readyRoom = roomId;
    this.emitter.emit('readyChanged', roomId === undefined || selfId === undefined ? { roomId: undefined } : { roomId, selfId });
  }

  private onMessage(message: ChatServerMessage): void {
    switch (message.type) {
      case 'chat.ack':
        this.emitter.emit('messageAcked', { message: message.message });
        return;
      case 'chat.message':
        this.emitter.emit('messageReceived', { message: message.message });
        return;
      case 'chat.history':
        // A page without an id answers a request this channel did not make.
        if (message.requestId === undefined) return;
        this.emitter.emit('historyReceived', {
          requestId: message.requestId,
          roomId: message.roomId,
          messages: message.messages,
          hasMore: message.hasMore,
        });
        return;
      case 'chat.typing':
        this.emitter.emit('typingReceived', { roomId: message.roomId, userId: message.userId });
        return;
      case 'chat.cleared':
        this.emitter.emit('historyCleared', { roomId: message.roomId });
        return;
      case 'error':
        this.onError(message);
        return;
      default:
        assertNever(message, 'chat message');
    }
  }

  private onError(message: Extract<ChatServerMessage, { type: 'error' }>): void {
    if (message.ref === undefined) return;
    if (message.inReplyTo === 'chat.history') {
      const requestId = Number(message.ref);
      if (Number.isInteger(requestId)) this.emitter.emit('historyFailed', { requestId });
      return;
    }
    this.emitter.emit('messageRejected', {
      clientId: message.ref,
      code: message.code,
      message: message.message,
      ...(message.retryAfterMs === undefined ? {} : { retryAfterMs: message.retryAfterMs }),
    });
  }
}
