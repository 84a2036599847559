import {
  CLOSE_CODES,
  LIMITS,
  PROTOCOL_VERSION,
  assertNever,
  encodeMessage,
  parseClientMessage,
  type ClientMessage,
  type ErrorCode,
  type ParseResult,
  type ServerMessage,
  type SessionHello,
  type UserId,
} from '@parley/protocol';
import type { Logger } from 'pino';
import { WebSocket, type RawData } from 'ws';
import type { ChatService } from '../chat/chat-service';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Ids } from '../ids';
import type { Counters } from '../metrics';
import type { JoinGate } from '../rooms/join-gate';
import type { OwnerRequests } from '../rooms/owner-requests';
import type { RoomService } from '../rooms/room-service';
import type { IceServers } from '../session/ice-servers';
import { MAX_GENERATION, type ResumeTokens } from '../session/resume-token';
import { createBadFrameLimiter } from './bad-frame-limiter';
import { createFrameBudget, type FrameBudget } from './frame-budget';
import type { SessionHandle, Sessions } from './sessions';

export type ConnectionDeps = {
  config: Pick<Config, 'handshakeTimeoutMs' | 'heartbeatIntervalMs' | 'graceMs' | 'badFrames' | 'frameBudgets'>;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  rooms: RoomService;
  joinGate: JoinGate;
  owner: OwnerRequests;
  chat: ChatService;
  sessions: Sessions;
  counters: Counters;
  tokens: ResumeTokens;
  ice: IceServers;
};

type Session = { userId: UserId; displayName: string };

/** Frames that may wait behind one whose handling is slow (a password check) before the socket is closed. */
const MAX_QUEUED_FRAMES = 64;
/** Refusals of valid frames (not_in_room, not_owner, wrong_password...) a socket may collect before it is closed. */
const REFUSALS = { max: 50, windowMs: 10_000 };
/** A socket closed for abuse gets this long to take its close frame before it is cut off. */
const ABUSE_CLOSE_GRACE_MS = 1_000;

/** Hands each new socket to a connection of its own: see Connection. */
export type AcceptConnection = (socket: WebSocket, connId: string, address: string) => void;

/** What every connection of one server shares. */
type Shared = { deps: ConnectionDeps; budget: FrameBudget };

type Frame = { parsed: ParseResult<ClientMessage> | undefined; bytes: number };
type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Returns what runs every socket of one server. An idle connection is one
 * object and the state it keeps, not a closure per thing it might do (that
 * was about 2 kB each): the Connection's methods are shared, and so are the
 * socket listeners made here, which ws calls with the socket as `this`. The
 * frame budgets of all sockets live in one limiter per message type, keyed by
 * a number each socket gets here (connIds are random, and tests may make
 * them all alike).
 */
export function connectionAcceptor(deps: ConnectionDeps): AcceptConnection {
  const shared: Shared = { deps, budget: createFrameBudget(deps.clock, deps.config.frameBudgets) };
  const connections = new WeakMap<WebSocket, Connection>();

  function socketOnMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    connections.get(this)?.received(data, isBinary);
  }
  function socketOnError(this: WebSocket, err: Error): void {
    // ws reports protocol faults (oversized or malformed frames) here, then closes the socket itself.
    connections.get(this)?.log('info', { err: err.message }, 'socket error');
  }
  function socketOnClose(this: WebSocket, code: number): void {
    const connection = connections.get(this);
    connection?.guard('close handler', undefined, () => connection.closed(code));
  }

  let sockets = 0;
  return (socket, connId, address) => {
    connections.set(socket, new Connection(socket, connId, String(++sockets), address, shared));
    socket.on('message', socketOnMessage);
    socket.on('error', socketOnError);
    socket.on('close', socketOnClose);
  };
}

/**
 * Runs one socket: handshake, then every frame parsed at the edge and turned
 * into a room command or a chat call. A bad frame gets an error reply and changes nothing; too
 * many close the socket. No input may throw out of here.
 *
 * Frames are handled one after another. Most are handled at once; one whose
 * handling waits (a password's scrypt) holds the frames behind it until it is
 * done, so a signal or chat message sent after room.join never overtakes it.
 */
