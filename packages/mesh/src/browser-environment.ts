import type { LevelMeter, Logger, MeshEnvironment, PeerConnectionLike, WebSocketLike } from './environment';

function consoleLogger(minLevel: 'debug' | 'info'): Logger {
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (fields: Record<string, unknown>, message: string) => {
    if (method === 'debug' && minLevel !== 'debug') return;
    console[method](`[mesh] ${message}`, fields);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export type BrowserEnvironmentOptions = { logLevel?: 'debug' | 'info' };

/** Samples per level reading: about 40 ms at 48 kHz, longer than one Opus frame. */
const METER_WINDOW = 2048;

/**
 * Our microphone's level from Web Audio: the track feeds an AnalyserNode
 * (connected to nothing else, so nothing is played), and each reading is
 * the peak of its latest window, on the same linear scale as the stats'
 * audioLevel. One AudioContext serves every meter of the page, and it is
 * suspended while no meter is open: a running context keeps an audio
 * output stream busy, which on a two-core machine costs about as much as
 * one more peer. While the context cannot run (no user gesture yet) the
 * meter says it cannot tell.
 */
function createWebAudioMeterFactory(): (track: MediaStreamTrack) => LevelMeter | undefined {
  let context: AudioContext | undefined;
  let open = 0;
  return (track) => {
    if (typeof AudioContext === 'undefined') return undefined;
    context ??= new AudioContext({ latencyHint: 'playback' });
    const audio = context;
    open += 1;
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
    const source = audio.createMediaStreamSource(new MediaStream([track]));
    const analyser = audio.createAnalyser();
    analyser.fftSize = METER_WINDOW;
    source.connect(analyser);
    const samples = new Float32Array(METER_WINDOW);
    return {
      level: () => {
        if (audio.state !== 'running') return undefined;
        analyser.getFloatTimeDomainData(samples);
        let peak = 0;
        for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
        return Math.min(1, peak);
      },
      close: () => {
        source.disconnect();
        analyser.disconnect();
        open -= 1;
        if (open === 0) void audio.suspend().catch(() => undefined);
      },
    };
  };
}

/**
 * The one place that touches browser globals: WebSocket, RTCPeerConnection,
 * MediaStream, AudioContext, document.hidden, Date, setTimeout, console, Math.random. `clock.now()` is
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
    createLevelMeter: createWebAudioMeterFactory(),
    pageHidden: () => typeof document !== 'undefined' && document.hidden,
    implicitDescriptions: true,
    announcesTracklessSenders: true,
  };
}
