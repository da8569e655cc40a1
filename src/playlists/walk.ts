// One listener's walk through a genre, a row at a time.
// - The rows the genre had when the walk began (1..size) come in the order of a keyed permutation.
// - Rows above the fewest the genre has had since (`low`) hold songs that joined after the walk
//   began: they come in the order they joined, each at a random place among what is left (at every
//   step the next row is a newcomer with probability newcomers left / all rows left), so a song
//   added to a 20,000-song genre plays within the rest of that walk, not after it. Permutation
//   positions above `low` are passed over: their songs left, or are newcomers now.
// - The coin is keyed by the dose and the step, so a walk replayed on an unchanged genre is the same.
// - When every row has played the walk goes on with a fresh one, over the genre as it is then; so
//   does a walk over a genre that has since halved or more than doubled.
import { hashString, mix32 } from '../random.js';
import { newDose, walkStart, type WalkCursor } from './cursor.js';
import { createPermutation, type Permutation } from './permutation.js';

export interface Walker {
  /** The next row to play (1-based row_id_per_genre), or undefined for an empty genre. */
  next(): number | undefined;
  /** Which walk the last row came from: 0 for the one the walker began in, then 1, 2… */
  readonly walks: number;
  /** Where the walk stands now. */
  cursor(): WalkCursor;
}

/** Its own stream, apart from the permutation's round keys (which hash the dose alone). */
const coinKeyOf = (dose: string) => hashString(`coin:${dose}`);

/** `start` (copied, never moved) over a genre that now has `genreSize` songs. */
export function createWalker(start: WalkCursor, genreSize: number, random: () => number): Walker {
  const outgrown = start.size > 2 * genreSize || genreSize > 2 * start.size;
  let walk: WalkCursor = outgrown ? walkStart(newDose(random), genreSize) : { ...start };
  // The genre shrank since the last batch: rows above its size now are gone, or newcomers since.
  if (genreSize < walk.low) walk = { ...walk, low: genreSize, joined: 0 };
  walk.joined = Math.min(walk.joined, genreSize - walk.low);
  let permutation: Permutation | undefined;
  let coinKey = coinKeyOf(walk.dose);
  let walks = 0;

  const newWalk = () => {
    walk = walkStart(newDose(random), genreSize);
    permutation = undefined;
    coinKey = coinKeyOf(walk.dose);
    walks += 1;
  };

  function next(): number | undefined {
    if (genreSize === 0) return undefined;
    for (;;) {
      if (walk.position >= walk.size && walk.low + walk.joined >= genreSize) newWalk();
      const newLeft = genreSize - walk.low - walk.joined;
      // Of the positions left, about low/size land on rows the walk still plays.
      const baseLeft = walk.size === 0 ? 0 : ((walk.size - walk.position) * walk.low) / walk.size;
      const coin = mix32(coinKey + Math.imul(walk.position + walk.joined, 0x9e3779b9)) / 2 ** 32;
      if (newLeft > 0 && (walk.position >= walk.size || coin * (baseLeft + newLeft) < newLeft)) {
        walk.joined += 1;
        return walk.low + walk.joined;
      }
      permutation ??= createPermutation(walk.dose, walk.size);
      const row = permutation.at(walk.position) + 1;
      walk.position += 1;
      if (row <= walk.low) return row;
    }
  }

  return {
    next,
    get walks() {
      return walks;
    },
    cursor: () => ({ ...walk }),
  };
}
