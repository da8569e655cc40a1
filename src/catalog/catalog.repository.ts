// Reads of drugs, moods and songs for the listener pages and the API.
import type { Knex } from 'knex';
import { toDrug, toMood } from './catalog.rows.js';
import type { DrugWithMoods, Song } from './catalog.types.js';
import { type Genre, genreColumns, toGenre, visibleGenres } from './genre.js';

type Row = Record<string, unknown>;

export const toSong = (r: Row): Song => ({
  id: Number(r.id),
  title: String(r.title),
  artist: String(r.artist),
  album: r.album == null ? null : String(r.album),
  year: r.year == null ? null : Number(r.year),
  track: r.track == null ? null : Number(r.track),
  url: String(r.url),
  streamUrl: r.stream_url == null ? null : String(r.stream_url),
  durationSeconds: r.duration_seconds == null ? null : Number(r.duration_seconds),
  favoriteCount: Number(r.favorite_count ?? 0),
  loudness: r.loudness_lufs == null ? null : { lufs: Number(r.loudness_lufs), truePeakDb: r.true_peak_db == null ? null : Number(r.true_peak_db) },
  cover: r.cover == null ? null : String(r.cover),
});

/** Moods with their N (`song_count`), in picker order; hidden ones too unless the caller filters. */
export function moodsWithCounts(db: Knex) {
  return db('moods as m')
    .leftJoin('genre_counts as c', 'c.genre_id', 'm.id')
    .select('m.*', 'c.song_count')
    .orderBy([{ column: 'm.position' }, { column: 'm.id' }]);
}

export const songColumns = [
  's.id',
  's.title',
  's.artist',
  's.album',
  's.year',
  's.track',
  's.url',
  's.stream_url',
  's.duration_seconds',
  's.favorite_count',
  's.loudness_lufs',
  's.true_peak_db',
  's.cover',
] as const;

export function createCatalogRepository(db: Knex) {
  const visibleMoods = () => moodsWithCounts(db).where('m.hidden', false);

  return {
    async listDrugs(): Promise<DrugWithMoods[]> {
      const [drugs, moods] = await Promise.all([
        db('drugs')
          .where('hidden', false)
          .orderBy([{ column: 'position' }, { column: 'id' }]),
        visibleMoods(),
      ]);
      return drugs.map((d: Row) => ({
        ...toDrug(d),
        moods: moods.filter((m: Row) => Number(m.drug_id) === Number(d.id)).map(toMood),
      }));
    },

    async findDrug(slug: string): Promise<DrugWithMoods | undefined> {
      const drug = await db('drugs').where({ slug, hidden: false }).first();
      if (!drug) return undefined;
      const moods = await visibleMoods().andWhere('m.drug_id', drug.id);
      return { ...toDrug(drug), moods: moods.map(toMood) };
    },

    /** A song in a visible genre, with the first such genre; undefined when it is in none. */
    async findSong(id: number): Promise<{ song: Song; genre: Genre } | undefined> {
      const row = await visibleGenres(db)
        .join('genre_songs as gs', 'gs.genre_id', 'm.id')
        .join('songs as s', 's.id', 'gs.song_id')
        .where('s.id', id)
        .orderBy('m.id')
        .first(...songColumns, ...genreColumns);
      return row ? { song: toSong(row), genre: toGenre(row) } : undefined;
    },
  };
}

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
