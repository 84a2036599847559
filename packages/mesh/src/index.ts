export { RoomClient, type RoomClientOptions } from './room-client';
export {
  SessionClient,
  type IceSettings,
  type LeaveReason,
  type RoomAccess,
  type RoomSettingsState,
  type SessionClientOptions,
  type SessionEvents,
} from './session-client';
export { PeerMesh, type PeerMeshEvents, type PeerMeshOptions } from './peer-mesh';
export { gradeLink, QUALITY_THRESHOLDS, type CodecInfo, type LinkQuality, type PathType, type QualityGrade } from './link-quality';
export { ChatChannel, type ChatEvents, type ChatRejection, type HistoryBounds } from './chat-channel';
export { Emitter, type Listener } from './emitter';
export { browserEnvironment, type BrowserEnvironmentOptions, type BrowserLogLevel } from './browser-environment';
export { MeshError, type MeshErrorReason } from './errors';
export type { ConnectionState, LinkState, RoomEventName, RoomEvents } from './events';
export type {
  Clock,
  DataChannelLike,
  GreetedSocket,
  LevelMeter,
  LogFields,
  Logger,
  MeshEnvironment,
  PeerConnectionLike,
  TimerHandle,
  WebSocketLike,
} from './environment';
export { exponentialBackoff, neverReconnect, type BackoffOptions, type ReconnectPolicy, type RetryContext } from './retry-policy';
export { deafenToggled, INITIAL_VOICE_CONTROLS, muteToggled, wireVoice, type VoiceControls } from './voice-rules';
