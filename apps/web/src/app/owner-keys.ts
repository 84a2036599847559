import { OwnerKey, type RoomId } from '@parley/protocol';
import type { StorageLike } from './browser-storage';

const PREFIX = 'parley.ownerKey.';

/**
 * The keys that make this browser the owner of the rooms it created: the
 * server hands one out once (`room.ownerKey`) and recognises its holder in
 * every later `room.join`. Kept in localStorage: they outlive the tab, and
 * are lost only with the browser's storage (then the room has no way back
 * to its creator). Storage failures cost only that.
 */
export class OwnerKeys {
  constructor(private readonly storage: StorageLike | undefined) {}

  load(roomId: RoomId): string | undefined {
    try {
      const parsed = OwnerKey.safeParse(this.storage?.getItem(PREFIX + roomId));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  save(roomId: RoomId, ownerKey: string): void {
    try {
      this.storage?.setItem(PREFIX + roomId, ownerKey);
    } catch {
      // Quota or private mode: this browser will not be the owner after leaving.
    }
  }
}
