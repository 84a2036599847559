import {
  type ClientMessage,
  CLOSE_CODES,
  encodeMessage,
  parseServerMessage,
  PROTOCOL_VERSION,
  type ServerMessage,
  type SessionHello,
  type SessionPong,
  type SessionWelcome,
} from '@parley/protocol';
import { Emitter } from './emitter';
import type { Clock, GreetedSocket, MeshEnvironment, TimerHandle, WebSocketLike } from './environment';
import { MeshError } from './errors';
import type { ConnectionState } from './events';
import { patientClock } from './patient-clock';
import { neverReconnect, type ReconnectPolicy } from './retry-policy';

/** Messages a client sends once the handshake is done. */
export type OutboundMessage = Exclude<ClientMessage, SessionHello>;
/** Messages the server sends after `session.welcome`, but for keepalive answers. */
export type InboundMessage = Exclude<ServerMessage, SessionWelcome | SessionPong>;

export type SignalClientEvents = {
  stateChanged: { from: ConnectionState; to: ConnectionState };
  welcome: SessionWelcome;
  message: InboundMessage;
  error: { error: MeshError };
};

export type SignalClientOptions = {
  url: string;
  displayName: string;
  resumeToken?: string;
  env: MeshEnvironment;
  reconnectPolicy?: ReconnectPolicy;
  /** A socket that has not completed the handshake by then is abandoned and retried. */
  connectTimeoutMs?: number;
  /** How long a `session.ping` may go unanswered (at most KEEPALIVE_MAX_INTERVALS announced intervals). */
  keepaliveTimeoutMs?: number;
};

export const CONNECT_TIMEOUT_MS = 10_000;
/** Each welcome that did not come in time gives the next attempt this many times longer, up to the cap. */
export const CONNECT_TIMEOUT_MAX_FACTOR = 3;
/**
 * At most this long for an answer to `session.ping`, and at most
 * KEEPALIVE_MAX_INTERVALS announced intervals (a server that pings often
 * wants a hang noticed soon). socket.io allows 25 s between pings and 20 s
 * for an answer, for browsers that throttle pages. One interval (10 s by
 * default, the rule before) was too short on a starved browser: in a
 * settled call of six on two busy cores (bench:mesh, tcpdump on the
 * server's port), the server answered every session.ping within 0.75 s and
 * the browser every WebSocket ping on an open socket within 0.25 s, yet the
 * pages heard nothing for 10-21 s, and what they wrote in that time
 * (goodbyes, the next socket's hello) reached the wire 10 s late, all pages'
 * frames within about a second. Calling those sockets dead cost a reconnect
 * through the same backlog (its hello, too, 10 s late: "no welcome in
 * time"; sockets opened then were the slow ones, their WebSocket pings
 * answered 5.6-9 s late), then the room after the server's grace period,
 * then a rebuild of every link: the call of six fell apart for a minute, in
 * four runs of five. The raw page, which has no keepalive, rode the same
 * stalls out. 5 s was too short before that (a live server answering
 * another client within 300 ms throughout, frames delivered 10-20 s late).
 */
export const KEEPALIVE_TIMEOUT_MS = 30_000;
/** The keepalive's verdict never waits longer than this many announced intervals. */
export const KEEPALIVE_MAX_INTERVALS = 3;

/** WebSocket.OPEN; the constant is not on the structural interface. */
const SOCKET_OPEN = 1;

/** Messages kept for after the handshake; beyond this the oldest are dropped. */
export const OUTBOUND_QUEUE_LIMIT = 256;

/**
 * The signaling connection: one WebSocket at a time, `session.hello` on open,
 * nothing but `session.welcome` accepted before the handshake, every frame
 * parsed at the edge. Outbound messages wait in a queue until the handshake
 * completes, but for the first session: there they go out right behind the
 * hello (the server handles a socket's frames in order, so the hello is
 * done by then), which saves a round trip on joining: `room.joined` follows
 * the welcome at once. They stay queued until that welcome, so a socket lost
 * before it takes nothing with it. Later sessions wait for the welcome and
 * the resync it starts. When the socket drops, the reconnect policy decides whether and
 * when to open a new one, which says hello with the latest resume token (the
 * one from the last welcome). `retryNow()` skips the wait (the browser came
 * back online, or the user pressed "Retry now"). A socket that neither
 * completes the handshake nor closes within `connectTimeoutMs` is abandoned,
 * so a connection attempt hanging on a dead network never stalls recovery;
 * the next attempt waits twice as long, then three times (a browser whose
 * network process is starved hands out welcomes late, and a fresh socket
 * queues behind the others: giving up on each after 10 s fed on itself).
 * The wait starts again when the socket opens: the welcome is then one round
 * trip away, and an attempt that got that far is progressing, not hanging
 * (captured on a starved browser: replacement sockets whose upgrade was
 * answered 0.2-0.8 s after their SYN handed their hello to the wire
 * 6.6-9.95 s after that, the welcome came 0.15-0.74 s behind it, and two
 * pages' connect timers had fired by then). A server that opens sockets but
 * never welcomes is given up on that much later: the time the socket took
 * to open.
 * Close codes `unsupportedVersion` and `replaced` end the session for good.
 *
 * Keepalive: browser JavaScript cannot see WebSocket pings, so a half-open
 * socket (a frozen server, a NAT that silently dropped the mapping) would
 * look connected forever. Every `heartbeatIntervalMs` of the welcome the
 * client sends `session.ping`; when nothing at all arrives within
 * `keepaliveTimeoutMs` of the first unanswered one (it pings on meanwhile),
 * the socket is treated as dead: abandoned and replaced as a closed one
 * would be. Any frame counts as a sign of life.
 * Both verdicts wait for a page starved of CPU to catch up first (patientClock).
 */
