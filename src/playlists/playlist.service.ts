// Draws playlists. A playlist is the next k positions of a keyed random walk over 1..N (see
// walk.ts and permutation.ts), looked up in one indexed query: the cost is O(k) whatever N is, nothing is
// stored per listener, and no song repeats until the whole genre has played.
import type { Song } from '../catalog/catalog.types.js';
import type { Genre, GenreDirectory } from '../catalog/genre.js';
import { ARTIST_GAP, spaceArtists } from './artist-spacing.js';
import { type Candidate, fillFromHeld, SHARE_FROM, type Selection, selectBatch } from './batch-selection.js';
import { artistKey, encodeCursor, newDose, type WalkCursor, walkStart } from './cursor.js';
import { coalesceDraws } from './coalesce.js';
import { createWalker } from './walk.js';
import type { GenreDraw, PlaylistRepository } from './playlist.repository.js';

/**
 * How many times numbers that hit nothing (a removal in flight, or a song the listener hid) are
 * drawn again. A batch never walks more than twice the genre: past that, all there is was drawn.
 */
const MAX_ROUNDS = 64;
/** Songs a batch may hold back for the next when their artist has its share of the batch. */
const HOLD_CAPACITY = 10;
/** At most this many numbers drawn ahead for a listener whose last batch missed some. */
const MAX_SPARE = 8;
/**
 * Numbers every batch of SHARE_FROM or more draws beyond its need, in the same statement: the songs
 * the artist rules hold back are replaced from them, and those not needed come first next time.
 */
const aheadFor = (want: number) => (want < SHARE_FROM ? 0 : Math.ceil(want / 10));

export interface BatchRequest {
  limit: number;
  /** Continue this walk… */
  cursor?: WalkCursor;
  /** …or replay the walk with this key from its start (a shared mix). */
  dose?: string;
  /** A logged-in listener: the songs they hid from the genre are passed over. */
  listener?: number;
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
  /** The visible genres by slug; drawGenre needs it. */
  directory?: GenreDirectory;
  /** Injectable so tests can draw from a seeded generator. */
  random?: () => number;
}

/** A draw planned on knowledge the statement proved stale (N, or the catalog); it is planned again. */
class StalePlan extends Error {
  constructor(readonly draw: GenreDraw | undefined) {
    super('the draw was planned on a stale N or catalog');
  }
}

/** Plans per draw before falling back to reading N on its own (only under constant catalog churn). */
const MAX_PLANS = 3;

