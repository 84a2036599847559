import type { ConnectionState as MeshConnectionState, LinkState as MeshLinkState } from '@parley/mesh';
import { z } from 'zod';

/**
 * What `--json` prints: one object per line, either a periodic report of
 * one bot or an event. The schemas are the contract with whoever reads the
 * lines (e2e/support/bot-process.ts parses them with `parseBotLine`).
 */

const ConnectionState = z.enum(['idle', 'connecting', 'connected', 'reconnecting', 'closed']);
const LinkState = z.enum(['new', 'connecting', 'connected', 'disconnected', 'restarting', 'failed', 'closed']);

// The engine's unions are the source of truth: these fail to compile when a state is added there and not here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type _ConnectionStatesMatch = Assert<Same<z.infer<typeof ConnectionState>, MeshConnectionState>>;
type _LinkStatesMatch = Assert<Same<z.infer<typeof LinkState>, MeshLinkState>>;

export const PeerReport = z.object({
  userId: z.string(),
  name: z.string(),
  link: LinkState,
  /** Inbound audio RTP bytes from this peer so far. */
  bytes: z.number(),
  /** Decoded 10 ms audio frames from this peer so far. */
  frames: z.number(),
  /** RMS of the audio heard from this peer during the last interval, 0..1. */
  level: z.number(),
  /** Audio with energy arrived from this peer during the last interval. */
  hearing: z.boolean(),
});
export type PeerReport = z.infer<typeof PeerReport>;

const Common = {
  /** Milliseconds since the bot process started. */
  t: z.number(),
  name: z.string(),
  /** Null until the server's welcome. */
  userId: z.string().nullable(),
  room: z.string(),
};

/** Every `--report-ms`, per bot: everyone else in the room and what is heard of them. */
export const BotReport = z.object({
  ...Common,
  connection: ConnectionState,
  peers: z.array(PeerReport),
});
export type BotReport = z.infer<typeof BotReport>;

const Person = z.object({ userId: z.string(), name: z.string() });

export const BotEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('joined'), ...Common, peers: z.array(Person) }),
  z.object({ event: z.literal('peerJoined'), ...Common, peer: Person }),
  z.object({ event: z.literal('peerLeft'), ...Common, peer: Person, reason: z.enum(['left', 'disconnected', 'removed']) }),
  z.object({ event: z.literal('connection'), ...Common, from: ConnectionState, to: ConnectionState }),
  /** `fatal`: the bot gives up and the process exits non-zero. */
  z.object({ event: z.literal('error'), ...Common, message: z.string(), fatal: z.boolean() }),
  z.object({ event: z.literal('left'), ...Common }),
]);
export type BotEvent = z.infer<typeof BotEvent>;

export const BotLine = z.union([BotEvent, BotReport]);
export type BotLine = z.infer<typeof BotLine>;

/** One line of `--json` output, checked; undefined for anything else (a log line, a partial write). */
export function parseBotLine(text: string): BotLine | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = BotLine.safeParse(json);
  return result.success ? result.data : undefined;
}

export function isReport(line: BotLine): line is BotReport {
  return !('event' in line);
}
