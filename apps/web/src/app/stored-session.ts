import { DisplayName, InviteToken, ResumeToken, RoomId, RoomPassword } from '@parley/protocol';
import * as z from 'zod/mini';
import type { StorageLike } from './browser-storage';

/**
 * Who this tab is in which room, so a reload comes back as the same
 * participant; and what let it in (the password typed, the invite it came
 * with), so that a reload after the server has let go of us (past the grace
 * period) gets in again without asking. Kept in sessionStorage: it survives
 * a reload of this tab but is not shared with a new one, and Leave clears it.
 */
const StoredSession = z.object({
  roomId: RoomId,
  displayName: DisplayName,
  resumeToken: ResumeToken,
  password: z.optional(RoomPassword),
  invite: z.optional(InviteToken),
});
export type StoredSession = z.infer<typeof StoredSession>;

const KEY = 'parley.session';

/** Anything that is not a session we wrote (not JSON, an older format, a hand edit) counts as none. */
function toStoredSession(text: string): StoredSession | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = StoredSession.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Storage failures (quota, private mode) only cost the convenience of rejoining. */
export class SessionMemory {
  constructor(private readonly storage: StorageLike | undefined) {}

  load(): StoredSession | undefined {
    try {
      const text = this.storage?.getItem(KEY);
      return text ? toStoredSession(text) : undefined;
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
