import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import { spaceArtists } from './artist-spacing.js';

const songs = (artists: string) => [...artists].map((artist, i) => ({ artist, i }));
const adjacentRepeats = (list: { artist: string }[]) => list.filter((song, i) => i > 0 && list[i - 1]!.artist === song.artist).length;

describe('spaceArtists', () => {
  it('when no artist repeats, then the order is untouched', () => {
    expect(spaceArtists(songs('abcde')).map((s) => s.i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('when the same artist comes twice in a row, then another song goes between', () => {
    const out = spaceArtists(songs('aabc'));
    expect(adjacentRepeats(out)).toBe(0);
    expect(out.map((s) => s.i).sort()).toEqual([0, 1, 2, 3]);
  });

  it('when one artist holds half the batch, then it still never plays twice in a row', () => {
    const out = spaceArtists(songs('aaaabbcd'));
    expect(adjacentRepeats(out)).toBe(0);
  });

  it('when a repeat cannot be avoided, then all songs are kept and repeats are minimal', () => {
    const out = spaceArtists(songs('aaab'));
    expect(out).toHaveLength(4);
    expect(adjacentRepeats(out)).toBe(1);
  });

  it('when the previous batch ended with an artist, then the next batch does not start with it', () => {
    expect(spaceArtists(songs('ab'), ['a'])[0]!.artist).toBe('b');
  });

  it('when shuffled batches are spaced, then no avoidable repeat is left', () => {
    const rand = seededRandom(7);
    for (let run = 0; run < 200; run++) {
      const batch = Array.from({ length: 30 }, (_, i) => ({ artist: 'abcdef'[Math.floor(rand() * 6)]!, i }));
      expect(adjacentRepeats(spaceArtists(batch))).toBe(0);
    }
  });

  it('when one artist holds nearly half of a varied batch, then it is still spaced and every song kept', () => {
    const rand = seededRandom(11);
    for (let run = 0; run < 200; run++) {
      // 15 songs by "a" among 15 by many others: the check must take over from the shortcut.
      const batch = Array.from({ length: 30 }, (_, i) => ({ artist: i < 15 ? 'a' : `other${Math.floor(rand() * 40)}`, i }));
      batch.sort(() => rand() - 0.5);
      const out = spaceArtists(batch);
      expect(adjacentRepeats(out)).toBe(0);
      expect(out.map((s) => s.i).sort((x, y) => x - y)).toEqual(batch.map((s) => s.i).sort((x, y) => x - y));
    }
  });
});