class Connection implements SessionHandle {
  private readonly deps: ConnectionDeps;
  private session: Session | undefined;
  /** Set once a newer socket resumed this participant: this one only waits to close. */
  private superseded = false;
  /** Closed by us for abuse (flooding, not reading): its seat goes at once, not after the grace period. */
  private abusive = false;
  /** Whether this session holds live TURN credentials (sent on its first roster, renewed while in a room). */
  private iceGranted = false;
  private cancelHandshakeTimer: (() => void) | undefined;
  /**
   * The generation of the resume token this session's welcome carried, until
   * a frame after the hello shows the client has it (ResumeTokens.confirm).
   */
  private unconfirmedGeneration: number | undefined;
  private cancelIceRefresh: (() => void) | undefined;
  /** Made at the first invalid frame, and the first refused one: most sockets never send either. */
  private badFrames: ReturnType<typeof createBadFrameLimiter> | undefined;
  private refusals: ReturnType<typeof createBadFrameLimiter> | undefined;
  /** A frame is being handled (and may be waiting for its handler): later ones wait in `waiting`. */
  private draining = false;
  private waiting: Frame[] | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly connId: string,
    /** This socket's key in the shared frame budget. */
    private readonly budgetKey: string,
    private readonly address: string,
    private readonly shared: Shared,
  ) {
    const { deps } = shared;
    this.deps = deps;
    deps.counters.socketsOpen++;
    deps.counters.socketsAccepted++;
    this.log('debug', {}, 'socket open');
    this.cancelHandshakeTimer = deps.clock.setTimeout(() => {
      this.log('info', {}, 'no session.hello in time, closing');
      socket.close(CLOSE_CODES.handshakeTimeout, 'handshake timeout');
    }, deps.config.handshakeTimeoutMs);
  }

  /** Logs with this socket's connId, and its userId once it has one (structured, as a child logger would, without keeping one per socket). */
  log(level: Level, fields: Record<string, unknown>, message: string): void {
    const { logger } = this.deps;
    if (!logger.isLevelEnabled(level)) return;
    const userId = this.session?.userId;
    logger[level]({ connId: this.connId, ...(userId === undefined ? {} : { userId }), ...fields }, message);
  }

  /** Runs `fn`; a throw becomes an `internal` error reply (to `inReplyTo`, when a frame caused it) and a log line. */
  guard<T>(what: string, inReplyTo: string | undefined, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.failed(what, inReplyTo, err);
      return undefined;
    }
  }

  /** A handler threw or rejected: logged, and answered `internal` (to `inReplyTo`, when a frame caused it). */
  private failed(what: string, inReplyTo: string | undefined, err: unknown): void {
    this.log('error', { err, inReplyTo }, `${what} failed`);
    this.sendError('internal', 'the server failed; nothing changed', inReplyTo);
  }

  received(data: RawData, isBinary: boolean): void {
    this.deps.counters.messagesIn++;
    if ((this.waiting?.length ?? 0) >= MAX_QUEUED_FRAMES) {
      this.log('warn', {}, 'too many frames waiting, closing');
      this.closeForAbuse(CLOSE_CODES.policyViolation, 'too many frames waiting');
      return;
    }
    // Parsing never throws; the guard knows which message type any failure answers.
    const text = isBinary ? undefined : rawDataToString(data);
    const frame: Frame = { parsed: text === undefined ? undefined : parseClientMessage(text), bytes: text?.length ?? 0 };
    if (this.draining) (this.waiting ??= []).push(frame);
    else void this.drain(frame);
  }

  private async drain(first: Frame): Promise<void> {
    this.draining = true;
    for (let frame: Frame | undefined = first; frame; frame = this.waiting?.shift()) {
      const { parsed, bytes } = frame;
      const inReplyTo = parsed?.ok ? parsed.value.type : undefined;
      const pending = this.guard('frame handler', inReplyTo, () => this.onFrame(parsed, bytes));
      if (pending) await pending.catch((err: unknown) => this.failed('frame handler', inReplyTo, err));
    }
    this.waiting = undefined;
    this.draining = false;
  }

  /** Closes for abuse with `code`, and cuts the socket off if the close frame cannot get through. */
  private closeForAbuse(code: number, reason: string): void {
    if (this.abusive) return;
    this.abusive = true;
    this.socket.close(code, reason);
    this.deps.clock.setTimeout(() => this.socket.terminate(), ABUSE_CLOSE_GRACE_MS);
  }

  /**
   * Back-pressure: a client that does not read would make the server hold
   * everything sent to it. Past LIMITS.maxBufferedBytes waiting to go out, the
   * socket is closed (tooSlow) and nothing more is queued for it.
   */
  private write(message: ServerMessage): void {
    const { socket } = this;
    if (socket.readyState !== WebSocket.OPEN || this.abusive) return;
    if (socket.bufferedAmount > LIMITS.maxBufferedBytes) {
      this.log('warn', { bufferedAmount: socket.bufferedAmount }, 'client does not read, closing');
      this.closeForAbuse(CLOSE_CODES.tooSlow, 'not reading');
      return;
    }
    if (message.type === 'error') this.deps.counters.errorsSent++;
    socket.send(encodeMessage(message));
  }

  private sendError(code: ErrorCode, message: string, inReplyTo: string | undefined): void {
    this.write({ type: 'error', code, message, ...(inReplyTo === undefined ? {} : { inReplyTo }) });
  }

  /** A frame the protocol forbids: answer it, and close the socket if it keeps happening. */
  private reject(code: ErrorCode, message: string, inReplyTo: string | undefined): void {
    this.log('debug', { code, inReplyTo }, 'rejected frame');
    this.sendError(code, message, inReplyTo);
    if (this.recordBadFrame()) {
      this.log('warn', {}, 'too many invalid frames, closing');
      this.closeForAbuse(CLOSE_CODES.policyViolation, 'too many invalid frames');
    }
  }

  /** Counts an invalid frame; true when it takes the socket past the limit. */
  private recordBadFrame(): boolean {
    this.badFrames ??= createBadFrameLimiter(this.deps.config.badFrames, this.deps.clock);
    return this.badFrames.record();
  }

  /** `parsed` is undefined for a binary frame; `bytes`, the frame's size, weighs in its budget. */
  private onFrame(parsed: ParseResult<ClientMessage> | undefined, bytes: number): Promise<unknown> | void {
    if (this.socket.readyState !== WebSocket.OPEN || this.superseded) return;
    if (!parsed) return this.reject('invalid_message', 'binary frames are not supported', undefined);
    if (!parsed.ok) return this.reject(parsed.code, parsed.message, parsed.type);
    // Every type has its budget per socket; a refused frame counts towards closing it like a bad one.
    const allowed = this.shared.budget.take(this.budgetKey, parsed.value.type, bytes);
    if (!allowed.ok) {
      this.write({ type: 'error', code: 'rate_limited', message: 'too many messages of this type; wait and resend', inReplyTo: parsed.value.type, retryAfterMs: allowed.retryAfterMs });
      if (this.recordBadFrame()) {
        this.log('warn', { type: parsed.value.type }, 'kept flooding past its budget, closing');
        this.closeForAbuse(CLOSE_CODES.policyViolation, 'too many messages');
      }
      return;
    }
    if (!this.session) return this.beforeHandshake(parsed.value);
    if (this.unconfirmedGeneration !== undefined) {
      this.deps.tokens.confirm(this.session.userId, this.unconfirmedGeneration);
      this.unconfirmedGeneration = undefined;
    }
    return this.onMessage(this.session, parsed.value);
  }

  private beforeHandshake(message: ClientMessage): void {
    if (message.type !== 'session.hello') {
      return this.reject('not_authenticated', 'send session.hello first', message.type);
    }
    this.hello(message);
  }

  private hello(message: SessionHello): void {
    const { deps } = this;
    const { config } = deps;
    if (message.protocolVersion !== PROTOCOL_VERSION) {
      this.log('info', { protocolVersion: message.protocolVersion }, 'unsupported protocol version, closing');
      this.sendError('unsupported_version', `this server speaks protocol version ${PROTOCOL_VERSION}`, message.type);
      this.socket.close(CLOSE_CODES.unsupportedVersion, 'unsupported protocol version');
      return;
    }
    this.cancelHandshakeTimer?.();
    this.cancelHandshakeTimer = undefined;
    const { userId, resumed, generation, bornS } = this.identify(message.resumeToken);
    this.session = { userId, displayName: message.displayName };
    deps.sessions.add(userId, this)?.supersede();
    const roomId = resumed ? deps.rooms.roomOf(userId) : undefined;
    this.log('info', { resumed, roomId }, resumed ? 'session resumed' : 'session started');
    this.unconfirmedGeneration = generation;
    this.write({
      type: 'session.welcome',
      protocolVersion: PROTOCOL_VERSION,
      userId,
      resumeToken: deps.tokens.issue(userId, generation, bornS),
      resumed,
      generation,
      ...(roomId === undefined ? {} : { roomId }),
      // TURN credentials only for members of a room: see grantIce.
      ...deps.ice.publicServers(),
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      graceMs: config.graceMs,
    });
    // Back in a room they never left: online again (renamed, if they said hello under another name), and a fresh roster.
    if (resumed) deps.rooms.dispatch({ kind: 'resume', userId, displayName: message.displayName });
  }

  /**
   * A valid resume token keeps the identity (and its birth, which bounds how long it
   * may be renewed), one generation on; a missing, forged, expired or superseded one starts afresh.
   */
  private identify(token: string | undefined): { userId: UserId; resumed: boolean; generation: number; bornS?: number } {
    const { deps } = this;
    if (token === undefined) return { userId: deps.ids.userId(), resumed: false, generation: 1 };
    const check = deps.tokens.verify(token);
    if (check.ok) {
      return { userId: check.userId, resumed: true, generation: Math.min(MAX_GENERATION, check.generation + 1), bornS: check.bornS };
    }
    this.log('info', { reason: check.reason }, 'resume token refused, starting a fresh session');
    return { userId: deps.ids.userId(), resumed: false, generation: 1 };
  }

  /**
   * TURN credentials go to members only: the first roster this session gets
   * is preceded by them (so its peer connections can use the relay from the
   * start), and they are renewed only while the session stays in a room. One
   * grant at a time per session: nobody collects credentials by saying hello.
   */
  private grantIce(userId: UserId): void {
    if (this.iceGranted) return;
    this.iceGranted = true;
    this.write({ type: 'ice.servers', ...this.deps.ice.grant(userId) });
    this.scheduleIceRefresh(userId);
  }

  /** Sends fresh TURN credentials before the current ones expire, again and again. */
  private scheduleIceRefresh(userId: UserId): void {
    const { deps } = this;
    const delayMs = deps.ice.refreshAfterMs;
    if (delayMs === undefined) return;
    this.cancelIceRefresh = deps.clock.setTimeout(() => {
      this.cancelIceRefresh = undefined;
      this.guard('ice refresh', undefined, () => {
        if (deps.rooms.roomOf(userId) === undefined) {
          // Out of every room: no renewal; the next roster grants afresh.
          this.iceGranted = false;
          return;
        }
        this.write({ type: 'ice.servers', ...deps.ice.grant(userId) });
        this.scheduleIceRefresh(userId);
      });
    }, delayMs);
  }

  /** What the rooms and the chat send this participant (this connection is their SessionHandle). */
  send(message: ServerMessage): void {
    if (message.type === 'room.joined' && this.session) this.grantIce(this.session.userId);
    this.write(message);
    // Valid frames the rules refuse count too, with room for the refusals a normal
    // session meets (a signal queued for someone who left, a wrong password or two).
    if (message.type === 'error' && message.code !== 'rate_limited' && message.code !== 'internal') {
      this.refusals ??= createBadFrameLimiter(REFUSALS, this.deps.clock);
      if (this.refusals.record()) {
        this.log('warn', { code: message.code }, 'too many refused frames, closing');
        this.closeForAbuse(CLOSE_CODES.policyViolation, 'too many refused frames');
      }
    }
  }

  supersede(): void {
    this.superseded = true;
    this.cancelIceRefresh?.();
    this.cancelIceRefresh = undefined;
    this.log('info', {}, 'a newer socket resumed this session, closing');
    this.socket.close(CLOSE_CODES.replaced, 'replaced by a newer connection');
  }

  private onMessage({ userId, displayName }: Session, message: ClientMessage): Promise<unknown> | void {
    const { deps, address } = this;
    switch (message.type) {
      case 'session.hello':
        return this.reject('already_authenticated', 'this socket already sent session.hello', message.type);
      case 'session.ping':
        return this.write({ type: 'session.pong', seq: message.seq });
      case 'room.join': {
        // A join form says hello while the name is still being typed: the name at Join wins, in the room and in chat.
        const named = message.displayName ?? displayName;
        if (named !== displayName) this.session = { userId, displayName: named };
        return deps.joinGate.join({ userId, displayName: named, address, message });
      }
      // Not awaited: the bus keeps them in the order they were sent, and the next frame need not wait.
      case 'room.leave':
        return void deps.rooms.dispatch({ kind: 'leave', userId });
      case 'peer.signal':
        return void deps.rooms.dispatch({ kind: 'signal', from: userId, to: message.to, signal: message.signal });
      case 'voice.state':
        return void deps.rooms.dispatch({ kind: 'voiceState', userId, muted: message.muted, deafened: message.deafened });
      case 'chat.send':
        return deps.chat.send({ userId, displayName, address }, message);
      case 'chat.history':
        return deps.chat.history(userId, message);
      case 'chat.typing':
        return deps.chat.typing(userId, message);
      case 'chat.clear':
        return deps.chat.clear(userId, message);
      case 'room.configure':
        return deps.owner.configure(userId, message);
      case 'room.invite':
        return deps.owner.invite(userId, message);
      case 'room.remove':
        return deps.owner.remove(userId, message);
      case 'room.mute':
        return deps.owner.mute(userId, message);
      default:
        return assertNever(message, 'client message');
    }
  }

  closed(code: number): void {
    const { deps, session } = this;
    deps.counters.socketsOpen--;
    this.cancelHandshakeTimer?.();
    this.cancelHandshakeTimer = undefined;
    this.cancelIceRefresh?.();
    this.cancelIceRefresh = undefined;
    this.log('info', { code }, 'socket closed');
    if (!session) return;
    // A superseded socket no longer speaks for the participant: its close is no disconnect.
    if (!deps.sessions.remove(session.userId, this)) return;
    // A seat is not a weapon: one closed for abuse is given up at once, not kept for the grace period.
    deps.rooms.dispatch({ kind: this.abusive ? 'leave' : 'disconnect', userId: session.userId });
  }
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
