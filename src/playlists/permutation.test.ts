import { describe, expect, it } from 'vitest';
import { createPermutation } from './permutation.js';

describe('createPermutation', () => {
  it.each([1, 2, 3, 7, 64, 65, 1000, 4097])('when walked over size %i, then it visits every index exactly once', (size) => {
    const perm = createPermutation('abc123', size);
    const seen = new Set<number>();
    for (let p = 0; p < size; p++) seen.add(perm.at(p));
    expect(seen.size).toBe(size);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(size - 1);
  });

  it('when the key is the same, then the walk is the same; when it differs, the walk differs', () => {
    const walk = (key: string) => Array.from({ length: 50 }, (_, p) => createPermutation(key, 500).at(p));
    expect(walk('dose1')).toEqual(walk('dose1'));
    expect(walk('dose1')).not.toEqual(walk('dose2'));
  });

  it('when the catalog has millions of songs, then one position still costs O(1)', () => {
    const perm = createPermutation('big', 10_000_000);
    const values = Array.from({ length: 1000 }, (_, p) => perm.at(p));
    expect(new Set(values).size).toBe(1000);
    expect(values.every((v) => v >= 0 && v < 10_000_000)).toBe(true);
  });

  it('when a position is outside the walk, then it throws', () => {
    expect(() => createPermutation('k', 10).at(10)).toThrow(RangeError);
    expect(() => createPermutation('k', 0)).toThrow(RangeError);
  });
});
