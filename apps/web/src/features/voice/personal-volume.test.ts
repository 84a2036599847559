import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../app/browser-storage';
import { createAppStore } from '../../app/store';
import { fakeStorage } from '../../app/testing/fake-storage';
import { gainOf, MAX_REMEMBERED_PEOPLE, selectVolumeChoice } from './personal-volume-slice';
import { loadPersonalVolumes, PERSONAL_VOLUMES_KEY, persistPersonalVolumes } from './personal-volume-storage';

function storageWith(raw: string) {
  const storage = memoryStorage();
  storage.setItem(PERSONAL_VOLUMES_KEY, raw);
  return storage;
}

describe('personal volume', () => {
  it('is remembered by name as people write it, and turns into the gain heard', () => {
    const store = createAppStore();
    store.getState().personalVolumeChanged('Bob', { volumePercent: 150 });
    store.getState().personalVolumeChanged(' bob', { mutedForMe: true });
    const choice = selectVolumeChoice('BOB')(store.getState());
    expect(choice).toMatchObject({ volumePercent: 150, mutedForMe: true });
    expect(selectVolumeChoice('Bob')(store.getState())).toBe(choice);
    expect(gainOf(choice)).toBe(0);
    expect(gainOf({ ...choice, mutedForMe: false })).toBe(1.5);
    expect(selectVolumeChoice('Cleo')(store.getState())).toEqual({ volumePercent: 100, mutedForMe: false });
  });

  it('keeps volumes within 0-200 % and forgets someone set back to the default', () => {
    const store = createAppStore();
    store.getState().personalVolumeChanged('Bob', { volumePercent: 999 });
    expect(selectVolumeChoice('Bob')(store.getState()).volumePercent).toBe(200);
    store.getState().personalVolumeChanged('Bob', { volumePercent: -3 });
    expect(selectVolumeChoice('Bob')(store.getState()).volumePercent).toBe(0);
    store.getState().personalVolumeChanged('Bob', { volumePercent: 100 });
    expect(store.getState().personalVolumes).toEqual([]);
  });

  it('remembers at most a hundred people, forgetting the longest unchanged first', () => {
    const store = createAppStore();
    for (let i = 0; i <= MAX_REMEMBERED_PEOPLE; i++) store.getState().personalVolumeChanged(`p${i}`, { volumePercent: 50 });
    store.getState().personalVolumeChanged('p1', { volumePercent: 60 });
    const kept = store.getState().personalVolumes.map((e) => e.nameKey);
    expect(kept).toHaveLength(MAX_REMEMBERED_PEOPLE);
    expect(kept).not.toContain('p0');
    expect(kept.at(-1)).toBe('p1');
  });
});

describe('personal volumes in storage', () => {
  it('a reload finds what was chosen', () => {
    const storage = memoryStorage();
    const first = createAppStore();
    persistPersonalVolumes(first, storage);
    first.getState().personalVolumeChanged('Bob', { volumePercent: 0 });
    const reloaded = createAppStore();
    persistPersonalVolumes(reloaded, storage);
    expect(selectVolumeChoice('Bob')(reloaded.getState()).volumePercent).toBe(0);
  });

  it('reads nothing from nothing usable, and skips only the bad entries of a list', () => {
    expect(loadPersonalVolumes(undefined)).toEqual([]);
    expect(loadPersonalVolumes(fakeStorage({ broken: true }))).toEqual([]);
    for (const raw of ['{not json', 'null', '{"bob":1}', '"x"']) expect(loadPersonalVolumes(storageWith(raw)), raw).toEqual([]);
    const mixed = JSON.stringify([
      { nameKey: 'bob', volumePercent: 50, mutedForMe: false },
      { nameKey: 'eve', volumePercent: 5000, mutedForMe: false },
      { nameKey: '', volumePercent: 50, mutedForMe: false },
      'cleo',
      { nameKey: 'bob', volumePercent: 70, mutedForMe: true },
    ]);
    expect(loadPersonalVolumes(storageWith(mixed))).toEqual([{ nameKey: 'bob', volumePercent: 70, mutedForMe: true }]);
  });
});
