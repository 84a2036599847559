import wrtc from '@roamhq/wrtc';
import type { Clock, MeshEnvironment, PeerConnectionLike, WebSocketLike } from '../src/environment';
import type { FakeSignalServer } from './fake-signal-server';
import { testLogger } from './test-logger';

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A MeshEnvironment with real WebRTC from @roamhq/wrtc, signaling through a
 * FakeSignalServer, and the real clock. Keeps every RTCPeerConnection it made
 * so a test can inspect them and make sure all are closed.
 */
export function wrtcEnvironment(name: string, server?: FakeSignalServer, options: { clockOffsetMs?: number } = {}) {
  const peerConnections: PeerConnectionLike[] = [];
  const logger = testLogger(`${name} `);
  let dead = false;
  const env: MeshEnvironment = {
    createWebSocket: () => {
      if (!server) throw new Error('this test has no signaling server');
      return dead ? new DeadSocket() : server.connect();
    },
    createPeerConnection: (configuration) => {
      const pc = new wrtc.RTCPeerConnection(configuration) as unknown as PeerConnectionLike;
      peerConnections.push(pc);
      return pc;
    },
    createMediaStream: (tracks) => new wrtc.MediaStream(tracks),
    // A machine whose clock was stepped (by NTP, by hand) reads another wall time; timers run as ever.
    clock: options.clockOffsetMs ? { ...realClock, now: () => Date.now() + (options.clockOffsetMs ?? 0) } : realClock,
    logger,
    random: () => 0.5,
  };
  /**
   * The page is gone (a crash or reload, no goodbye): every connection it made
   * closes and it never reaches the server again.
   */
  const kill = () => {
    dead = true;
    for (const pc of peerConnections) pc.close();
  };
  return { env, peerConnections, logger, kill };
}

/** A socket to nowhere: never opens, never closes. */
class DeadSocket implements WebSocketLike {
  readonly readyState = 0;
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  send(): void {
    throw new Error('InvalidStateError: socket is not open');
  }
  close(): void {}
}

type Microphone = { stream: MediaStream; stop(): void };
type AudioFrame = Parameters<InstanceType<typeof wrtc.nonstandard.RTCAudioSource>['onData']>[0];

/** A microphone track from wrtc's nonstandard RTCAudioSource, fed `frame` every 10 ms if given. */
function wrtcMicrophone(frame?: AudioFrame): Microphone {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const timer = frame && setInterval(() => source.onData(frame), 10);
  return {
    stream: new wrtc.MediaStream([track]),
    stop: () => {
      clearInterval(timer);
      track.stop();
    },
  };
}

/** A silent microphone: a track that sends nothing. */
export function silentMicrophone(): Microphone {
  return wrtcMicrophone();
}

/** 10 ms of a quiet 440 Hz tone at 48 kHz, mono: one frame of what toneMicrophone sends. */
const TONE_FRAME = Int16Array.from({ length: 480 }, (_, i) => Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / 48_000)));

/** A microphone that sends a tone, a frame every 10 ms, so RTP packets (and inbound bytes on the other side) flow. */
export function toneMicrophone(): Microphone {
  return wrtcMicrophone({ samples: TONE_FRAME, sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: TONE_FRAME.length });
}
