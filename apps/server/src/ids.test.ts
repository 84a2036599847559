import { UserId } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { laterIsLargerId } from './ids';

describe('participant ids', () => {
  it('sort by when they were made, as strings compare: the mesh has the older side offer', () => {
    const times = [0, 1, 999, 1_000, 1_764_800_000_000, 1_764_800_000_001, 2 ** 47, 2 ** 48 - 1];
    const ids = times.map((ms) => laterIsLargerId(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('are valid on the wire, and two made in the same millisecond differ', () => {
    const a = laterIsLargerId(1_764_800_000_000);
    const b = laterIsLargerId(1_764_800_000_000);
    expect(UserId.safeParse(a).success).toBe(true);
    expect(a).not.toBe(b);
    expect(a).toHaveLength(28);
  });
});
