import type { LevelMeter, Logger, MeshEnvironment, PeerConnectionLike, WebSocketLike } from './environment';

export type BrowserLogLevel = 'debug' | 'info' | 'warn';

const RANK = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/**
 * One string per line, fields written into it: a console call with an object
 * argument costs far more (with DevTools or a test driver attached, an object
 * preview is built for every line; measured: 44 ms of a joining page's first
 * 650 ms on a busy two-core machine, at info level).
 */
function consoleLogger(minLevel: BrowserLogLevel): Logger {
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (fields: Record<string, unknown>, message: string) => {
    if (RANK[method] < RANK[minLevel]) return;
    console[method](Object.keys(fields).length === 0 ? `[mesh] ${message}` : `[mesh] ${message} ${describeFields(fields)}`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function describeFields(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields);
  } catch {
    return String(fields);
  }
}

export type BrowserEnvironmentOptions = {
  /** What reaches the console; default 'warn': what a link and the session do step by step is 'info'. */
  logLevel?: BrowserLogLevel;
  /**
   * A meter on our microphone track. The page brings its own, built on the one
   * AudioContext it shares with everything else that plays or measures audio:
   * each running context holds an output stream of its own, which on a
   * two-core machine costs about as much as one more peer. Without one, our
   * level comes from a link's stats (and nothing lights while we are alone).
   */
  createLevelMeter?(track: MediaStreamTrack): LevelMeter | undefined;
};

/**
 * The one place that touches browser globals: WebSocket, RTCPeerConnection,
 * MediaStream, document.hidden, Date, setTimeout, console, Math.random. `clock.now()` is
 * wall-clock time because link epochs must grow across page reloads.
 */
export function browserEnvironment(options: BrowserEnvironmentOptions = {}): MeshEnvironment {
  return {
    // The DOM types declare event handlers with `this` and Event parameters,
    // which TypeScript will not narrow to the structural interfaces; the
    // members the engine uses line up at runtime.
    createWebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    createPeerConnection: (configuration) => new RTCPeerConnection(configuration) as unknown as PeerConnectionLike,
    createMediaStream: (tracks) => new MediaStream(tracks),
    clock: {
      now: () => Date.now(),
      setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
    },
    logger: consoleLogger(options.logLevel ?? 'warn'),
    random: () => Math.random(),
    ...(options.createLevelMeter ? { createLevelMeter: options.createLevelMeter } : {}),
    pageHidden: () => typeof document !== 'undefined' && document.hidden,
    implicitDescriptions: true,
    announcesTracklessSenders: true,
  };
}
