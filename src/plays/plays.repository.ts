// Counting plays and what listeners tell the curators: each report adds one to a few daily rollup
// rows (see the plays and song_daily_signals migrations), so a report costs the same whether the
// site has played a hundred songs or a billion. A play is counted in this process's memory and
// written with the others of its flush window (countPlay, play-counter.ts) or, with
// PLAYS_FLUSH_MS=0, in a transaction of its own (record). A logged-in listener's play also goes
// into their history.
import type { Knex } from 'knex';
import { genreIdBySlugs } from '../catalog/genre.js';
import { dialectOf } from '../db/dialect.js';
import { writeTransaction } from '../db/transaction.js';
import { appendToHistory } from '../history/history.repository.js';
import { utcDay } from '../lib/utc.js';
import type { PlayCounter } from './play-counter.js';

export interface Play {
  songId: number;
  /** The genre whose player played it, when there was one. */
  genreId?: number;
  /** The first track of a page load: one more playlist started. */
  first: boolean;
  /** The logged-in listener who played it: it goes into their history. */
  userId?: number;
}

/** The counters of song_daily_signals. */
export type Signal = 'early_skips' | 'late_skips' | 'failures' | 'hides';

const songExists = async (db: Knex, songId: number) => Boolean(await db('songs').where('id', songId).first('id'));

const SONG_AND_GENRE =
  'SELECT (SELECT id FROM songs WHERE id = ?) AS song, ' +
  '(SELECT m.id FROM moods m JOIN drugs d ON d.id = m.drug_id WHERE d.slug = ? AND m.slug = ?) AS genre';

/** The reads a play needs before it counts, on their own so that they can be retried (app.ts). */
export const createPlayReads = (db: Knex, dialect = dialectOf(db)) => ({
  /**
   * Both of a play's reads in one round trip, as one prepared statement (the busiest write path's
   * read): whether the song exists, and the genre's id when the slugs name one.
   */
  async songAndGenre(songId: number, drugSlug?: string, moodSlug?: string): Promise<{ songExists: boolean; genreId?: number }> {
    // An empty slug names nothing (slugs are 1–64 characters), so one text serves every play.
    const [row] = await dialect.selectPrepared(db, SONG_AND_GENRE, [songId, drugSlug ?? '', moodSlug ?? '']);
    return { songExists: row?.song != null, ...(row?.genre != null && { genreId: Number(row.genre) }) };
  },
  /** The genre a "drug/mood" pair names, hidden or not; undefined when there is none. */
  genreId: (drugSlug: string, moodSlug: string): Promise<number | undefined> => genreIdBySlugs(db, drugSlug, moodSlug),
});

type PlayReads = ReturnType<typeof createPlayReads>;

export interface PlaysRepositoryOptions {
  /** Plays counted in memory and written in batches (play-counter.ts); unset: each play in its own transaction. */
  counter?: PlayCounter;
  /** The reads a play needs, possibly retried on an unavailable database (db/read-retry.ts). */
  reads?: PlayReads;
}

export function createPlaysRepository(db: Knex, { counter, reads = createPlayReads(db) }: PlaysRepositoryOptions = {}) {
  /** Adds `amounts` to the row with `key`, creating it first if it is the day's first. */
  const bump = (trx: Knex.Transaction, table: string, key: Record<string, unknown>, amounts: Record<string, number>) =>
    trx(table)
      .insert({ ...key, ...amounts })
      .onConflict(Object.keys(key))
      .merge(Object.fromEntries(Object.entries(amounts).map(([column, n]) => [column, trx.raw('?? + ?', [column, n])])));

  return {
    genreId: reads.genreId,

    /** Whether plays are counted in memory (countPlay) rather than each in its own transaction. */
    batched: counter !== undefined,

    /**
     * Batched only: counts one play of a song heard from a genre named by its slugs (hidden or
     * not; none when it names none), after one read for both; false when the song does not exist.
     */
    async countPlay(play: { songId: number; drug?: string; mood?: string; first: boolean; userId?: number }, at = new Date()): Promise<boolean> {
      if (!counter) throw new Error('countPlay needs a play counter');
      // One read (retried if the database is briefly unavailable), then memory: only a logged-in
      // listener's history is written now, in rows of their own.
      const { songExists: found, genreId } = await reads.songAndGenre(play.songId, play.drug, play.mood);
      if (!found) return false;
      const { userId } = play;
      if (userId !== undefined) await writeTransaction(db, (trx) => appendToHistory(trx, { userId, songId: play.songId, genreId, at }));
      counter.add({ day: utcDay(at), songId: play.songId, genreId, started: play.first });
      return true;
    },

    /** Counts one play in its own transaction (and adds it to the listener's history); false when the song does not exist. */
    async record(play: Play, at = new Date()): Promise<boolean> {
      const day = utcDay(at);
      const started = play.first ? 1 : 0;
      return writeTransaction(db, async (trx) => {
        if (!(await songExists(trx, play.songId))) return false;
        await bump(trx, 'song_daily_plays', { day, song_id: play.songId }, { plays: 1 });
        if (play.genreId !== undefined) {
          await bump(trx, 'genre_daily_plays', { day, genre_id: play.genreId }, { playlists_started: started, songs_played: 1 });
        }
        if (play.userId !== undefined) await appendToHistory(trx, { userId: play.userId, songId: play.songId, genreId: play.genreId, at });
        // Every play of the day updates this one row: last, so its lock is held the shortest.
        await bump(trx, 'daily_stats', { day }, { playlists_started: started, songs_played: 1 });
        return true;
      });
    },

    /**
     * Adds one to a signal about a song heard from a genre's player: one row per day, genre and song.
     * Only a song that is in the genre is counted (a report about any other says nothing about the
     * mood); false when the song does not exist at all.
     */
    async signal(songId: number, genreId: number | undefined, signal: Signal, at = new Date()): Promise<boolean> {
      return writeTransaction(db, async (trx) => {
        if (!(await songExists(trx, songId))) return false;
        if (genreId === undefined || !(await trx('genre_songs').where({ genre_id: genreId, song_id: songId }).first('song_id'))) return true;
        await bump(trx, 'song_daily_signals', { day: utcDay(at), genre_id: genreId, song_id: songId }, { [signal]: 1 });
        return true;
      });
    },
  };
}

export type PlaysRepository = ReturnType<typeof createPlaysRepository>;
