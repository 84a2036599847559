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
import { createFrameBudget } from './frame-budget';
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

/**
 * Runs one socket: handshake, then every frame parsed at the edge and turned
 * into a room command or a chat call. A bad frame gets an error reply and changes nothing; too
 * many close the socket. No input may throw out of here.
 */
export function acceptConnection(socket: WebSocket, connId: string, address: string, deps: ConnectionDeps): void {
  const { counters, config } = deps;
  let log = deps.logger.child({ connId });
  let session: Session | undefined;
  /** Set once a newer socket resumed this participant: this one only waits to close. */
  let superseded = false;
  /**
   * A frame whose handling waits (a password's scrypt): later frames wait behind it, so
   * a signal or a chat message sent after room.join is never handled before the join.
   */
  let busy: Promise<void> | undefined;
  let cancelIceRefresh = (): void => {};
  const badFrames = createBadFrameLimiter(config.badFrames, deps.clock);
  const budget = createFrameBudget(deps.clock, config.frameBudgets);
  const refusals = createBadFrameLimiter(REFUSALS, deps.clock);
  /** Closed by us for abuse (flooding, not reading): its seat goes at once, not after the grace period. */
  let abusive = false;

  /** Closes for abuse with `code`, and cuts the socket off if the close frame cannot get through. */
  const closeForAbuse = (code: number, reason: string): void => {
    if (abusive) return;
    abusive = true;
    socket.close(code, reason);
    deps.clock.setTimeout(() => socket.terminate(), ABUSE_CLOSE_GRACE_MS);
  };

  counters.socketsOpen++;
  counters.socketsAccepted++;
  log.debug('socket open');

  const cancelHandshakeTimer = deps.clock.setTimeout(() => {
    log.info('no session.hello in time, closing');
    socket.close(CLOSE_CODES.handshakeTimeout, 'handshake timeout');
  }, config.handshakeTimeoutMs);

  /**
   * Back-pressure: a client that does not read would make the server hold
   * everything sent to it. Past LIMITS.maxBufferedBytes waiting to go out, the
   * socket is closed (tooSlow) and nothing more is queued for it.
   */
  const send = (message: ServerMessage): void => {
    if (socket.readyState !== WebSocket.OPEN || abusive) return;
    if (socket.bufferedAmount > LIMITS.maxBufferedBytes) {
      log.warn({ bufferedAmount: socket.bufferedAmount }, 'client does not read, closing');
      closeForAbuse(CLOSE_CODES.tooSlow, 'not reading');
      return;
    }
    if (message.type === 'error') counters.errorsSent++;
    socket.send(encodeMessage(message));
  };

  const sendError = (code: ErrorCode, message: string, inReplyTo: string | undefined): void => {
    send({ type: 'error', code, message, ...(inReplyTo === undefined ? {} : { inReplyTo }) });
  };

  /** A frame the protocol forbids: answer it, and close the socket if it keeps happening. */
  const reject = (code: ErrorCode, message: string, inReplyTo: string | undefined): void => {
    log.debug({ code, inReplyTo }, 'rejected frame');
    sendError(code, message, inReplyTo);
    if (badFrames.record()) {
      log.warn('too many invalid frames, closing');
      closeForAbuse(CLOSE_CODES.policyViolation, 'too many invalid frames');
    }
  };

  /** Runs `fn`; a throw becomes an `internal` error reply (to `inReplyTo`, when a frame caused it) and a log line. */
  const guard = (what: string, inReplyTo: string | undefined, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      log.error({ err, inReplyTo }, `${what} failed`);
      sendError('internal', 'the server failed; nothing changed', inReplyTo);
    }
  };

  /** `parsed` is undefined for a binary frame. */
  /** `bytes`: the frame's size, which weighs in its budget. */
  const onFrame = (parsed: ParseResult<ClientMessage> | undefined, bytes: number): Promise<unknown> | void => {
    if (socket.readyState !== WebSocket.OPEN || superseded) return;
    if (!parsed) return reject('invalid_message', 'binary frames are not supported', undefined);
    if (!parsed.ok) return reject(parsed.code, parsed.message, parsed.type);
    // Every type has its budget per socket; a refused frame counts towards closing it like a bad one.
    const allowed = budget.take(parsed.value.type, bytes);
    if (!allowed.ok) {
      send({ type: 'error', code: 'rate_limited', message: 'too many messages of this type; wait and resend', inReplyTo: parsed.value.type, retryAfterMs: allowed.retryAfterMs });
      if (badFrames.record()) {
        log.warn({ type: parsed.value.type }, 'kept flooding past its budget, closing');
        closeForAbuse(CLOSE_CODES.policyViolation, 'too many messages');
      }
      return;
    }
    if (!session) return beforeHandshake(parsed.value);
    return onMessage(session, parsed.value);
  };

  const beforeHandshake = (message: ClientMessage): void => {
    if (message.type !== 'session.hello') {
      return reject('not_authenticated', 'send session.hello first', message.type);
    }
    hello(message);
  };

  const hello = (message: SessionHello): void => {
    if (message.protocolVersion !== PROTOCOL_VERSION) {
      log.info({ protocolVersion: message.protocolVersion }, 'unsupported protocol version, closing');
      sendError('unsupported_version', `this server speaks protocol version ${PROTOCOL_VERSION}`, message.type);
      socket.close(CLOSE_CODES.unsupportedVersion, 'unsupported protocol version');
      return;
    }
    cancelHandshakeTimer();
    const { userId, resumed, generation, bornS } = identify(message.resumeToken);
    session = { userId, displayName: message.displayName };
    log = log.child({ userId });
    deps.sessions.add(userId, handle)?.supersede();
    const roomId = resumed ? deps.rooms.roomOf(userId) : undefined;
    log.info({ resumed, roomId }, resumed ? 'session resumed' : 'session started');
    send({
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
  };

  /**
   * A valid resume token keeps the identity (and its birth, which bounds how long it
   * may be renewed), one generation on; a missing, forged, expired or superseded one starts afresh.
   */
  const identify = (token: string | undefined): { userId: UserId; resumed: boolean; generation: number; bornS?: number } => {
    if (token === undefined) return { userId: deps.ids.userId(), resumed: false, generation: 1 };
    const check = deps.tokens.verify(token);
    if (check.ok) {
      return { userId: check.userId, resumed: true, generation: Math.min(MAX_GENERATION, check.generation + 1), bornS: check.bornS };
    }
    log.info({ reason: check.reason }, 'resume token refused, starting a fresh session');
    return { userId: deps.ids.userId(), resumed: false, generation: 1 };
  };

  /** Whether this session holds live TURN credentials (sent on its first roster, renewed while in a room). */
  let iceGranted = false;

  /**
   * TURN credentials go to members only: the first roster this session gets
   * is preceded by them (so its peer connections can use the relay from the
   * start), and they are renewed only while the session stays in a room. One
   * grant at a time per session: nobody collects credentials by saying hello.
   */
  const grantIce = (userId: UserId): void => {
    if (iceGranted) return;
    iceGranted = true;
    send({ type: 'ice.servers', ...deps.ice.grant(userId) });
    scheduleIceRefresh(userId);
  };

  const handle: SessionHandle = {
    send(message) {
      if (message.type === 'room.joined' && session) grantIce(session.userId);
      send(message);
      // Valid frames the rules refuse count too, with room for the refusals a normal
      // session meets (a signal queued for someone who left, a wrong password or two).
      if (message.type === 'error' && message.code !== 'rate_limited' && message.code !== 'internal' && refusals.record()) {
        log.warn({ code: message.code }, 'too many refused frames, closing');
        closeForAbuse(CLOSE_CODES.policyViolation, 'too many refused frames');
      }
    },
    supersede() {
      superseded = true;
      cancelIceRefresh();
      log.info('a newer socket resumed this session, closing');
      socket.close(CLOSE_CODES.replaced, 'replaced by a newer connection');
    },
  };

  /** Sends fresh TURN credentials before the current ones expire, again and again. */
  const scheduleIceRefresh = (userId: UserId): void => {
    const delayMs = deps.ice.refreshAfterMs;
    if (delayMs === undefined) return;
    cancelIceRefresh = deps.clock.setTimeout(() => {
      guard('ice refresh', undefined, () => {
        if (deps.rooms.roomOf(userId) === undefined) {
          // Out of every room: no renewal; the next roster grants afresh.
          iceGranted = false;
          return;
        }
        send({ type: 'ice.servers', ...deps.ice.grant(userId) });
        scheduleIceRefresh(userId);
      });
    }, delayMs);
  };

  const onMessage = ({ userId, displayName }: Session, message: ClientMessage): Promise<unknown> | void => {
    switch (message.type) {
      case 'session.hello':
        return reject('already_authenticated', 'this socket already sent session.hello', message.type);
      case 'session.ping':
        return send({ type: 'session.pong', seq: message.seq });
      case 'room.join':
        return deps.joinGate.join({ userId, displayName, address, message });
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
  };

  const onClose = (code: number): void => {
    counters.socketsOpen--;
    cancelHandshakeTimer();
    cancelIceRefresh();
    log.info({ code }, 'socket closed');
    if (!session) return;
    // A superseded socket no longer speaks for the participant: its close is no disconnect.
    if (!deps.sessions.remove(session.userId, handle)) return;
    // A seat is not a weapon: one closed for abuse is given up at once, not kept for the grace period.
    deps.rooms.dispatch({ kind: abusive ? 'leave' : 'disconnect', userId: session.userId });
  };

  /**
   * Frames are handled one after another. Most are handled at once; one whose
   * handling waits (a password's scrypt) holds the frames behind it until it is
   * done, so a signal or chat message sent after room.join never overtakes it.
   */
  const queue: Array<{ inReplyTo: string | undefined; work: () => Promise<unknown> | void }> = [];
  let draining = false;

  const drain = async (): Promise<void> => {
    draining = true;
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { inReplyTo, work } = next;
      const handled: { pending?: Promise<unknown> } = {};
      guard('frame handler', inReplyTo, () => {
        const result = work();
        if (result) handled.pending = result;
      });
      if (handled.pending) {
        await handled.pending.catch((err: unknown) => {
          log.error({ err, inReplyTo }, 'frame handler failed');
          sendError('internal', 'the server failed; nothing changed', inReplyTo);
        });
      }
    }
    draining = false;
  };

  socket.on('message', (data, isBinary) => {
    counters.messagesIn++;
    if (queue.length >= MAX_QUEUED_FRAMES) {
      log.warn('too many frames waiting, closing');
      closeForAbuse(CLOSE_CODES.policyViolation, 'too many frames waiting');
      return;
    }
    // Parsing never throws; the guard knows which message type any failure answers.
    const text = isBinary ? undefined : rawDataToString(data);
    const parsed = text === undefined ? undefined : parseClientMessage(text);
    const bytes = text?.length ?? 0;
    queue.push({ inReplyTo: parsed?.ok ? parsed.value.type : undefined, work: () => onFrame(parsed, bytes) });
    if (!draining) void drain();
  });
  // ws reports protocol faults (oversized or malformed frames) here, then closes the socket itself.
  socket.on('error', (err) => log.info({ err: err.message }, 'socket error'));
  socket.on('close', (code) => guard('close handler', undefined, () => onClose(code)));
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
