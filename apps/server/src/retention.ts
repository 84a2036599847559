import type { Logger } from 'pino';
import type { Clock } from './clock';
import type { RoomService } from './rooms/room-service';
import type { ChatStore } from './store/chat-store';
import type { RoomSettingsStore } from './store/room-settings-store';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often old messages and forgotten rooms are deleted (and once at start). */
export const RETENTION_SWEEP_MS = 60 * 60 * 1000;

export type RetentionDeps = {
  chat: Pick<ChatStore, 'deleteOlderThan'>;
  policies: Pick<RoomSettingsStore, 'purgeInactive'>;
  rooms: Pick<RoomService, 'activeRoomIds'>;
  clock: Clock;
  logger: Logger;
  days: number;
};

/**
 * PARLEY_CHAT_RETENTION_DAYS at work: chat messages older than the period
 * are deleted, and so are the settings (owner, password, lock, listing) of
 * rooms nobody has been in for that long; a room people are in now keeps
 * its settings whatever its age. Returns the stop function.
 */
export function startRetention(deps: RetentionDeps): () => void {
  const log = deps.logger.child({ component: 'retention' });
  const sweep = async (): Promise<void> => {
    const cutoff = deps.clock.now() - deps.days * DAY_MS;
    try {
      const messages = await deps.chat.deleteOlderThan(cutoff);
      const rooms = await deps.policies.purgeInactive(cutoff, deps.rooms.activeRoomIds());
      if (messages > 0 || rooms.length > 0) log.info({ messages, rooms: rooms.length, days: deps.days }, 'deleted what outlived retention');
    } catch (err) {
      log.error({ err }, 'retention sweep failed; trying again later');
    }
  };
  void sweep();
  return deps.clock.setInterval(() => void sweep(), RETENTION_SWEEP_MS);
}
