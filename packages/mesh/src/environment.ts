/**
 * Everything the engine needs from the outside world enters through these
 * small structural interfaces, so that tests can hand in fakes and the engine
 * never touches a browser or Node global by itself.
 */

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type LogFields = Record<string, unknown>;
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** The part of the DOM WebSocket the engine uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** The part of RTCDataChannel the engine uses. */
export interface DataChannelLike {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onbufferedamountlow: ((event: unknown) => void) | null;
}

/** The part of RTCPeerConnection the engine uses. */
export interface PeerConnectionLike {
  readonly signalingState: RTCSignalingState;
  readonly connectionState: RTCPeerConnectionState;
  readonly localDescription: RTCSessionDescriptionInit | null;
  readonly remoteDescription: RTCSessionDescriptionInit | null;
  /** Explicit offers and answers where the environment has no parameterless setLocalDescription (see implicitDescriptions). */
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate?: RTCIceCandidateInit): Promise<void>;
  addTransceiver(
    trackOrKind: MediaStreamTrack | string,
    init?: RTCRtpTransceiverInit,
  ): RTCRtpTransceiver;
  getTransceivers(): RTCRtpTransceiver[];
  addTrack(track: MediaStreamTrack): RTCRtpSender;
  createDataChannel(label: string, init?: RTCDataChannelInit): DataChannelLike;
  setConfiguration(configuration: RTCConfiguration): void;
  getStats(): Promise<RTCStatsReport>;
  close(): void;
  onnegotiationneeded: ((event: unknown) => void) | null;
  onicecandidate: ((event: { candidate: RTCIceCandidate | null }) => void) | null;
  onconnectionstatechange: ((event: unknown) => void) | null;
  onsignalingstatechange: ((event: unknown) => void) | null;
  ontrack: ((event: { track: MediaStreamTrack; streams: readonly MediaStream[]; receiver: RTCRtpReceiver }) => void) | null;
}

/** The level of a local track, read on demand. */
export interface LevelMeter {
  /** Peak level in [0, 1] over the last few tens of milliseconds; undefined while it cannot tell (audio suspended). */
  level(): number | undefined;
  close(): void;
}

/**
 * A signaling socket opened ahead of time that has already said
 * `session.hello` without a resume token, under whatever name was typed then
 * (`room.join` carries the name to appear under), and the frames it has
 * received since, oldest first: its welcome, usually.
 */
export type GreetedSocket = { socket: WebSocketLike; received: readonly string[] };

export interface MeshEnvironment {
  createWebSocket(url: string): WebSocketLike;
  /**
   * A greeted socket to `url`, if one is waiting (a join form says hello while
   * the name is typed); it is the caller's from now on. Asked once, for a
   * first session without a resume token: then Join costs no handshake.
   */
  takeGreetedSocket?(url: string): GreetedSocket | undefined;
  createPeerConnection(configuration: RTCConfiguration): PeerConnectionLike;
  /**
   * Wraps a remote track whose sender attached no stream (`a=msid:-`), which is
   * what the polite side's replaceTrack path produces.
   */
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
  clock: Clock;
  logger: Logger;
  /** Uniform in [0, 1); for jitter. */
  random(): number;
  /** A meter on our microphone (Web Audio in the browser); without one, our level comes from a link's stats. */
  createLevelMeter?(track: MediaStreamTrack): LevelMeter | undefined;
  /** Whether nobody can see the page now (a hidden tab): observation slows down. */
  pageHidden?(): boolean;
  /**
   * Whether `setLocalDescription()` with no argument makes the offer or answer
   * itself (browsers). That saves a hop through the page's task queue between
   * createOffer and setLocalDescription, which a busy page makes long.
   * @roamhq/wrtc has no such form: without this flag descriptions are explicit.
   */
  implicitDescriptions?: boolean;
  /**
   * Whether a description announces a sending transceiver's SSRC before it has
   * a track (Chromium does; @roamhq/wrtc does not, and its audio then never
   * arrives). With it, the answering side attaches its track while answering
   * instead of before.
   */
  announcesTracklessSenders?: boolean;
}
