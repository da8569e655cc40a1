// The dashboard's reads. Each is answered from a primary key or an index: genre_counts for the
// songs per genre, the daily rollups of the plays migration for anything "per day" or "last 30
// days", songs_created_at_index for the recent additions.
import type { Knex } from 'knex';
import { readTimestamp } from '../../db/timestamps.js';
import { utcDay } from '../../lib/utc.js';
import { songColumns, toSong } from '../../catalog/catalog.repository.js';
import type { Song } from '../../catalog/catalog.types.js';
import { allGenres, type GenreOf, genreHiddenColumns, isGenreHidden } from '../../catalog/genre.js';

export type GenreSize = GenreOf<'name' | 'color', 'id' | 'name' | 'songCount'> & { hidden: boolean };

export interface DayStats {
  day: string;
  playlistsStarted: number;
  songsPlayed: number;
}

export type GenrePlays = GenreOf<'name', 'name'> & { playlistsStarted: number; songsPlayed: number };

type Row = Record<string, unknown>;

/** DATE columns come back as a Date (mysql2, at UTC midnight) or as the stored text (SQLite). */
const toDay = (value: unknown) => (value instanceof Date ? utcDay(value) : String(value).slice(0, 10));
/** created_at as ISO 8601 (what a stray value that is no date reads as, left as it is). */
function toIso(value: unknown): string {
  const date = readTimestamp(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

export function createDashboardRepository(db: Knex) {
  return {
    /** Every genre, hidden ones included, in picker order. */
    async songsPerGenre(): Promise<GenreSize[]> {
      const rows: Row[] = await allGenres(db)
        .leftJoin('genre_counts as c', 'c.genre_id', 'm.id')
        .select('m.id', 'd.name as drug', 'm.name as mood', 'd.color', ...genreHiddenColumns, 'c.song_count');
      return rows.map((r) => ({
        drug: { name: String(r.drug), color: String(r.color) },
        mood: { id: Number(r.id), name: String(r.mood), songCount: Number(r.song_count ?? 0) },
        hidden: isGenreHidden(r),
      }));
    },

    async totalSongs(): Promise<number> {
      return Number((await db('songs').count({ n: '*' }).first())?.n ?? 0);
    },

    /** The days from `from` (a UTC day, inclusive) that had any play. */
    async daily(from: string): Promise<DayStats[]> {
      const rows: Row[] = await db('daily_stats').where('day', '>=', from).orderBy('day');
      return rows.map((r) => ({ day: toDay(r.day), playlistsStarted: Number(r.playlists_started), songsPlayed: Number(r.songs_played) }));
    },

    /** The songs played most since `from`, summed over at most one row per song and day. */
    async topPlayed(from: string, limit: number): Promise<{ song: Song; plays: number }[]> {
      const top: Row[] = await db('song_daily_plays')
        .where('day', '>=', from)
        .groupBy('song_id')
        .select('song_id')
        .sum({ plays: 'plays' })
        .orderBy([{ column: 'plays', order: 'desc' }, { column: 'song_id' }])
        .limit(limit);
      if (top.length === 0) return [];
      const songs = new Map(
        (
          await db('songs as s')
            .whereIn(
              's.id',
              top.map((r) => Number(r.song_id)),
            )
            .select(...songColumns)
        ).map((r: Row) => [Number(r.id), toSong(r)]),
      );
      return top.flatMap((r) => {
        const song = songs.get(Number(r.song_id));
        return song ? [{ song, plays: Number(r.plays) }] : [];
      });
    },

    /** The genres whose players started most playlists since `from`. */
    async topGenres(from: string, limit: number): Promise<GenrePlays[]> {
      const rows: Row[] = await db('genre_daily_plays as p')
        .join('moods as m', 'm.id', 'p.genre_id')
        .join('drugs as d', 'd.id', 'm.drug_id')
        .where('p.day', '>=', from)
        .groupBy('p.genre_id', 'd.name', 'm.name')
        .select('d.name as drug', 'm.name as mood')
        .sum({ started: 'p.playlists_started', played: 'p.songs_played' })
        .orderBy([{ column: 'started', order: 'desc' }, { column: 'played', order: 'desc' }, { column: 'p.genre_id' }])
        .limit(limit);
      return rows.map((r) => ({
        drug: { name: String(r.drug) },
        mood: { name: String(r.mood) },
        playlistsStarted: Number(r.started),
        songsPlayed: Number(r.played),
      }));
    },

    async recentSongs(limit: number): Promise<(Song & { createdAt: string })[]> {
      const rows: Row[] = await db('songs as s')
        .orderBy([
          { column: 's.created_at', order: 'desc' },
          { column: 's.id', order: 'desc' },
        ])
        .limit(limit)
        .select(...songColumns, 's.created_at');
      return rows.map((r) => ({ ...toSong(r), createdAt: toIso(r.created_at) }));
    },
  };
}

export type DashboardRepository = ReturnType<typeof createDashboardRepository>;
