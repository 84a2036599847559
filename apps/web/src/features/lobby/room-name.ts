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

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length) % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A fresh, readable room id such as "calm-otter-482". */
export function randomRoomId(random: () => number): RoomId {
  const digits = String(Math.floor(random() * 900) + 100);
  return `${pick(ADJECTIVES, random)}-${pick(NOUNS, random)}-${digits}`;
}

export type RoomChoice = { ok: true; roomId: RoomId } | { ok: false; message: string };

/** Empty means "start a new room"; anything else must leave a valid id after normalising. */
export function chooseRoom(input: string, random: () => number): RoomChoice {
  if (input.trim() === '') return { ok: true, roomId: randomRoomId(random) };
  const parsed = RoomId.safeParse(normalizeRoomId(input));
  if (!parsed.success) {
    return { ok: false, message: 'Use letters or digits in the room name, for example "team-sync".' };
  }
  return { ok: true, roomId: parsed.data };
}
