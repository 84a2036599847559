import * as z from 'zod/mini';
import type { StorageLike } from '../../app/browser-storage';
import { MAX_REMEMBERED_PEOPLE, PersonalVolume, type PersonalVolumeSlice } from './personal-volume-slice';

export const PERSONAL_VOLUMES_KEY = 'parley.personalVolumes';

/** Bad entries are dropped one by one, so one odd entry does not cost the others. */
const StoredVolumes = z.array(z.unknown()).check(z.maxLength(MAX_REMEMBERED_PEOPLE * 2));

/**
 * The volumes this browser kept. Storage is never trusted: bad JSON, a shape
 * that is not a list, or a storage that throws (private mode) read as
 * nothing kept; an entry that does not parse is skipped; at most the last
 * MAX_REMEMBERED_PEOPLE are taken, one per name (the last wins).
 */
export function loadPersonalVolumes(storage: Pick<StorageLike, 'getItem'> | undefined): PersonalVolume[] {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(PERSONAL_VOLUMES_KEY);
  } catch {
    return [];
  }
  if (raw === null || raw === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return [];
  }
  const list = StoredVolumes.safeParse(json);
  if (!list.success) return [];
  const byName = new Map<string, PersonalVolume>();
  for (const item of list.data) {
    const entry = PersonalVolume.safeParse(item);
    if (!entry.success) continue;
    byName.delete(entry.data.nameKey);
    byName.set(entry.data.nameKey, entry.data);
  }
  return [...byName.values()].slice(-MAX_REMEMBERED_PEOPLE);
}

/** Returns false when storage refused (quota, private mode): the volumes still hold for this page. */
export function savePersonalVolumes(storage: Pick<StorageLike, 'setItem'> | undefined, volumes: readonly PersonalVolume[]): boolean {
  if (!storage) return false;
  try {
    storage.setItem(PERSONAL_VOLUMES_KEY, JSON.stringify(volumes));
    return true;
  } catch {
    return false;
  }
}

type VolumesStore = {
  getState(): PersonalVolumeSlice;
  subscribe(listener: (state: PersonalVolumeSlice, previous: PersonalVolumeSlice) => void): () => void;
};

/** Loads the kept volumes into the store, then keeps every change. Returns the unsubscribe. */
export function persistPersonalVolumes(store: VolumesStore, storage: StorageLike | undefined): () => void {
  store.getState().personalVolumesLoaded(loadPersonalVolumes(storage));
  return store.subscribe((state, previous) => {
    if (state.personalVolumes !== previous.personalVolumes) savePersonalVolumes(storage, state.personalVolumes);
  });
}
