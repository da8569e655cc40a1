// Counting plays: each play adds one to a few daily rollup rows (see the plays migration), so a
// play costs the same whether the site has played a hundred songs or a billion.
import type { Knex } from 'knex';
import { writeTransaction } from '../db/transaction.js';

export interface Play {
  songId: number;
  /** The genre whose player played it, when there was one. */
  genreId?: number;
  /** The first track of a page load: one more playlist started. */
  first: boolean;
}

/** The UTC day a moment falls on, as the `day` columns store it. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export function createPlaysRepository(db: Knex) {
  /** Adds `amounts` to the row with `key`, creating it first if it is the day's first. */
  const bump = (trx: Knex.Transaction, table: string, key: Record<string, unknown>, amounts: Record<string, number>) =>
    trx(table)
      .insert({ ...key, ...amounts })
      .onConflict(Object.keys(key))
      .merge(Object.fromEntries(Object.entries(amounts).map(([column, n]) => [column, trx.raw('?? + ?', [column, n])])));

  return {
    /** The genre a "drug/mood" pair names, hidden or not; undefined when there is none. */
    async genreId(drugSlug: string, moodSlug: string): Promise<number | undefined> {
      const row = await db('moods as m').join('drugs as d', 'd.id', 'm.drug_id').where({ 'd.slug': drugSlug, 'm.slug': moodSlug }).first('m.id');
      return row ? Number(row.id) : undefined;
    },

    /** Counts one play; false when the song does not exist. */
    async record(play: Play, at = new Date()): Promise<boolean> {
      const day = utcDay(at);
      const started = play.first ? 1 : 0;
      return writeTransaction(db, async (trx) => {
        if (!(await trx('songs').where('id', play.songId).first('id'))) return false;
        await bump(trx, 'song_daily_plays', { day, song_id: play.songId }, { plays: 1 });
        if (play.genreId !== undefined) {
          await bump(trx, 'genre_daily_plays', { day, genre_id: play.genreId }, { playlists_started: started, songs_played: 1 });
        }
        // Every play of the day updates this one row: last, so its lock is held the shortest.
        await bump(trx, 'daily_stats', { day }, { playlists_started: started, songs_played: 1 });
        return true;
      });
    },
  };
}

export type PlaysRepository = ReturnType<typeof createPlaysRepository>;