export class SignalClient {
  private readonly emitter: Emitter<SignalClientEvents>;
  private readonly env: MeshEnvironment;
  private readonly policy: ReconnectPolicy;
  /**
   * For the connect and keepalive timers, which conclude from silence (no welcome, no answer to
   * a ping): see patientClock. The keepalive's ping timer runs on it too, as both share one handle.
   */
  private readonly verdicts: Clock;
  private state: ConnectionState = 'idle';
  private socket: WebSocketLike | undefined;
  private handshakeDone = false;
  /** Whether this socket has said hello; before the first welcome, queued messages follow it at once. */
  private helloSent = false;
  /** A welcome has arrived on some socket: from then on nothing goes out before a welcome. */
  private welcomedOnce = false;
  /** The environment was asked for a greeted socket (once: only the first session may start on one). */
  private greetedAsked = false;
  private queue: OutboundMessage[] = [];
  /** The head of `queue` already written behind this socket's hello, kept until its welcome. */
  private writtenEarly = 0;
  private resumeToken: string | undefined;
  private retryCount = 0;
  /** Attempts in a row that got no welcome in time: each waits longer (a starved browser, a slow network). */
  private connectTimeouts = 0;
  private outageStartedAtMs: number | undefined;
  private retryTimer: TimerHandle | undefined;
  private connectTimer: TimerHandle | undefined;
  private keepaliveTimer: TimerHandle | undefined;
  /** When the current socket last delivered a frame (clock ms). */
  private heardAtMs = 0;
  private pingSeq = 0;

  constructor(private readonly options: SignalClientOptions) {
    this.env = options.env;
    this.verdicts = patientClock(options.env.clock);
    this.policy = options.reconnectPolicy ?? neverReconnect;
    this.resumeToken = options.resumeToken;
    this.emitter = new Emitter((name, error) =>
      this.env.logger.error({ event: String(name), error: String(error) }, 'signal client listener threw'),
    );
  }

