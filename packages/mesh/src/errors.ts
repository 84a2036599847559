import type { ErrorCode, UserId } from '@parley/protocol';

export type MeshErrorReason =
  | 'signalingRejected'
  | 'unsupportedVersion'
  | 'replaced'
  | 'negotiationFailed'
  | 'iceFailed'
  | 'dataChannelFailed';

/** Errors carry a reason and whether the engine will recover by itself. */
export class MeshError extends Error {
  override readonly name = 'MeshError';
  private constructor(
    readonly reason: MeshErrorReason,
    message: string,
    readonly recoverable: boolean,
    readonly details: { peerId?: UserId; code?: ErrorCode; inReplyTo?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message);
  }

  /** The server's `error` frame: its code, which message it answers and, for a rate limit, when to try again. */
  static signalingRejected(code: ErrorCode, message: string, context: { inReplyTo?: string; retryAfterMs?: number } = {}): MeshError {
    return new MeshError('signalingRejected', `server refused a message: ${code}: ${message}`, true, { code, ...context });
  }

  static unsupportedVersion(): MeshError {
    return new MeshError('unsupportedVersion', 'the server speaks another protocol version; reload the page', false);
  }

  static replaced(): MeshError {
    return new MeshError('replaced', 'this session was opened in another tab or window', false);
  }

  static negotiationFailed(peerId: UserId, cause: unknown): MeshError {
    return new MeshError('negotiationFailed', `negotiation with ${peerId} failed`, true, { peerId, cause });
  }

  static iceFailed(peerId: UserId, cause?: unknown): MeshError {
    return new MeshError('iceFailed', `no network path to ${peerId}`, true, { peerId, cause });
  }

  static dataChannelFailed(peerId: UserId, cause: unknown): MeshError {
    return new MeshError('dataChannelFailed', `control channel to ${peerId} failed`, true, { peerId, cause });
  }
}
