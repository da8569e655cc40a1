// Artists spread across the whole stream of batches, on catalogs of different shapes: no artist
// within the last ARTIST_GAP tracks (across batch boundaries) and none above ARTIST_SHARE of a
// batch where the genre allows, every song still once per walk, and songs still drawn uniformly.
import { describe, expect, it } from 'vitest';
import type { Song } from '../catalog/catalog.types.js';
import { seededRandom } from '../random.js';
import { ARTIST_GAP } from './artist-spacing.js';
import { ARTIST_SHARE } from './batch-selection.js';
import { decodeCursor, type WalkCursor } from './cursor.js';
import type { PlaylistRepository } from './playlist.repository.js';
import { createPlaylistService, type SongSource } from './playlist.service.js';

/** A genre held in memory: song i+1 is at number i+1, by artistOf(i). */
function genre(size: number, artistOf: (i: number) => string): SongSource {
  const songs = Array.from(
    { length: size },
    (_, i): Song => ({
      id: i + 1,
      title: `Song ${i + 1}`,
      artist: artistOf(i),
      album: null,
      year: null,
      track: null,
      url: `/media/${i + 1}`,
      streamUrl: null,
      durationSeconds: 60,
      favoriteCount: 0,
      loudness: null,
      cover: null,
    }),
  );
  return { size, songsAt: async (numbers) => new Map(numbers.flatMap((n) => (songs[n - 1] ? [[n, songs[n - 1]!] as const] : []))) };
}

// nextBatchFrom draws from the source it is given; the repository is never asked.
const engine = (seed: number) => createPlaylistService({ repository: {} as PlaylistRepository, random: seededRandom(seed) });

/** `batches` batches of `limit`, each from the cursor of the last, as a listener's player asks. */
async function stream(source: SongSource, batches: number, limit = 30, seed = 1) {
  const service = engine(seed);
  let cursor: WalkCursor | undefined;
  const out: Song[][] = [];
  const newWalk: boolean[] = [];
  for (let b = 0; b < batches; b++) {
    const batch = await service.nextBatchFrom(source, { limit, cursor });
    out.push(batch.songs);
    newWalk.push(cursor !== undefined && decodeCursor(batch.cursor)!.dose !== cursor.dose);
    cursor = decodeCursor(batch.cursor);
  }
  return Object.assign(out, { newWalk });
}

const tooClose = (songs: Song[], gap: number) => songs.filter((s, i) => songs.slice(Math.max(0, i - gap), i).some((p) => p.artist === s.artist)).length;
function mostByOneArtist(batch: Song[]): number {
  const counts = new Map<string, number>();
  for (const s of batch) counts.set(s.artist, (counts.get(s.artist) ?? 0) + 1);
  return Math.max(...counts.values());
}
const backToBack = (songs: Song[]) => songs.filter((s, i) => i > 0 && songs[i - 1]!.artist === s.artist).length;
/**
 * The fewest back-to-back repeats any order of this batch could have, and one more: the batch
 * cannot begin with the artist the last one ended on. A batch in which a walk ends keeps the old
 * walk's songs first, which can force up to two more at the seam.
 */
const unavoidable = (batch: Song[], walkEnded: boolean) => Math.max(0, 2 * mostByOneArtist(batch) - batch.length - 1) + 1 + (walkEnded ? 2 : 0);

describe('artists across the stream', () => {
  it('when a genre has many artists, then none comes back within 5 tracks, across batches too, and none passes 30% of a batch', async () => {
    for (const seed of [1, 2, 3]) {
      const batches = await stream(
        genre(600, (i) => `artist ${i % 24}`),
        30,
        30,
        seed,
      );
      const all = batches.flat();
      expect(tooClose(all, ARTIST_GAP)).toBe(0);
      for (const batch of batches) expect(mostByOneArtist(batch)).toBeLessThanOrEqual(Math.floor(30 * ARTIST_SHARE));
      // 900 songs from a 600-song genre: the first 600 are the whole genre, once.
      expect(new Set(all.slice(0, 600).map((s) => s.id)).size).toBe(600);
    }
  });

  it('when one artist holds a quarter of the genre, then no batch gives them more than 30% until the walk runs short', async () => {
    const batches = await stream(
      genre(300, (i) => (i % 4 === 0 ? 'big star' : `artist ${i % 37}`)),
      10,
    );
    for (const batch of batches.slice(0, 8)) expect(mostByOneArtist(batch)).toBeLessThanOrEqual(9);
    expect(new Set(batches.flat().map((s) => s.id)).size).toBe(300); // every song, once, in 10 batches of 30
    expect(backToBack(batches.flat())).toBe(0);
  });

  it('when one artist holds half of the genre, then batches stay full and distinct, every song plays once per walk, and back-to-back repeats are only those a batch forces', async () => {
    for (const seed of [4, 5]) {
      const batches = await stream(
        genre(120, (i) => (i % 2 === 0 ? 'half' : `other ${i % 11}`)),
        8,
        30,
        seed,
      );
      for (const batch of batches) {
        expect(batch).toHaveLength(30);
        expect(new Set(batch.map((s) => s.id)).size).toBe(30);
      }
      const all = batches.flat();
      expect(new Set(all.slice(0, 120).map((s) => s.id)).size).toBe(120);
      for (const [b, batch] of batches.entries()) expect(backToBack(batch)).toBeLessThanOrEqual(unavoidable(batch, batches.newWalk[b]!));
    }
  });

  it('when a genre has two artists, then a batch repeats an artist back to back only as often as its draw forces, and every song plays once per walk', async () => {
    const batches = await stream(
      genre(80, (i) => (i % 2 === 0 ? 'left' : 'right')),
      6,
    );
    const all = batches.flat();
    expect(new Set(all.slice(0, 80).map((s) => s.id)).size).toBe(80);
    for (const [b, batch] of batches.entries()) expect(backToBack(batch)).toBeLessThanOrEqual(unavoidable(batch, batches.newWalk[b]!));
  });

  it('when the artists allow it, then every song is as likely to be in a first batch as any other', async () => {
    const source = genre(60, (i) => `artist ${i % 20}`);
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 300; seed++) {
      const [first] = await stream(source, 1, 30, 1000 + seed);
      for (const song of first!) counts.set(song.id, (counts.get(song.id) ?? 0) + 1);
    }
    // 300 batches of 30 from 60 songs: 150 each on average.
    expect(counts.size).toBe(60);
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(110);
      expect(n).toBeLessThan(190);
    }
  });
});
