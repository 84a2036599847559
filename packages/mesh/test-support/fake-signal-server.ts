import {
  assertNever,
  type ClientMessage,
  CLOSE_CODES,
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
  /** The grace period announced in the welcome (default 20 s). */
  graceMs?: number;
};

/** One participant as the server knows it; survives its sockets, not a restart. */
type User = {
  userId: UserId;
  socket: InMemorySocket | undefined;
  roomId: RoomId | undefined;
  participant: Participant;
};

type ServerSide = { onFrame(socket: InMemorySocket, frame: string): void; onClose(socket: InMemorySocket): void };

/** The client half of an in-memory socket pair; delivery is asynchronous and ordered. */
class InMemorySocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(
    private readonly server: ServerSide,
    refuse: boolean,
  ) {
    queueMicrotask(() => {
      if (this.readyState !== 0) return;
      if (refuse) {
        this.readyState = 3;
        this.onclose?.({ code: 1006, reason: '' });
        return;
      }
      this.readyState = 1;
      this.onopen?.({});
    });
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: socket is not open');
    queueMicrotask(() => {
      if (this.readyState === 1) this.server.onFrame(this, data);
    });
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
 * A tiny in-memory signaling server for engine tests, with the real server's
 * session rules: hello/welcome with stateless resume tokens (`token-<userId>-g<generation>`,
 * valid even after restart()), a second socket for a user replaces the first
 * (close code 4002), a dropped socket leaves its user in the room as
 * `reconnecting` until expireAbsent(), a resumed user gets `roomId` in the
 * welcome and a fresh roster, signals to a reconnecting user are dropped.
 * It can hold relayed signals back to stage glare, drop every socket, refuse
 * connections for a while, and restart (forget every room).
 */
export class FakeSignalServer {
  private readonly sockets = new Map<InMemorySocket, UserId | undefined>();
  private readonly users = new Map<UserId, User>();
  private nextUser = 1;
  private holding = false;
  private held: (() => void)[] = [];
  private available = true;
  /** Senders of every `offer` description the server has seen, in order. */
  readonly offersFrom: UserId[] = [];

  constructor(private readonly options: FakeSignalServerOptions = {}) {}

  connect(): WebSocketLike {
    const socket = new InMemorySocket(this, !this.available);
    if (this.available) this.sockets.set(socket, undefined);
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

  /** While false, new connections fail at once (the server is down). */
  setAvailable(available: boolean): void {
    this.available = available;
  }

  /** Close every socket, as a network blip would; users stay, `reconnecting`. */
  dropAll(code = 1006): void {
    for (const socket of [...this.sockets.keys()]) socket.close(code, 'dropped');
  }

  /** Close one user's socket from the server side. */
  drop(userId: UserId, code = 1006): void {
    this.users.get(userId)?.socket?.close(code, 'dropped');
  }

  /** Crash and come back empty: every socket closes, every room is forgotten; tokens stay valid. */
  restart(): void {
    for (const socket of [...this.sockets.keys()]) socket.close(1001, 'server restart');
    this.sockets.clear();
    this.users.clear();
  }

  /** The grace period ends for this user (or everyone) still reconnecting. */
  expireAbsent(userId?: UserId): void {
    for (const user of [...this.users.values()]) {
      if (userId !== undefined && user.userId !== userId) continue;
      if (user.socket === undefined && user.roomId !== undefined) this.removeFromRoom(user, 'disconnected');
    }
  }

  roomMembers(roomId: RoomId): UserId[] {
    return this.members(roomId).map((user) => user.userId);
  }

  onFrame(socket: InMemorySocket, frame: string): void {
    if (!this.sockets.has(socket)) return;
    const result = parseClientMessage(frame);
    if (!result.ok) {
      socket.deliver({ type: 'error', code: result.code, message: result.message });
      return;
    }
    const message = result.value;
    if (message.type === 'session.hello') {
      this.hello(socket, message);
      return;
    }
    const userId = this.sockets.get(socket);
    const user = userId === undefined ? undefined : this.users.get(userId);
    if (!user) return;
    this.handle(user, message);
  }

  onClose(socket: InMemorySocket): void {
    const userId = this.sockets.get(socket);
    this.sockets.delete(socket);
    const user = userId === undefined ? undefined : this.users.get(userId);
    if (!user || user.socket !== socket) return;
    user.socket = undefined;
    if (user.roomId !== undefined) this.setPresence(user, 'reconnecting');
  }

  private hello(socket: InMemorySocket, message: Extract<ClientMessage, { type: 'session.hello' }>): void {
    // Tokens say who and which session generation, like the real server's (signed there, plain here).
    const token = /^token-(u\d+)-g(\d+)$/.exec(message.resumeToken ?? '');
    const tokenUser = token?.[1];
    const userId = tokenUser ?? `u${this.nextUser++}`;
    const generation = Number(token?.[2] ?? 0) + 1;
    let user = this.users.get(userId);
    if (!user) {
      user = {
        userId,
        socket: undefined,
        roomId: undefined,
        participant: { userId, displayName: message.displayName, presence: 'online', muted: false, deafened: false },
      };
      this.users.set(userId, user);
    }
    const previous = user.socket;
    user.socket = socket;
    this.sockets.set(socket, userId);
    previous?.close(CLOSE_CODES.replaced, 'replaced by a newer connection');
    socket.deliver({
      type: 'session.welcome',
      protocolVersion: PROTOCOL_VERSION,
      userId,
      resumeToken: `token-${userId}-g${generation}`,
      resumed: tokenUser !== undefined,
      generation,
      ...(user.roomId === undefined ? {} : { roomId: user.roomId }),
      iceServers: [],
      iceTransportPolicy: 'all',
      heartbeatIntervalMs: 30_000,
      graceMs: this.options.graceMs ?? 20_000,
    });
    if (user.roomId !== undefined) this.resume(user);
  }

  private handle(user: User, message: Exclude<ClientMessage, { type: 'session.hello' }>): void {
    const participant = user.participant;
    switch (message.type) {
      case 'room.join': {
        if (message.voice) Object.assign(participant, message.voice);
        if (user.roomId === message.roomId) {
          this.resume(user);
          return;
        }
        if (user.roomId !== undefined) this.removeFromRoom(user, 'left');
        user.roomId = message.roomId;
        participant.presence = 'online';
        const roster = this.members(message.roomId).map((member) => ({ ...member.participant }));
        user.socket?.deliver({ type: 'room.joined', roomId: message.roomId, selfId: user.userId, participants: roster });
        this.broadcast(user, { type: 'peer.joined', participant: { ...participant } });
        return;
      }
      case 'room.leave':
        if (user.roomId !== undefined) {
          const roomId = user.roomId;
          this.removeFromRoom(user, 'left');
          user.socket?.deliver({ type: 'room.left', roomId });
        }
        return;
      case 'peer.signal': {
        const target = this.members(user.roomId).find((member) => member.userId === message.to);
        if (!target || target === user) {
          user.socket?.deliver({ type: 'error', code: 'peer_not_in_room', message: `${message.to} is not here`, inReplyTo: 'peer.signal' });
          return;
        }
        if (message.signal.kind === 'description' && message.signal.description.type === 'offer') {
          this.offersFrom.push(user.userId);
        }
        const relay: ServerMessage = { type: 'peer.signal', from: user.userId, signal: message.signal };
        // A reconnecting target has no socket: the signal is dropped, as the real server does.
        const deliver = () => target.socket?.deliver(relay);
        if (this.holding) this.held.push(deliver);
        else deliver();
        return;
      }
      case 'voice.state':
        if (user.roomId === undefined) return;
        participant.muted = message.muted;
        participant.deafened = message.deafened;
        if (this.options.relayVoiceState === false) return;
        this.broadcast(user, { type: 'voice.state', userId: user.userId, muted: message.muted, deafened: message.deafened });
        return;
      case 'session.ping':
        user.socket?.deliver({ type: 'session.pong', seq: message.seq });
        return;
      case 'chat.send':
      case 'chat.history':
      case 'chat.typing':
      case 'chat.clear':
        return; // the mesh tests do not exercise chat
      case 'room.configure':
      case 'room.invite':
      case 'room.remove':
      case 'room.mute':
        return; // nor room administration (the server's tests do)
      default:
        assertNever(message, 'client message');
    }
  }

  /** Back on a socket while still in the room: online again, and a fresh roster. */
  private resume(user: User): void {
    const roomId = user.roomId;
    if (roomId === undefined) return;
    this.setPresence(user, 'online');
    const roster = this.members(roomId).map((member) => ({ ...member.participant }));
    user.socket?.deliver({ type: 'room.joined', roomId, selfId: user.userId, participants: roster });
  }

  private setPresence(user: User, presence: Participant['presence']): void {
    if (user.participant.presence === presence) return;
    user.participant.presence = presence;
    this.broadcast(user, { type: 'peer.presence', userId: user.userId, presence });
  }

  private removeFromRoom(user: User, reason: 'left' | 'disconnected'): void {
    this.broadcast(user, { type: 'peer.left', userId: user.userId, reason });
    user.roomId = undefined;
    user.participant.presence = 'online';
  }

  private members(roomId: RoomId | undefined): User[] {
    if (roomId === undefined) return [];
    return [...this.users.values()].filter((user) => user.roomId === roomId);
  }

  private broadcast(from: User, message: ServerMessage): void {
    for (const member of this.members(from.roomId)) {
      if (member !== from) member.socket?.deliver(message);
    }
  }
}
