// Draws playlists. A playlist is the next k positions of a keyed random walk over 1..N (see
// permutation.ts), looked up in one indexed query: the cost is O(k) whatever N is, nothing is
// stored per listener, and no song repeats until the whole genre has played.
import type { Song } from '../catalog/catalog.types.js';
import { spaceArtists } from './artist-spacing.js';
import { encodeCursor, newDose, type WalkCursor } from './cursor.js';
import { createPermutation, type Permutation } from './permutation.js';
import type { PlaylistRepository } from './playlist.repository.js';

/** How many times numbers that hit nothing (a removal in flight) are drawn again. */
const MAX_ROUNDS = 4;

export interface BatchRequest {
  limit: number;
  /** Continue this walk… */
  cursor?: WalkCursor;
  /** …or replay the walk with this key from its start (a shared mix). */
  dose?: string;
}

export interface PlaylistBatch {
  songs: Song[];
  /** Pass back to get the next batch of the same walk. */
  cursor: string;
  /** The walk's key: `?dose=` replays this mix while the genre is unchanged. */
  dose: string;
}

/** Anything numbered 1..size that a walk can play: a genre, or a listener's favorites. */
export interface SongSource {
  size: number;
  /** The songs at these numbers; numbers that hit nothing are simply absent. */
  songsAt(numbers: readonly number[]): Promise<Map<number, Song>>;
}

export interface PlaylistServiceDeps {
  repository: PlaylistRepository;
  /** Injectable so tests can draw from a seeded generator. */
  random?: () => number;
}

export function createPlaylistService({ repository, random = Math.random }: PlaylistServiceDeps) {
  /** The next batch of a genre; `genreSize` is N as read from genre_counts for this request. */
  function nextBatch(genreId: number, genreSize: number, request: BatchRequest): Promise<PlaylistBatch> {
    return nextBatchFrom({ size: genreSize, songsAt: (rows) => repository.songsAtRows(genreId, rows) }, request);
  }

  async function nextBatchFrom(source: SongSource, request: BatchRequest): Promise<PlaylistBatch> {
    const genreSize = source.size;
    const want = Math.min(request.limit, genreSize);
    const freshWalk = (): WalkCursor => ({ dose: newDose(random), size: genreSize, position: 0 });
    let walk: WalkCursor = request.cursor ?? { dose: request.dose ?? newDose(random), size: genreSize, position: 0 };
    // A walk over a genre that has since shrunk to less than half would mostly miss: start over.
    if (walk.size > 2 * genreSize) walk = freshWalk();
    let permutation: Permutation | undefined;

    // Songs by walk: when the genre has played through, the batch continues on a fresh walk, and
    // the old walk's songs must all come before the new walk's (no song may repeat early).
    const picked = new Map<number, Song>();
    const segments: Song[][] = [[]];
    for (let round = 0; round < MAX_ROUNDS && picked.size < want; round++) {
      const rowIds: number[] = [];
      const segmentOf: number[] = [];
      while (rowIds.length < want - picked.size) {
        if (walk.position >= walk.size) {
          walk = freshWalk(); // the whole genre has played: keep going with a new walk
          permutation = undefined;
          segments.push([]);
        }
        permutation ??= createPermutation(walk.dose, walk.size);
        rowIds.push(permutation.at(walk.position) + 1);
        segmentOf.push(segments.length - 1);
        walk = { ...walk, position: walk.position + 1 };
      }
      const found = await source.songsAt(rowIds);
      rowIds.forEach((rowId, i) => {
        const song = found.get(rowId);
        if (song && !picked.has(song.id)) {
          picked.set(song.id, song);
          segments[segmentOf[i]!]!.push(song);
        }
      });
    }
    const songs: Song[] = [];
    for (const segment of segments) songs.push(...spaceArtists(segment, songs.at(-1)?.artist));
    return { songs, cursor: encodeCursor(walk), dose: walk.dose };
  }

  return { nextBatch, nextBatchFrom };
}

export type PlaylistService = ReturnType<typeof createPlaylistService>;
