import type { ClientMessageType } from '@parley/protocol';
import { createRateLimiter, type RateLimit, type RateLimiter, type Take } from '../chat/rate-limiter';
import type { Clock } from '../clock';

/**
 * How many frames of each type one socket may send: a token bucket per type,
 * sized so that a person (or a page forming a mesh of ten, with its bursts
 * of ICE candidates) never meets it and a script flooding one type does.
 * Chat also has its per-user and per-address budgets (chat-service.ts), and
 * the owner's requests theirs (owner-requests.ts).
 */
export type FrameBudgets = Record<ClientMessageType, RateLimit>;

export const FRAME_BUDGETS: FrameBudgets = {
  'session.hello': { perS: 1, burst: 2 },
  'session.ping': { perS: 2, burst: 5 },
  // A join into a room of ten: nine offers or answers and some ten candidates each at once; restarts later.
  // Weighted by size (see frameCost): an SDP of a few kilobytes costs 1, one of 48 KB costs 7.
  'peer.signal': { perS: 20, burst: 150 },
  'voice.state': { perS: 5, burst: 20 },
  'room.join': { perS: 0.5, burst: 5 },
  'room.leave': { perS: 0.5, burst: 5 },
  // The chat's own per-user, per-address and per-room limits are the real ones (PARLEY_CHAT_*); this only caps a socket.
  'chat.send': { perS: 20, burst: 100 },
  'chat.history': { perS: 2, burst: 10 },
  'chat.typing': { perS: 2, burst: 5 },
  'chat.clear': { perS: 0.2, burst: 2 },
  'room.configure': { perS: 2, burst: 10 },
  'room.invite': { perS: 1, burst: 5 },
  'room.remove': { perS: 2, burst: 10 },
  'room.mute': { perS: 2, burst: 10 },
};

/** Bytes of frame that cost one token more: a big frame weighs what several small ones do. */
export const BYTES_PER_TOKEN = 8 * 1024;

export function frameCost(bytes: number): number {
  return 1 + Math.floor(bytes / BYTES_PER_TOKEN);
}

export type FrameBudget = {
  /** Takes a frame of `type` and `bytes` from the budget of the socket `socketKey`, or says when it may come. */
  take(socketKey: string, type: ClientMessageType, bytes: number): Take;
};

/**
 * Every socket's budget: one rate limiter per message type, keyed by socket.
 * What a socket leaves in them is a number per type it sent, swept away once
 * its bucket is full again (rate-limiter.ts), so an idle connection costs
 * next to nothing here; a limiter of its own per type, as each socket had,
 * cost it about 1.5 kB for as long as it stayed open. `socketKey` must not be
 * reused by a later socket.
 */
export function createFrameBudget(clock: Pick<Clock, 'now'>, budgets: FrameBudgets = FRAME_BUDGETS): FrameBudget {
  const limiters = Object.fromEntries(
    Object.entries(budgets).map(([type, limit]) => [type, createRateLimiter(limit, clock)]),
  ) as Record<ClientMessageType, RateLimiter>;
  return {
    take: (socketKey, type, bytes) => limiters[type].take(socketKey, frameCost(bytes)),
  };
}
