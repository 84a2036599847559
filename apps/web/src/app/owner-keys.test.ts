import { describe, expect, it } from 'vitest';
import { OwnerKeys } from './owner-keys';
import { fakeStorage } from './testing/fake-storage';

const KEY = 'AbCdEfGhIjKlMnOp_-12';

describe('OwnerKeys', () => {
  it('keeps one key per room, for later visits of this browser', () => {
    const storage = fakeStorage();
    new OwnerKeys(storage).save('friday', KEY);
    const later = new OwnerKeys(storage);
    expect(later.load('friday')).toBe(KEY);
    expect(later.load('saturday')).toBeUndefined();
    expect(storage.items.get('parley.ownerKey.friday')).toBe(KEY);
  });

  it('ignores what is not a key', () => {
    const storage = fakeStorage();
    storage.items.set('parley.ownerKey.friday', 'short');
    expect(new OwnerKeys(storage).load('friday')).toBeUndefined();
  });

  it('works without storage, remembering nothing', () => {
    for (const keys of [new OwnerKeys(undefined), new OwnerKeys(fakeStorage({ broken: true }))]) {
      expect(() => keys.save('friday', KEY)).not.toThrow();
      expect(keys.load('friday')).toBeUndefined();
    }
  });
});
