// Reads of drugs, moods and songs for the listener pages and the API.
import type { Knex } from 'knex';
import type { Drug, DrugWithMoods, Genre, Mood, Song } from './catalog.types.js';

type Row = Record<string, unknown>;

export const toDrug = (r: Row): Drug => ({
  id: Number(r.id),
  slug: String(r.slug),
  name: String(r.name),
  description: String(r.description),
  color: String(r.color),
  position: Number(r.position),
});

export const toMood = (r: Row): Mood => ({
  id: Number(r.id),
  drugId: Number(r.drug_id),
  slug: String(r.slug),
  name: String(r.name),
  description: String(r.description),
  position: Number(r.position),
  songCount: Number(r.song_count ?? 0),
});

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

/** Every genre whose drug and mood are both visible, joined with its N; select genreColumns. */
export function visibleGenres(db: Knex) {
  return db('moods as m')
    .join('drugs as d', 'd.id', 'm.drug_id')
    .leftJoin('genre_counts as c', 'c.genre_id', 'm.id')
    .where({ 'd.hidden': false, 'm.hidden': false });
}

/** visibleGenres' columns, prefixed so drug and mood columns can share one row. */
export const genreColumns = [
  'm.id as m_id',
  'm.drug_id as m_drug_id',
  'm.slug as m_slug',
  'm.name as m_name',
  'm.description as m_description',
  'm.position as m_position',
  'c.song_count as m_song_count',
  'd.id as d_id',
  'd.slug as d_slug',
  'd.name as d_name',
  'd.description as d_description',
  'd.color as d_color',
  'd.position as d_position',
] as const;

export const toGenre = (r: Row): Genre => ({
  drug: toDrug({ id: r.d_id, slug: r.d_slug, name: r.d_name, description: r.d_description, color: r.d_color, position: r.d_position }),
  mood: toMood({
    id: r.m_id,
    drug_id: r.m_drug_id,
    slug: r.m_slug,
    name: r.m_name,
    description: r.m_description,
    position: r.m_position,
    song_count: r.m_song_count,
  }),
});

/** Moods with their N (`song_count`), in picker order; hidden ones too unless the caller filters. */
export function moodsWithCounts(db: Knex) {
  return db('moods as m')
    .leftJoin('genre_counts as c', 'c.genre_id', 'm.id')
    .select('m.*', 'c.song_count')
    .orderBy([{ column: 'm.position' }, { column: 'm.id' }]);
}

/** Every genre (mood joined with its drug), hidden ones included, in picker order: drug, then mood. */
export function allGenres(db: Knex) {
  return db('moods as m')
    .join('drugs as d', 'd.id', 'm.drug_id')
    .orderBy([{ column: 'd.position' }, { column: 'd.id' }, { column: 'm.position' }, { column: 'm.id' }]);
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

    async findGenre(drugSlug: string, moodSlug: string): Promise<Genre | undefined> {
      const row = await visibleGenres(db)
        .where({ 'd.slug': drugSlug, 'm.slug': moodSlug })
        .first(...genreColumns);
      return row ? toGenre(row) : undefined;
    },
  };
}

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