export function createPlaylistService({ repository, directory, random = Math.random }: PlaylistServiceDeps) {
  // N of each genre as this process last read it. A draw is planned on it, and its first
  // statement returns the current N and catalog version beside the songs: when both agree —
  // nearly always — a playlist costs that one statement; when not, it is planned again on what
  // the statement said, so a draw is always over the genre's exact N.
  const lastSizes = new Map<number, number>();
  const drawTogether = coalesceDraws((genreId, rowIds, listener) => repository.draw(genreId, rowIds, listener));

  /** The next batch of the visible genre these slugs name, or undefined when there is none. */
  async function drawGenre(drugSlug: string, moodSlug: string, request: BatchRequest): Promise<{ genre: Genre; batch: PlaylistBatch } | undefined> {
    if (!directory) throw new Error('drawGenre needs the genre directory');
    let found = await directory.find(drugSlug, moodSlug);
    for (let plan = 0; found && plan < MAX_PLANS; plan++) {
      const { genre, version } = found;
      try {
        const planned = lastSizes.get(genre.mood.id) ?? genre.mood.songCount;
        const batch = await drawPlanned(genre.mood.id, planned, version, request);
        return { genre: withSize(genre, planned), batch };
      } catch (err) {
        if (!(err instanceof StalePlan)) throw err;
        if (err.draw) lastSizes.set(genre.mood.id, err.draw.size);
        if (err.draw?.catalogVersion !== version) {
          // Drugs or moods changed (perhaps this very genre): look the slugs up again.
          await directory.atLeast(err.draw?.catalogVersion ?? version + 1);
          found = await directory.find(drugSlug, moodSlug);
        }
      }
    }
    if (!found) return undefined;
    const size = await repository.genreSize(found.genre.mood.id);
    return { genre: withSize(found.genre, size), batch: await nextBatch(found.genre.mood.id, size, request) };
  }

  /** A batch planned on `planned` as N; throws StalePlan when the genre or the catalog moved on. */
  async function drawPlanned(genreId: number, planned: number, catalogVersion: number, request: BatchRequest): Promise<PlaylistBatch> {
    let checked = false;
    const check = (draw: GenreDraw | undefined): draw is GenreDraw => {
      if (!draw || draw.size !== planned || draw.catalogVersion !== catalogVersion) throw new StalePlan(draw);
      checked = true;
      return true;
    };
    // An empty genre looks nothing up, so ask for its N alone.
    if (planned === 0 && check(await drawTogether(genreId, [], request.listener))) return nextBatch(genreId, 0, request);
    return nextBatchFrom(
      {
        size: planned,
        songsAt: async (rowIds) => {
          if (checked) return repository.songsAtRows(genreId, rowIds, request.listener);
          const draw = await drawTogether(genreId, rowIds, request.listener);
          return check(draw) ? draw.songs : new Map();
        },
      },
      request,
    );
  }

  /** The next batch of a genre; `genreSize` is N as read from genre_counts for this request. */
  function nextBatch(genreId: number, genreSize: number, request: BatchRequest): Promise<PlaylistBatch> {
    return nextBatchFrom({ size: genreSize, songsAt: (rows) => repository.songsAtRows(genreId, rows, request.listener) }, request);
  }

  async function nextBatchFrom(source: SongSource, request: BatchRequest): Promise<PlaylistBatch> {
    const want = Math.min(request.limit, source.size);
    const start = request.cursor ?? walkStart(request.dose ?? newDose(random), source.size);
    const walker = createWalker(start, source.size, random);

    // The numbers the last batch held back come first (those past the genre's end now are gone),
    // then the walk's; the first statement also draws ahead as many as the last batch missed.
    let toFetch = start.held.map((row, i) => ({ row, walk: i < start.heldOlder ? -1 : 0 })).filter(({ row }) => row <= source.size);
    const candidates: Candidate<Song>[] = [];
    const seen = new Set<number>();
    let selection: Selection<Song> = { served: [], held: [] };
    let walked = 0;
    let misses = 0;
    for (let round = 0; round < MAX_ROUNDS && walked < 2 * source.size; round++) {
      const need = want - selection.served.length + (round === 0 ? aheadFor(want) + Math.min(start.spare, MAX_SPARE) : 0);
      if (need <= 0) break;
      while (toFetch.length < need) {
        toFetch.push({ row: walker.next()!, walk: walker.walks });
        walked += 1;
      }
      const found = await source.songsAt(toFetch.map((f) => f.row));
      for (const { row, walk } of toFetch) {
        const song = found.get(row);
        if (!song || seen.has(song.id)) {
          misses += 1;
          continue;
        }
        seen.add(song.id);
        candidates.push({ song, row, walk, artist: artistKey(song.artist) });
      }
      toFetch = [];
      selection = selectBatch(candidates, want, HOLD_CAPACITY, ARTIST_GAP);
    }
    if (selection.served.length < want) selection = fillFromHeld(selection, want);

    // Songs by walk: when the genre has played through, the batch continues on a fresh walk, and
    // the old walk's songs all come before the new walk's (no song may repeat early).
    const walks = [...new Set(selection.served.map((c) => c.walk))].sort((a, b) => a - b);
    const ordered: Candidate<Song>[] = [];
    for (const w of walks) {
      const spaced = spaceArtists(
        selection.served.filter((c) => c.walk === w),
        [...start.recent, ...ordered.map((c) => c.artist)],
      );
      ordered.push(...spaced);
    }
    const held = selection.held.slice(0, HOLD_CAPACITY + MAX_SPARE);
    const cursor: WalkCursor = {
      ...walker.cursor(),
      recent: [...start.recent, ...ordered.map((c) => c.artist)].slice(-ARTIST_GAP),
      held: held.map((c) => c.row),
      // Held in walk order, so the older ones are first; older than the walk the cursor is in now.
      heldOlder: held.filter((c) => c.walk < walker.walks).length,
      // A listener who missed some will likely miss as many again, give or take: two more for the give.
      spare: misses > 0 ? Math.min(MAX_SPARE, misses + 2) : 0,
    };
    return { songs: ordered.map((c) => c.song), cursor: encodeCursor(cursor), dose: cursor.dose };
  }

  /**
   * These songs of the visible genre the slugs name, in the order given: those still in it and, for
   * a listener, not hidden from it (a shared list opened, or the songs a browser saved to continue).
   */
  async function pickGenre(
    drugSlug: string,
    moodSlug: string,
    songIds: readonly number[],
    listener?: number,
  ): Promise<{ genre: Genre; songs: Song[] } | undefined> {
    if (!directory) throw new Error('pickGenre needs the genre directory');
    const found = await directory.find(drugSlug, moodSlug);
    if (!found) return undefined;
    const byId = await repository.songsById(found.genre.mood.id, songIds, listener);
    const songs = [...new Set(songIds)].flatMap((id) => byId.get(id) ?? []);
    return { genre: found.genre, songs };
  }

  /**
   * A list shared as it played: these songs of the genre (as pickGenre gives them), then the walk
   * of `cursor`, or a new walk without one.
   */
  async function listGenre(
    drugSlug: string,
    moodSlug: string,
    songIds: readonly number[],
    { cursor, listener }: { cursor?: WalkCursor; listener?: number } = {},
  ): Promise<{ genre: Genre; batch: PlaylistBatch } | undefined> {
    const picked = await pickGenre(drugSlug, moodSlug, songIds, listener);
    if (!picked) return undefined;
    const walk = cursor ?? walkStart(newDose(random), picked.genre.mood.songCount);
    return { genre: picked.genre, batch: { songs: picked.songs, cursor: encodeCursor(walk), dose: walk.dose } };
  }

  return { drawGenre, pickGenre, listGenre, nextBatch, nextBatchFrom };
}

export type PlaylistService = ReturnType<typeof createPlaylistService>;

const withSize = ({ drug, mood }: Genre, songCount: number): Genre => ({ drug, mood: { ...mood, songCount } });
