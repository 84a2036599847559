import * as z from 'zod/mini';
import type { ErrorCode } from './codes';
import { LIMITS } from './limits';
import { ClientMessage, ServerMessage } from './messages';

export type ParseFailure = {
  ok: false;
  code: Extract<ErrorCode, 'bad_json' | 'invalid_message' | 'frame_too_large'>;
  message: string;
  /** The `type` field of the frame, when it had one; for error replies. */
  type?: string;
};
export type ParseResult<T> = { ok: true; value: T } | ParseFailure;

/** Set by parseWithoutCodeGeneration. */
let jitless = false;

/**
 * zod/mini loads no locale, so its own messages are all "Invalid input". The
 * server explains a refused frame to its client in zod's English ("Too big:
 * expected string to have <=64 characters"), so client frames are parsed with
 * the English messages whatever else the process configured. Made on first
 * use: a page, which only parses server frames, never loads them.
 */
let englishMessages: z.core.$ZodErrorMap | undefined;

/**
 * Check frames without generating code. zod compiles a parser for each object
 * schema the first time it is used (with `new Function`): worth it on a server
 * that parses millions of frames, but on a page that paid it for each kind of
 * message while joining (about 10 ms, measured on a busy machine), and that a
 * strict Content-Security-Policy (no 'unsafe-eval') forbids anyway. Call once,
 * at start. It is asked for on every parse: zod's global `jitless` setting is
 * read when a schema is built, at import, before any caller can run.
 */
export function parseWithoutCodeGeneration(): void {
  jitless = true;
}

/** UTF-8 byte length without Node's Buffer or the DOM's TextEncoder allocation. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function describe(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function typeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type.slice(0, 64) : undefined;
}

/**
 * Parse one text frame against `schema`: size first, then JSON, then the
 * schema. Never throws. Exported for the other wire formats (the peers'
 * control channel) so every frame is checked the same way.
 */
export function parseFrame<T>(
  schema: z.ZodMiniType<T>,
  frame: unknown,
  maxBytes: number = LIMITS.maxFrameBytes,
  messages?: z.core.$ZodErrorMap,
): ParseResult<T> {
  if (typeof frame !== 'string') {
    return { ok: false, code: 'invalid_message', message: 'frames are text' };
  }
  if (utf8Length(frame) > maxBytes) {
    return { ok: false, code: 'frame_too_large', message: `frame exceeds ${maxBytes} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { ok: false, code: 'bad_json', message: 'frame is not valid JSON' };
  }
  const result = schema.safeParse(json, { ...(jitless ? { jitless } : {}), ...(messages ? { error: messages } : {}) });
  if (!result.success) {
    const type = typeOf(json);
    return {
      ok: false,
      code: 'invalid_message',
      message: describe(result.error),
      ...(type === undefined ? {} : { type }),
    };
  }
  return { ok: true, value: result.data };
}

/** Parse one text frame from a client. Never throws. */
export function parseClientMessage(frame: string): ParseResult<ClientMessage> {
  englishMessages ??= z.locales.en().localeError;
  return parseFrame(ClientMessage, frame, LIMITS.maxFrameBytes, englishMessages);
}

/** Parse one text frame from the server. Never throws. */
export function parseServerMessage(frame: string): ParseResult<ServerMessage> {
  return parseFrame(ServerMessage, frame);
}

export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}

/** For `switch` statements over message unions: a new member fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
