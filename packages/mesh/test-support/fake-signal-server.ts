import {
  assertNever,
  type ClientMessage,
  encodeMessage,
  parseClientMessage,
  type Participant,
  PROTOCOL_VERSION,
  type RoomId,
  type ServerMessage,
  type UserId,
} from '@parley/protocol';
import type { WebSocketLike } from '../src/environment';

export type FakeSignalServerOptions = {
  /** When false, voice.state is not broadcast, so only the peers' control channel can carry it. */
  relayVoiceState?: boolean;
};

type Connection = {
  socket: InMemorySocket;
  userId: UserId | undefined;
  roomId: RoomId | undefined;
  participant: Participant | undefined;
};

/** The client half of an in-memory socket pair; delivery is asynchronous and ordered. */
class InMemorySocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(private readonly server: { onFrame(socket: InMemorySocket, frame: string): void; onClose(socket: InMemorySocket): void }) {
    queueMicrotask(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.onopen?.({});
    });
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: socket is not open');
    queueMicrotask(() => this.server.onFrame(this, data));
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    queueMicrotask(() => {
      this.server.onClose(this);
      this.onclose?.({ code, reason });
    });
  }

  deliver(message: ServerMessage): void {
    if (this.readyState !== 1) return;
    const frame = encodeMessage(message);
    queueMicrotask(() => {
      if (this.readyState === 1) this.onmessage?.({ data: frame });
    });
  }
}

/**
 * A tiny in-memory signaling server for engine tests: hello/welcome,
 * room.join/joined with peer.joined, peer.signal relay with `from` stamped,
 * voice.state, room.leave. It can hold relayed signals back to stage glare.
 */
export class FakeSignalServer {
  private readonly connections = new Map<InMemorySocket, Connection>();
  private nextUser = 1;
  private holding = false;
  private held: (() => void)[] = [];
  /** Senders of every `offer` description the server has seen, in order. */
  readonly offersFrom: UserId[] = [];

  constructor(private readonly options: FakeSignalServerOptions = {}) {}

  connect(): WebSocketLike {
    const socket = new InMemorySocket(this);
    this.connections.set(socket, { socket, userId: undefined, roomId: undefined, participant: undefined });
    return socket;
  }

  /** Hold every relayed peer.signal until release(). */
  holdSignals(): void {
    this.holding = true;
  }

  releaseSignals(): void {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const deliver of held) deliver();
  }

  onFrame(socket: InMemorySocket, frame: string): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    const result = parseClientMessage(frame);
    if (!result.ok) {
      socket.deliver({ type: 'error', code: result.code, message: result.message });
      return;
    }
    this.handle(connection, result.value);
  }

  onClose(socket: InMemorySocket): void {
    const connection = this.connections.get(socket);
    this.connections.delete(socket);
    if (connection?.userId && connection.roomId) this.leave(connection, 'disconnected');
  }

  private handle(connection: Connection, message: ClientMessage): void {
    if (message.type === 'session.hello') {
      connection.userId = `u${this.nextUser++}`;
      connection.socket.deliver({
        type: 'session.welcome',
        protocolVersion: PROTOCOL_VERSION,
        userId: connection.userId,
        resumeToken: `token-${connection.userId}`,
        resumed: false,
        iceServers: [],
        iceTransportPolicy: 'all',
        heartbeatIntervalMs: 30_000,
      });
      connection.participant = {
        userId: connection.userId,
        displayName: message.displayName,
        presence: 'online',
        muted: false,
        deafened: false,
      };
      return;
    }
    const participant = connection.participant;
    if (!participant) return;
    switch (message.type) {
      case 'room.join': {
        connection.roomId = message.roomId;
        if (message.voice) Object.assign(participant, message.voice);
        const roster = this.members(message.roomId).map((member) => member.participant).filter((p) => p !== undefined);
        connection.socket.deliver({ type: 'room.joined', roomId: message.roomId, selfId: participant.userId, participants: roster });
        this.broadcast(connection, { type: 'peer.joined', participant: { ...participant } });
        return;
      }
      case 'room.leave':
        if (connection.roomId) {
          const roomId = connection.roomId;
          this.leave(connection, 'left');
          connection.socket.deliver({ type: 'room.left', roomId });
        }
        return;
      case 'peer.signal': {
        const target = this.members(connection.roomId).find((member) => member.userId === message.to);
        if (!target) return;
        if (message.signal.kind === 'description' && message.signal.description.type === 'offer') {
          this.offersFrom.push(participant.userId);
        }
        const relay: ServerMessage = { type: 'peer.signal', from: participant.userId, signal: message.signal };
        const deliver = () => target.socket.deliver(relay);
        if (this.holding) this.held.push(deliver);
        else deliver();
        return;
      }
      case 'voice.state':
        participant.muted = message.muted;
        participant.deafened = message.deafened;
        if (this.options.relayVoiceState === false) return;
        this.broadcast(connection, { type: 'voice.state', userId: participant.userId, muted: message.muted, deafened: message.deafened });
        return;
      case 'chat.send':
      case 'chat.history':
      case 'chat.typing':
        return; // the mesh tests do not exercise chat
      default:
        assertNever(message, 'client message');
    }
  }

  private leave(connection: Connection, reason: 'left' | 'disconnected'): void {
    const userId = connection.userId;
    if (!userId) return;
    this.broadcast(connection, { type: 'peer.left', userId, reason });
    connection.roomId = undefined;
  }

  private members(roomId: RoomId | undefined): Connection[] {
    if (roomId === undefined) return [];
    return [...this.connections.values()].filter((c) => c.roomId === roomId);
  }

  private broadcast(from: Connection, message: ServerMessage): void {
    for (const member of this.members(from.roomId)) {
      if (member !== from) member.socket.deliver(message);
    }
  }
}
