import * as z from 'zod/mini';
import { RoomId, stripBidiControls, UserId } from './fields';
import { LIMITS } from './limits';

/** Chosen by the sending client, unique per message: makes a resend idempotent. */
export const ChatClientId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId must be 8-64 URL-safe characters'));
export type ChatClientId = z.infer<typeof ChatClientId>;

/**
 * Message text: bidi controls removed (they could make the text, or the
 * messages shown after it, read differently from what was sent), then
 * trimmed, 1..4000 characters. Stripped rather than refused: right-to-left
 * writers' keyboards put marks in by themselves, and losing a message for
 * one would be worse than losing the mark. Plain text; never rendered as HTML.
 */
export const ChatText = z.string().check(
  z.overwrite(stripBidiControls),
  z.trim(),
  z.minLength(1, 'message is empty'),
  z.maxLength(LIMITS.chatTextMaxChars, `message is longer than ${LIMITS.chatTextMaxChars} characters`),
);

/** Per-room sequence number assigned by the server: 1, 2, 3, ... */
export const ChatSeq = z.int().check(z.positive());

export const ChatMessage = z.object({
  roomId: RoomId,
  seq: ChatSeq,
  clientId: ChatClientId,
  userId: UserId,
  /**
   * The sender's name when they sent it. Only its length is checked: a stored message keeps
   * the name it was sent under, and a history page must not become unreadable because
   * the rules for new names (DisplayName) grew stricter since.
   */
  displayName: z.string().check(z.maxLength(LIMITS.displayNameMaxChars)),
  text: z.string().check(z.maxLength(LIMITS.chatTextMaxChars)),
  /** Server time the message was stored (ms since epoch). */
  sentAt: z.int(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

// Client -> server

export const ChatSend = z.object({
  type: z.literal('chat.send'),
  roomId: RoomId,
  clientId: ChatClientId,
  text: ChatText,
});
export type ChatSend = z.infer<typeof ChatSend>;

/**
 * Ask for stored messages: `afterSeq` for what was missed (oldest first),
 * `beforeSeq` for older pages when scrolling up, neither for the latest page.
 */
export const HistoryRequestId = z.int().check(z.nonnegative(), z.lte(2 ** 31));

export const ChatHistoryRequest = z.object({
  type: z.literal('chat.history'),
  roomId: RoomId,
  afterSeq: z.optional(z.int().check(z.nonnegative())),
  beforeSeq: z.optional(ChatSeq),
  limit: z.optional(z.int().check(z.gte(1), z.lte(LIMITS.chatHistoryMaxPage))),
  /** Chosen by the client, echoed in the page (or in the error's `ref`) that answers: which request this is. */
  requestId: z.optional(HistoryRequestId),
});
export type ChatHistoryRequest = z.infer<typeof ChatHistoryRequest>;

export const ChatTypingSend = z.object({
  type: z.literal('chat.typing'),
  roomId: RoomId,
});
export type ChatTypingSend = z.infer<typeof ChatTypingSend>;

// Server -> client

/** To the sender: the message is stored (also answers a resend of a stored clientId). */
export const ChatAck = z.object({
  type: z.literal('chat.ack'),
  message: ChatMessage,
});
export type ChatAck = z.infer<typeof ChatAck>;

/** To the other members of the room: a new message. */
export const ChatMessageDelivered = z.object({
  type: z.literal('chat.message'),
  message: ChatMessage,
});
export type ChatMessageDelivered = z.infer<typeof ChatMessageDelivered>;

export const ChatHistoryPage = z.object({
  type: z.literal('chat.history'),
  roomId: RoomId,
  /** Oldest first. */
  messages: z.array(ChatMessage),
  /** More messages exist beyond this page in the direction asked. */
  hasMore: z.boolean(),
  /** The request's `requestId`, when it had one. */
  requestId: z.optional(HistoryRequestId),
});
export type ChatHistoryPage = z.infer<typeof ChatHistoryPage>;

export const ChatTyping = z.object({
  type: z.literal('chat.typing'),
  roomId: RoomId,
  userId: UserId,
});
export type ChatTyping = z.infer<typeof ChatTyping>;
