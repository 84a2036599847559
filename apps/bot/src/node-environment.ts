import wrtc from '@roamhq/wrtc';
import type { Clock, LogFields, Logger, MeshEnvironment, PeerConnectionLike, WebSocketLike } from '@parley/mesh';
import WebSocket from 'ws';
import type { StatsSource } from './audio-meter';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One line per entry on stderr, `<prefix> [level] message {fields}`, from `minLevel` up. */
export function stderrLogger(prefix: string, minLevel: LogLevel): Logger {
  const threshold = LOG_LEVELS.indexOf(minLevel);
  const write = (level: Exclude<LogLevel, 'silent'>) => (fields: LogFields, message: string) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const details = Object.keys(fields).length === 0 ? '' : ` ${JSON.stringify(fields)}`;
    process.stderr.write(`${prefix} [${level}] ${message}${details}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * `ws` seen through the engine's WebSocketLike: text frames arrive as
 * strings, close reasons as strings, and an 'error' listener is always
 * attached (an EventEmitter without one would throw).
 */
class NodeWebSocket implements WebSocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(private readonly socket: WebSocket) {
    socket.on('open', () => this.onopen?.({}));
    socket.on('message', (data, isBinary) => this.onmessage?.({ data: isBinary ? data : data.toString() }));
    socket.on('close', (code, reason) => this.onclose?.({ code, reason: reason.toString() }));
    socket.on('error', (error) => this.onerror?.(error));
  }

  get readyState(): number {
    return this.socket.readyState;
  }

  send(data: string): void {
    this.socket.send(data);
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }
}

export type NodeEnvironment = {
  env: MeshEnvironment;
  /** The open connection that receives `track`, for its inbound RTP statistics. */
  statsFor(track: MediaStreamTrack): StatsSource | undefined;
  /** What went wrong with the last socket that failed (`connect ECONNREFUSED ...`), for messages. */
  lastSocketError(): string | undefined;
  /** Resolves once every socket this environment opened has closed, or after `timeoutMs`. */
  socketsClosed(timeoutMs: number): Promise<void>;
};

/**
 * The engine's environment in Node: `ws` for signaling, @roamhq/wrtc for
 * WebRTC, the real clock, Math.random, a stderr logger, and no screen. Keeps the
 * connections and sockets it made, to find a track's statistics and to let
 * a leaving bot wait for its goodbye to be sent.
 */
export function nodeEnvironment(options: { logPrefix: string; logLevel: LogLevel }): NodeEnvironment {
  const peerConnections = new Set<PeerConnectionLike>();
  const sockets = new Set<WebSocket>();
  let lastSocketError: string | undefined;
  const env: MeshEnvironment = {
    createWebSocket: (url) => {
      const socket = new WebSocket(url);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', (error) => {
        lastSocketError = error.message;
      });
      return new NodeWebSocket(socket);
    },
    createPeerConnection: (configuration) => {
      const pc = new wrtc.RTCPeerConnection(configuration) as unknown as PeerConnectionLike;
      peerConnections.add(pc);
      return pc;
    },
    createMediaStream: (tracks) => new wrtc.MediaStream(tracks),
    clock: realClock,
    logger: stderrLogger(options.logPrefix, options.logLevel),
    random: () => Math.random(),
    // A headless participant has no screen: the engine observes its links at the pace of a
    // hidden tab (stall detection still runs), which on @roamhq/wrtc means one getStats per
    // link a second instead of four; eight bots in one process hold 72 connections.
    pageHidden: () => true,
  };

  const statsFor = (track: MediaStreamTrack): StatsSource | undefined => {
    for (const pc of peerConnections) {
      if (pc.signalingState === 'closed') {
        peerConnections.delete(pc);
        continue;
      }
      if (pc.getTransceivers().some((transceiver) => transceiver.receiver.track.id === track.id)) return pc;
    }
    return undefined;
  };

  const socketsClosed = async (timeoutMs: number): Promise<void> => {
    const closing = [...sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(closing), timeout]);
    clearTimeout(timer);
  };

  return { env, statsFor, lastSocketError: () => lastSocketError, socketsClosed };
}
