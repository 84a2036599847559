import { type ChatEvents, Emitter, type HistoryBounds } from '@parley/mesh';
import type { ChatMessage, ChatSend, ErrorCode, RoomId, UserId } from '@parley/protocol';
import type { ChatEngine } from '../chat-controller';

/**
 * Stands in for the engine and, behind it, the server's chat: a room log with
 * seqs and clientId dedupe. It records every frame the client put on the wire,
 * and the test decides when answers arrive (`deliverAll`) or the link drops.
 */
export class FakeChatServer implements ChatEngine {
  // A listener that throws fails the test.
  private readonly events = new Emitter<ChatEvents>((_name, error) => {
    throw error;
  });
  readonly on = this.events.on.bind(this.events);
  readonly emit = this.events.emit.bind(this.events);
  /** The room's stored messages, by seq. */
  readonly log: ChatMessage[] = [];
  /** Every chat frame the client sent while up. */
  readonly wire: Array<{ type: 'chat.send'; clientId: string; text: string } | { type: 'chat.history'; request: HistoryBounds } | { type: 'chat.typing' }> = [];
  /** Answers waiting to be delivered, in order. */
  private outbound: Array<() => void> = [];
  up = false;
  /** In the room: live messages reach us. */
  joined = false;
  /** The next `chat.send` is refused with this. */
  rejectNext: { code: ErrorCode; message: string; retryAfterMs?: number } | undefined;

  constructor(
    readonly roomId: RoomId,
    readonly selfId: UserId,
    private readonly now: () => number,
  ) {}

  /** The session comes up and the room's roster arrives, as after connect or any reconnect (resumed or not). */
  connectAndJoin(): void {
    this.up = true;
    this.joined = true;
    this.emit('readyChanged', { roomId: this.roomId, selfId: this.selfId });
  }

  /** The socket is back but the room is not (yet): a fresh session that must join again. */
  connectWithoutRoom(): void {
    this.up = true;
    this.joined = false;
  }

  /** The socket drops: answers not yet delivered are lost. */
  drop(): void {
    this.up = false;
    this.joined = false;
    this.outbound = [];
    this.emit('readyChanged', { roomId: undefined });
  }

  /** Someone else's message: stored, and delivered live if we are in the room. */
  postFromOther(userId: UserId, text: string): ChatMessage {
    const message = this.store({ clientId: `other-${this.log.length + 1}-xxxxxx`, text }, userId, 'Other');
    if (this.joined) this.outbound.push(() => this.emit('messageReceived', { message }));
    return message;
  }

  deliverAll(): void {
    while (this.outbound.length > 0) this.outbound.shift()?.();
  }

  send(message: Omit<ChatSend, 'type'>): boolean {
    if (!this.up) return false;
    this.wire.push({ type: 'chat.send', clientId: message.clientId, text: message.text });
    const rejection = this.rejectNext;
    if (rejection !== undefined) {
      this.rejectNext = undefined;
      this.outbound.push(() => this.emit('messageRejected', { clientId: message.clientId, ...rejection }));
      return true;
    }
    const existing = this.log.find((m) => m.clientId === message.clientId);
    const stored = existing ?? this.store(message, this.selfId, 'Me');
    this.outbound.push(() => this.emit('messageAcked', { message: stored }));
    return true;
  }

  private nextRequestId = 1;

  requestHistory(_roomId: RoomId, request: HistoryBounds): number | undefined {
    if (!this.up) return undefined;
    const requestId = this.nextRequestId++;
    this.wire.push({ type: 'chat.history', request });
    const limit = request.limit ?? 50;
    let messages: ChatMessage[];
    let hasMore: boolean;
    if (request.afterSeq !== undefined) {
      const after = this.log.filter((m) => m.seq > (request.afterSeq ?? 0));
      messages = after.slice(0, limit);
      hasMore = after.length > limit;
    } else {
      const before = this.log.filter((m) => request.beforeSeq === undefined || m.seq < request.beforeSeq);
      messages = before.slice(-limit);
      hasMore = before.length > limit;
    }
    this.outbound.push(() => this.emit('historyReceived', { requestId, roomId: this.roomId, messages, hasMore }));
    return requestId;
  }

  sendTyping(): boolean {
    if (!this.up) return false;
    this.wire.push({ type: 'chat.typing' });
    return true;
  }

  /** Texts of the messages the room holds, in seq order: what every member will read. */
  texts(): string[] {
    return this.log.map((m) => m.text);
  }

  private store(message: { clientId: string; text: string }, userId: UserId, displayName: string): ChatMessage {
    const stored: ChatMessage = {
      roomId: this.roomId,
      seq: this.log.length + 1,
      clientId: message.clientId,
      userId,
      displayName,
      text: message.text,
      sentAt: this.now(),
    };
    this.log.push(stored);
    return stored;
  }
}
