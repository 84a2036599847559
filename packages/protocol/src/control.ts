import * as z from 'zod/mini';
import { VoiceState } from './fields';
import { parseFrame, type ParseResult } from './parse';

/**
 * Messages two peers exchange directly over their `control` data channel
 * (negotiated, ordered, id 0). The server never sees them.
 */

/** Largest control frame a peer accepts; real ones are well under 200 bytes. */
export const CONTROL_FRAME_MAX_BYTES = 1024;

export const ControlVoiceState = z.object({
  type: z.literal('voice.state'),
  ...VoiceState.shape,
});
export type ControlVoiceState = z.infer<typeof ControlVoiceState>;

/** `sentAtMs` is the sender's own clock; the pong echoes it back unchanged. */
export const ControlPing = z.object({
  type: z.literal('ping'),
  id: z.int().check(z.nonnegative()),
  // z.number() refuses NaN and the infinities by itself (JSON cannot carry them anyway).
  sentAtMs: z.number(),
});
export type ControlPing = z.infer<typeof ControlPing>;

export const ControlPong = z.object({
  type: z.literal('pong'),
  id: z.int().check(z.nonnegative()),
  sentAtMs: z.number(),
});
export type ControlPong = z.infer<typeof ControlPong>;

export const ControlMessage = z.discriminatedUnion('type', [ControlVoiceState, ControlPing, ControlPong]);
export type ControlMessage = z.infer<typeof ControlMessage>;
export type ControlMessageType = ControlMessage['type'];

/** Parse one data channel frame from a peer. Never throws. */
export function parseControlMessage(frame: unknown): ParseResult<ControlMessage> {
  return parseFrame(ControlMessage, frame, CONTROL_FRAME_MAX_BYTES);
}

export function encodeControlMessage(message: ControlMessage): string {
  return JSON.stringify(message);
}
