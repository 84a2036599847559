import type { RoomId } from '@parley/protocol';
import type { RoomSettingsStore, StoredRoomSettings } from './room-settings-store';

/** A RoomSettingsStore in a Map, for tests of the modules that use one. Keeps nothing across processes. */
export function createMemoryRoomSettingsStore(): RoomSettingsStore {
  const rooms = new Map<RoomId, StoredRoomSettings>();
  return {
    async get(roomId) {
      const settings = rooms.get(roomId);
      return settings && { ...settings };
    },
    async put(settings) {
      const stored = rooms.get(settings.roomId);
      if (stored && stored.revision > settings.revision) return;
      rooms.set(settings.roomId, { ...settings });
    },
    async purgeInactive(cutoff, keep) {
      const purged: RoomId[] = [];
      for (const [roomId, settings] of rooms) {
        if (settings.lastActiveAt >= cutoff || keep.has(roomId)) continue;
        rooms.delete(roomId);
        purged.push(roomId);
      }
      return purged.sort();
    },
  };
}
