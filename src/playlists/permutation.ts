// A keyed pseudo-random permutation of 0..n-1, computed one position at a time in O(1) memory:
// a balanced Feistel network over the next even power of two, with cycle-walking to stay below n.
// Walking positions 0, 1, 2, … visits every index exactly once, so a listener can keep playing a
// genre without repeats and without the server storing anything per listener.
import { hashString, mix32 } from '../random.js';

const ROUNDS = 6;

export interface Permutation {
  readonly size: number;
  /** The index at this position of the walk; position must be in 0..size-1. */
  at(position: number): number;
}

export function createPermutation(key: string, size: number): Permutation {
  if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 32) throw new RangeError(`bad permutation size ${size}`);
  let bits = Math.max(2, Math.ceil(Math.log2(size)));
  if (bits % 2) bits += 1;
  const half = bits / 2;
  const mask = 2 ** half - 1;
  const roundKeys: number[] = [];
  let k = hashString(key);
  for (let r = 0; r < ROUNDS; r++) {
    k = mix32(k + 0x9e3779b9 + r);
    roundKeys.push(k);
  }

  const encrypt = (x: number): number => {
    let left = Math.floor(x / 2 ** half);
    let right = x & mask;
    for (const roundKey of roundKeys) {
      const next = (left ^ mix32(right ^ roundKey)) & mask;
      left = right;
      right = next;
    }
    return left * 2 ** half + right;
  };

  return {
    size,
    at(position) {
      if (!(position >= 0 && position < size)) throw new RangeError(`position ${position} outside 0..${size - 1}`);
      // The domain is at most 4× size, so this loop runs about 4 times at worst on average.
      let x = encrypt(position);
      while (x >= size) x = encrypt(x);
      return x;
    },
  };
}
