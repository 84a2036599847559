export { MeshClient, type MeshClientOptions } from './mesh-client';
export { browserEnvironment, type BrowserEnvironmentOptions } from './browser-environment';
export { MeshError, type MeshErrorReason } from './errors';
export type { ConnectionState, LinkState, MeshEventName, MeshEvents } from './events';
export type {
  Clock,
  DataChannelLike,
  LogFields,
  Logger,
  MeshEnvironment,
  PeerConnectionLike,
  TimerHandle,
  WebSocketLike,
} from './environment';
export { exponentialBackoff, neverReconnect, type BackoffOptions, type ReconnectPolicy, type RetryContext } from './retry-policy';
