// The signals page's reads. Both lists come from song_daily_signals_pkey (day, genre_id, song_id):
// a range of its leading `day` over the period (bounded on both ends, which is also what lets
// SQLite's planner prefer it without statistics), at most one row per genre, song and day, joined on
// genre_songs_pkey (genre_id, song_id) so that only songs still in the genre are listed (a song an
// admin moved to another mood drops off). Each genre's few worst are picked in the database with
// ROW_NUMBER(), which MariaDB ≥ 10.2, MySQL 8 and SQLite ≥ 3.25 all have.
import type { Knex } from 'knex';
import { songColumns, toSong } from '../../catalog/catalog.repository.js';
import type { Song } from '../../catalog/catalog.types.js';
import { allGenres, type GenreOf, genreHiddenColumns, isGenreHidden } from '../../catalog/genre.js';

export interface SongSignals {
  genreId: number;
  song: Song;
  earlySkips: number;
  lateSkips: number;
  failures: number;
  hides: number;
}

export type SignalGenre = GenreOf<'name', 'id' | 'name'> & { hidden: boolean };

/** What ranks a list: skipped early or hidden ("probably in the wrong mood"), or failing to load ("broken link?"). */
export type SignalList = 'wrongMood' | 'broken';

const SCORES: Record<SignalList, string> = {
  wrongMood: 'sum(x.early_skips) + sum(x.hides)',
  broken: 'sum(x.failures)',
};

type Row = Record<string, unknown>;

export function createSignalsRepository(db: Knex) {
  return {
    /** Per genre, the `perGenre` songs with the highest score for `list` over the UTC days `from`..`to`, worst first. */
    async ranked(list: SignalList, { from, to }: { from: string; to: string }, perGenre: number): Promise<SongSignals[]> {
      const score = SCORES[list];
      const ranked = db('song_daily_signals as x')
        .join('genre_songs as gs', (on) => on.on('gs.genre_id', 'x.genre_id').andOn('gs.song_id', 'x.song_id'))
        .whereBetween('x.day', [from, to])
        .groupBy('x.genre_id', 'x.song_id')
        .havingRaw(`${score} > 0`)
        .select('x.genre_id', 'x.song_id')
        .sum({ early_skips: 'x.early_skips', late_skips: 'x.late_skips', failures: 'x.failures', hides: 'x.hides' })
        .select(db.raw(`row_number() over (partition by x.genre_id order by ${score} desc, x.song_id) as place`));
      const rows: Row[] = await db
        .from(ranked.as('r'))
        .join('songs as s', 's.id', 'r.song_id')
        .where('r.place', '<=', perGenre)
        .orderBy([{ column: 'r.genre_id' }, { column: 'r.place' }])
        .select(...songColumns, 'r.genre_id', 'r.early_skips', 'r.late_skips', 'r.failures', 'r.hides');
      return rows.map((r) => ({
        genreId: Number(r.genre_id),
        song: toSong(r),
        earlySkips: Number(r.early_skips),
        lateSkips: Number(r.late_skips),
        failures: Number(r.failures),
        hides: Number(r.hides),
      }));
    },

    /** These genres, in picker order. */
    async genres(ids: readonly number[]): Promise<SignalGenre[]> {
      if (ids.length === 0) return [];
      const rows: Row[] = await allGenres(db)
        .whereIn('m.id', [...ids])
        .select('m.id', 'd.name as drug', 'm.name as mood', ...genreHiddenColumns);
      return rows.map((r) => ({ drug: { name: String(r.drug) }, mood: { id: Number(r.id), name: String(r.mood) }, hidden: isGenreHidden(r) }));
    },
  };
}

export type SignalsRepository = ReturnType<typeof createSignalsRepository>;