  on<K extends keyof SignalClientEvents>(name: K, listener: (payload: SignalClientEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  connect(): void {
    if (this.state !== 'idle' && this.state !== 'closed') return;
    this.setState('connecting');
    this.openSocket();
  }

  /**
   * If waiting to reconnect, reconnect at once; a connection attempt still
   * waiting for its handshake is abandoned for a fresh one. Otherwise nothing.
   */
  retryNow(): void {
    if (this.state !== 'reconnecting' && this.state !== 'connecting') return;
    if (this.retryTimer !== undefined) {
      this.clearRetryTimer();
      this.retryCount += 1;
      this.env.logger.info({}, 'reconnecting now');
      this.openSocket();
      return;
    }
    if (this.socket && !this.handshakeDone) {
      this.env.logger.info({}, 'abandoning a pending connection attempt to retry now');
      this.abandonSocket();
      this.openSocket();
    }
  }

  /**
   * Send now if the session is up, without queueing: for messages whose caller
   * keeps its own outbox (chat). Returns whether the message went out.
   */
  trySend(message: OutboundMessage): boolean {
    return this.write(message);
  }

  send(message: OutboundMessage): void {
    if (this.write(message)) return;
    if (this.state === 'closed') {
      this.env.logger.warn({ type: message.type }, 'dropped a message sent on a closed connection');
      return;
    }
    if (this.queue.length >= OUTBOUND_QUEUE_LIMIT && this.queue.shift() !== undefined && this.writtenEarly > 0) this.writtenEarly--;
    this.queue.push(message);
    this.writeEarly();
  }

  close(): void {
    this.clearRetryTimer();
    this.clearConnectTimer();
    this.queue = [];
    const socket = this.socket;
    this.detach();
    socket?.close(1000, 'client closed');
    this.setState('closed');
  }

  /** Writes to an open, welcomed socket; false when there is none (it may be closing unnoticed yet). */
  private write(message: OutboundMessage): boolean {
    const socket = this.socket;
    if (!this.handshakeDone || !socket || socket.readyState !== SOCKET_OPEN) return false;
    try {
      socket.send(encodeMessage(message));
      return true;
    } catch (error) {
      this.env.logger.debug({ error: String(error) }, 'signaling send failed');
      return false;
    }
  }

  /** Before the first welcome, queued messages not yet written follow the hello (see the class comment). */
  private writeEarly(): void {
    const socket = this.socket;
    if (this.welcomedOnce || !this.helloSent || !socket || socket.readyState !== SOCKET_OPEN) return;
    try {
      for (; this.writtenEarly < this.queue.length; this.writtenEarly++) socket.send(encodeMessage(this.queue[this.writtenEarly] as OutboundMessage));
    } catch (error) {
      this.env.logger.debug({ error: String(error) }, 'signaling send failed');
    }
  }

  private openSocket(): void {
    const greeted = this.takeGreetedSocket();
    const socket = greeted?.socket ?? this.env.createWebSocket(this.options.url);
    this.socket = socket;
    this.handshakeDone = false;
    this.helloSent = false;
    this.writtenEarly = 0;
    const waitMs = (this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS) * Math.min(CONNECT_TIMEOUT_MAX_FACTOR, 1 + this.connectTimeouts);
    const waitForWelcome = () => {
      this.clearConnectTimer();
      this.connectTimer = this.verdicts.setTimeout(() => {
        this.connectTimer = undefined;
        if (socket !== this.socket || this.handshakeDone) return;
        this.env.logger.info({}, 'no session.welcome in time; retrying');
        this.connectTimeouts++;
        this.abandonSocket();
        this.scheduleReconnect();
      }, waitMs);
    };
    waitForWelcome();
    const sayHello = () => {
      if (socket !== this.socket) return;
      const hello: SessionHello = {
        type: 'session.hello',
        protocolVersion: PROTOCOL_VERSION,
        displayName: this.options.displayName,
        ...(this.resumeToken === undefined ? {} : { resumeToken: this.resumeToken }),
      };
      socket.send(encodeMessage(hello));
      this.helloSent = true;
      this.writeEarly();
    };
    socket.onopen = () => {
      if (socket !== this.socket) return;
      // Progress: the welcome is one round trip away now, so its wait starts again here.
      waitForWelcome();
      sayHello();
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.heardAtMs = this.env.clock.now();
      this.onFrame(event.data);
    };
    socket.onerror = () => {
      if (socket === this.socket) this.env.logger.debug({}, 'signaling socket error');
    };
    socket.onclose = (event) => {
      if (socket === this.socket) this.onSocketClosed(event.code, event.reason);
    };
    if (greeted) {
      // It said hello already: what is queued goes out behind it now, and what it heard
      // arrives a microtask later, as if just received (after the caller's join is written).
      this.helloSent = true;
      this.writeEarly();
      queueMicrotask(() => {
        for (const frame of greeted.received) socket.onmessage?.({ data: frame });
      });
      return;
    }
    // The environment may hand out a socket opened ahead of time (while the user typed a name).
    if (socket.readyState === SOCKET_OPEN) sayHello();
  }

  /** The first session's socket, if the environment holds one that said hello already (see GreetedSocket). */
  private takeGreetedSocket(): GreetedSocket | undefined {
    if (this.greetedAsked || this.resumeToken !== undefined) return undefined;
    this.greetedAsked = true;
    const greeted = this.env.takeGreetedSocket?.(this.options.url);
    return greeted?.socket.readyState === SOCKET_OPEN ? greeted : undefined;
  }

  private onFrame(data: unknown): void {
    if (typeof data !== 'string') {
      this.env.logger.warn({}, 'dropped a binary signaling frame');
      return;
    }
    const result = parseServerMessage(data);
    if (!result.ok) {
      this.env.logger.warn({ code: result.code, type: result.type, reason: result.message }, 'dropped an invalid signaling frame');
      return;
    }
    const message = result.value;
    if (message.type === 'session.welcome') {
      this.onWelcome(message);
      return;
    }
    if (message.type === 'session.pong') return; // a sign of life, counted on arrival
    if (!this.handshakeDone && message.type !== 'error') {
      this.env.logger.warn({ type: message.type }, 'dropped a message that arrived before session.welcome');
      return;
    }
    this.emitter.emit('message', message);
  }

  private onWelcome(welcome: SessionWelcome): void {
    if (this.handshakeDone) {
      this.env.logger.warn({}, 'ignored a second session.welcome');
      return;
    }
    this.handshakeDone = true;
    this.welcomedOnce = true;
    // Written behind the hello, and so handled by the server already.
    this.queue.splice(0, this.writtenEarly);
    this.writtenEarly = 0;
    this.clearConnectTimer();
    this.resumeToken = welcome.resumeToken;
    this.retryCount = 0;
    this.connectTimeouts = 0;
    this.outageStartedAtMs = undefined;
    this.setState('connected');
    this.scheduleKeepalive(welcome.heartbeatIntervalMs);
    this.emitter.emit('welcome', welcome);
    this.flushQueue();
  }

  /**
   * Ping after `delayMs`, then every `intervalMs`; a socket silent for the
   * timeout after a ping is dead. The timer belongs to the current socket:
   * detach() clears it.
   */
  private scheduleKeepalive(intervalMs: number, delayMs = intervalMs): void {
    const timeoutMs = Math.min(KEEPALIVE_MAX_INTERVALS * intervalMs, this.options.keepaliveTimeoutMs ?? KEEPALIVE_TIMEOUT_MS);
    this.clearKeepaliveTimer();
    this.keepaliveTimer = this.verdicts.setTimeout(() => this.ping(intervalMs, timeoutMs, this.env.clock.now()), delayMs);
  }

  /**
   * Sends a ping and looks again an interval later (or when the verdict is
   * due, if sooner): anything heard since the first unanswered ping, sent at
   * `unansweredSinceMs`, and pinging goes on as usual; nothing for the
   * timeout, and the socket is dead; otherwise another ping.
   */
  private ping(intervalMs: number, timeoutMs: number, unansweredSinceMs: number): void {
    const sentAtMs = this.env.clock.now();
    this.pingSeq = (this.pingSeq + 1) % 2 ** 31;
    this.write({ type: 'session.ping', seq: this.pingSeq });
    this.keepaliveTimer = this.verdicts.setTimeout(
      () => {
        this.keepaliveTimer = undefined;
        const nowMs = this.env.clock.now();
        if (this.heardAtMs >= unansweredSinceMs) {
          // Pinged more than once: a silence ridden out (a starved page, a slow path), worth a line.
          // Nothing had come by the last ping, so the silence lasted at least until then.
          if (sentAtMs > unansweredSinceMs) this.env.logger.info({ unansweredForAtLeastMs: sentAtMs - unansweredSinceMs }, 'signaling socket answered again');
          return this.scheduleKeepalive(intervalMs, Math.max(0, sentAtMs + intervalMs - nowMs));
        }
        if (nowMs - unansweredSinceMs < timeoutMs) return this.ping(intervalMs, timeoutMs, unansweredSinceMs);
        this.env.logger.warn({ silentForMs: nowMs - this.heardAtMs }, 'signaling socket went silent; reconnecting');
        this.abandonSocket();
        this.scheduleReconnect();
      },
      Math.min(intervalMs, unansweredSinceMs + timeoutMs - sentAtMs),
    );
  }

  private flushQueue(): void {
    const queued = this.queue;
    this.queue = [];
    for (const message of queued) this.send(message);
  }

  private onSocketClosed(code: number, reason: string): void {
    this.detach();
    this.clearConnectTimer();
    this.env.logger.info({ code, reason }, 'signaling socket closed');
    if (code === CLOSE_CODES.unsupportedVersion) return this.giveUp(MeshError.unsupportedVersion());
    if (code === CLOSE_CODES.replaced) return this.giveUp(MeshError.replaced());
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const now = this.env.clock.now();
    this.outageStartedAtMs ??= now;
    const delayMs = this.policy.nextRetryDelayInMs({ retryCount: this.retryCount, elapsedMs: now - this.outageStartedAtMs });
    if (delayMs === null) return this.giveUp();
    this.setState('reconnecting');
    this.retryTimer = this.env.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.retryCount += 1;
      this.openSocket();
    }, delayMs);
  }

  private giveUp(error?: MeshError): void {
    this.queue = [];
    this.setState('closed');
    if (error) this.emitter.emit('error', { error });
  }

  private abandonSocket(): void {
    const socket = this.socket;
    this.detach();
    try {
      socket?.close(1000, 'retrying');
    } catch {
      // A socket that never opened may refuse to close; it is detached either way.
    }
  }

  private detach(): void {
    const socket = this.socket;
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onerror = null;
    socket.onclose = null;
    this.socket = undefined;
    this.handshakeDone = false;
    this.helloSent = false;
    // Whatever followed the hello may not have arrived: it goes again behind the next one.
    this.writtenEarly = 0;
    this.clearKeepaliveTimer();
  }

  private clearKeepaliveTimer(): void {
    if (this.keepaliveTimer === undefined) return;
    this.verdicts.clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }

  private clearConnectTimer(): void {
    if (this.connectTimer === undefined) return;
    this.verdicts.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  private clearRetryTimer(): void {
    if (this.retryTimer === undefined) return;
    this.env.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setState(to: ConnectionState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.env.logger.info({}, `signaling ${from} -> ${to}`);
    this.emitter.emit('stateChanged', { from, to });
  }
}
