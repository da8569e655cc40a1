// Plays counted in this process's memory and written in batches. Written one at a time, every play
// of the day upserts the same `daily_stats` row, so every play in the world waits on one row lock
// (and on a Galera cluster, one row that every node's writes would certify against). Here a play
// only adds to a few counters in memory; every `flushEveryMs` (and at shutdown) one transaction
// adds them to the rollup rows — one multi-row upsert per table, a row per (day, song), (day,
// genre) and day touched since the last flush, in key order so two processes never deadlock.
// What a crash can lose: the plays counted since the last flush (at most one flush window). A
// flush that fails puts its counts back, to go with the next one.
import type { Knex } from 'knex';
import { dialectOf } from '../db/dialect.js';
import { writeTransaction } from '../db/transaction.js';
import type { Logger } from '../logger.js';

export interface CountedPlay {
  day: string;
  songId: number;
  genreId?: number;
  /** The first track of a page load: one more playlist started. */
  started: boolean;
}

export interface PlayCounterOptions {
  flushEveryMs: number;
  logger?: Logger;
  /** Told of each flush that wrote something: how many plays, and how long it took (metrics). */
  onFlush?: (plays: number, seconds: number) => void;
  onFlushFailed?: () => void;
}

interface Totals {
  started: number;
  played: number;
}

/** Counts waiting to be written; keys are `day|id` (or `day`). */
class Pending {
  songs = new Map<string, number>();
  genres = new Map<string, Totals>();
  days = new Map<string, Totals>();
  plays = 0;

  add(songKey: string, genreKey: string | undefined, day: string, started: number, played: number): void {
    if (played) this.songs.set(songKey, (this.songs.get(songKey) ?? 0) + played);
    if (genreKey !== undefined) addTotals(this.genres, genreKey, started, played);
    addTotals(this.days, day, started, played);
    this.plays += played;
  }

  /** Another batch's counts (a failed flush's) added to these. */
  merge(other: Pending): void {
    for (const [key, n] of other.songs) this.songs.set(key, (this.songs.get(key) ?? 0) + n);
    for (const [key, t] of other.genres) addTotals(this.genres, key, t.started, t.played);
    for (const [key, t] of other.days) addTotals(this.days, key, t.started, t.played);
    this.plays += other.plays;
  }

  get empty(): boolean {
    return this.days.size === 0;
  }
}

function addTotals(map: Map<string, Totals>, key: string, started: number, played: number) {
  const totals = map.get(key);
  if (totals) {
    totals.started += started;
    totals.played += played;
  } else map.set(key, { started, played });
}

const split = (key: string) => {
  const bar = key.indexOf('|');
  return { day: key.slice(0, bar), id: Number(key.slice(bar + 1)) };
};
const byKey = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function createPlayCounter(db: Knex, { flushEveryMs, logger, onFlush, onFlushFailed }: PlayCounterOptions) {
  const dialect = dialectOf(db);
  let pending = new Pending();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;

  /** Adds each row's amounts to the stored row with its key (creating it first). */
  async function upsert(trx: Knex.Transaction, table: string, keys: string[], amounts: string[], rows: Record<string, unknown>[]) {
    const merge = Object.fromEntries(amounts.map((c) => [c, trx.raw('?? + ?', [`${table}.${c}`, dialect.insertedValue(trx, c)])]));
    for (let i = 0; i < rows.length; i += dialect.maxRowsPerInsert) {
      await trx(table)
        .insert(rows.slice(i, i + dialect.maxRowsPerInsert))
        .onConflict(keys)
        .merge(merge);
    }
  }

  async function write(batch: Pending): Promise<void> {
    const songs = byKey(batch.songs).map(([key, plays]) => ({ day: split(key).day, song_id: split(key).id, plays }));
    const genres = byKey(batch.genres).map(([key, t]) => ({
      day: split(key).day,
      genre_id: split(key).id,
      playlists_started: t.started,
      songs_played: t.played,
    }));
    const days = byKey(batch.days).map(([day, t]) => ({ day, playlists_started: t.started, songs_played: t.played }));
    await writeTransaction(db, async (trx) => {
      // A song or genre deleted since its play was counted has no rollup row to take it (their
      // foreign keys would refuse the whole batch): its plays still count for the day.
      const still = async (table: string, ids: number[]) =>
        new Set(
          (
            await trx(table)
              .whereIn('id', [...new Set(ids)])
              .pluck('id')
          ).map(Number),
        );
      const songsLeft = songs.length
        ? await still(
            'songs',
            songs.map((r) => r.song_id),
          )
        : new Set<number>();
      const genresLeft = genres.length
        ? await still(
            'moods',
            genres.map((r) => r.genre_id),
          )
        : new Set<number>();
      const songRows = songs.filter((r) => songsLeft.has(r.song_id));
      const genreRows = genres.filter((r) => genresLeft.has(r.genre_id));
      if (songRows.length) await upsert(trx, 'song_daily_plays', ['day', 'song_id'], ['plays'], songRows);
      if (genreRows.length) await upsert(trx, 'genre_daily_plays', ['day', 'genre_id'], ['playlists_started', 'songs_played'], genreRows);
      // The day's row last, so its lock is held the shortest.
      await upsert(trx, 'daily_stats', ['day'], ['playlists_started', 'songs_played'], days);
    });
  }

  async function flushOnce(): Promise<void> {
    if (pending.empty) return;
    const batch = pending;
    pending = new Pending();
    const started = performance.now();
    try {
      await write(batch);
      onFlush?.(batch.plays, (performance.now() - started) / 1000);
    } catch (err) {
      // Kept for the next flush. (A COMMIT whose answer was lost may have landed: then these
      // plays count twice, the price of never dropping one.)
      pending.merge(batch);
      onFlushFailed?.();
      logger?.warn(
        { err: { code: (err as { code?: unknown }).code, errno: (err as { errno?: unknown }).errno }, plays: batch.plays },
        'plays flush failed; kept for the next one',
      );
      throw err;
    }
  }

  const flush = (): Promise<void> => {
    // One flush at a time; a flush asked for during one runs after it.
    const next = (flushing ?? Promise.resolve()).catch(() => {}).then(flushOnce);
    flushing = next.finally(() => {
      if (flushing === next) flushing = undefined;
    });
    return next;
  };

  return {
    /** Counts one play (a skip or a failure is no play and never comes here). */
    add(play: CountedPlay): void {
      pending.add(`${play.day}|${play.songId}`, play.genreId === undefined ? undefined : `${play.day}|${play.genreId}`, play.day, play.started ? 1 : 0, 1);
      if (flushEveryMs <= 0) return;
      timer ??= setTimeout(() => {
        timer = undefined;
        flush().catch(() => {}); // logged above; the counts wait for the next flush
      }, flushEveryMs).unref(); // shutdown flushes what is left; a timer never keeps the process alive
    },

    /** Plays counted and not yet written. */
    buffered: (): number => pending.plays,

    /** Writes what is counted now (and waits for a flush under way). */
    flush,

    /** At shutdown: no more timers, and everything counted written (throws if it cannot be). */
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await flush();
    },
  };
}

export type PlayCounter = ReturnType<typeof createPlayCounter>;
