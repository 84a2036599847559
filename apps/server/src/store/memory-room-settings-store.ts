import type { RoomId } from '@parley/protocol';
import type { RoomSettingsStore, StoredRoomSettings } from './room-settings-store';

/** A RoomSettingsStore in a Map, for tests of the modules that use one. Keeps nothing across processes. */
export function createMemoryRoomSettingsStore(): RoomSettingsStore {
  const rooms = new Map<RoomId, StoredRoomSettings>();
  return {
    get(roomId) {
      const settings = rooms.get(roomId);
      return settings && { ...settings };
    },
    put(settings) {
      rooms.set(settings.roomId, { ...settings });
    },
    touch(roomId, at) {
      const settings = rooms.get(roomId);
      if (settings) settings.lastActiveAt = at;
    },
    purgeInactive(cutoff, keep) {
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
