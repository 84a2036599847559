import type { LevelMeter, Logger, MeshEnvironment, PeerConnectionLike, WebSocketLike } from './environment';

function consoleLogger(minLevel: 'debug' | 'info'): Logger {
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (fields: Record<string, unknown>, message: string) => {
    if (method === 'debug' && minLevel !== 'debug') return;
    console[method](`[mesh] ${message}`, fields);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export type BrowserEnvironmentOptions = {
  logLevel?: 'debug' | 'info';
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
    logger: consoleLogger(options.logLevel ?? 'info'),
    random: () => Math.random(),
    ...(options.createLevelMeter ? { createLevelMeter: options.createLevelMeter } : {}),
    pageHidden: () => typeof document !== 'undefined' && document.hidden,
    implicitDescriptions: true,
    announcesTracklessSenders: true,
  };
}
