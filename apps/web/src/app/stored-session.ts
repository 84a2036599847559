import { DisplayName, RoomId } from '@parley/protocol';
import type { StorageLike } from './browser-storage';

/**
 * Who this tab is in which room, so a reload comes back as the same
 * participant. Kept in sessionStorage: it survives a reload of this tab but
 * is not shared with a new one.
 */
export type StoredSession = { roomId: RoomId; displayName: DisplayName; resumeToken: string };

const KEY = 'parley.session';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Anything that is not a session we wrote (an older format, a hand edit) counts as none. */
function toStoredSession(value: unknown): StoredSession | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const roomId = RoomId.safeParse(record.roomId);
  const displayName = DisplayName.safeParse(record.displayName);
  const resumeToken = record.resumeToken;
  if (!roomId.success || !displayName.success || typeof resumeToken !== 'string' || resumeToken === '') return undefined;
  return { roomId: roomId.data, displayName: displayName.data, resumeToken };
}

/** Storage failures (quota, private mode) only cost the convenience of rejoining. */
export class SessionMemory {
  constructor(private readonly storage: StorageLike | undefined) {}

  load(): StoredSession | undefined {
    try {
      const text = this.storage?.getItem(KEY);
      return text ? toStoredSession(parseJson(text)) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The stored session for this room, if there is one. */
  loadFor(roomId: RoomId): StoredSession | undefined {
    const stored = this.load();
    return stored?.roomId === roomId ? stored : undefined;
  }

  save(session: StoredSession): void {
    try {
      this.storage?.setItem(KEY, JSON.stringify(session));
    } catch {
      // Nothing to do: the next reload shows the name form instead.
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(KEY);
    } catch {
      // Same as above.
    }
  }
}
