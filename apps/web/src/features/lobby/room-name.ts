import { LIMITS, RoomId } from '@parley/protocol';

/**
 * Turn what someone typed into a room id the protocol accepts:
 * "Team Sync!" -> "team-sync", "Café ☕" -> "cafe". May return ''.
 */
export function normalizeRoomId(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_.]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-+/, '')
    .slice(0, LIMITS.roomIdMaxChars)
    .replace(/-+$/, '');
}

const ADJECTIVES = ['amber', 'brisk', 'calm', 'clever', 'cosy', 'daring', 'gentle', 'golden', 'lively', 'lucky', 'mellow', 'quiet', 'rapid', 'sunny', 'swift', 'witty'];
const NOUNS = ['badger', 'comet', 'delta', 'falcon', 'harbor', 'island', 'lantern', 'maple', 'meadow', 'otter', 'pebble', 'river', 'robin', 'summit', 'tiger', 'willow'];

/** Fills a byte array with cryptographically strong random values (crypto.getRandomValues in the browser). */
export type RandomBytes = (bytes: Uint8Array) => Uint8Array;

/** Crockford's base 32, lowercase: no i, l, o or u to misread. */
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';
/** 15 base-32 characters: 75 bits, out of reach of anyone guessing or enumerating names. */
export const SECRET_CHARS = 15;

/**
 * A fresh room id such as "calm-otter-7kq2m9xv4tzpb3h": a readable pair of
 * words to tell rooms apart, then 75 random bits (crypto.getRandomValues)
 * so that nobody finds the room by guessing. The words carry 8 more bits.
 */
export function randomRoomId(randomBytes: RandomBytes): RoomId {
  const bytes = randomBytes(new Uint8Array(SECRET_CHARS + 2));
  const secret = Array.from(bytes.subarray(0, SECRET_CHARS), (b) => BASE32[b & 31]).join('');
  const adjective = ADJECTIVES[(bytes[SECRET_CHARS] ?? 0) & 15];
  const noun = NOUNS[(bytes[SECRET_CHARS + 1] ?? 0) & 15];
  return `${adjective}-${noun}-${secret}`;
}

export type RoomChoice = { ok: true; roomId: RoomId } | { ok: false; message: string };

/** Empty means "start a new room" (an unguessable one); anything else must leave a valid id after normalising. */
export function chooseRoom(input: string, randomBytes: RandomBytes): RoomChoice {
  if (input.trim() === '') return { ok: true, roomId: randomRoomId(randomBytes) };
  const parsed = RoomId.safeParse(normalizeRoomId(input));
  if (!parsed.success) {
    return { ok: false, message: 'Use letters or digits in the room name, for example "team-sync".' };
  }
  return { ok: true, roomId: parsed.data };
}
