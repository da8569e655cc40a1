// Creating drugs, moods and songs. A mood is a genre, so creating one also creates its row in
// genre_counts (N = 0) — the row the playlist engine locks and counts on.
import type { Knex } from 'knex';

export interface NewDrug {
  slug: string;
  name: string;
  description?: string;
  color?: string;
  position?: number;
}

export interface NewMood {
  drugId: number;
  slug: string;
  name: string;
  description?: string;
  position?: number;
}

export interface NewSong {
  title: string;
  artist: string;
  url: string;
  album?: string | null;
  year?: number | null;
  durationSeconds?: number | null;
}

export async function insertDrug(db: Knex, drug: NewDrug): Promise<number> {
  const [id] = await db('drugs').insert({
    slug: drug.slug,
    name: drug.name,
    description: drug.description ?? '',
    ...(drug.color && { color: drug.color }),
    position: drug.position ?? 0,
  });
  return Number(id);
}

export async function insertMood(db: Knex, mood: NewMood): Promise<number> {
  return db.transaction(async (trx) => {
    const [id] = await trx('moods').insert({
      drug_id: mood.drugId,
      slug: mood.slug,
      name: mood.name,
      description: mood.description ?? '',
      position: mood.position ?? 0,
    });
    await trx('genre_counts').insert({ genre_id: Number(id), song_count: 0 });
    return Number(id);
  });
}

export const songRow = (song: NewSong) => ({
  title: song.title,
  artist: song.artist,
  url: song.url,
  album: song.album ?? null,
  year: song.year ?? null,
  duration_seconds: song.durationSeconds ?? null,
});

export async function insertSong(db: Knex, song: NewSong): Promise<number> {
  const [id] = await db('songs').insert(songRow(song));
  return Number(id);
}
