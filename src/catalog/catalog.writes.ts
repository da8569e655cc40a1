// Creating drugs, moods and songs. A mood is a genre, so creating one also creates its row in
// genre_counts (N = 0) — the row the playlist engine locks and counts on. Every change to drugs or
// moods also bumps catalog_version in its own transaction (see genre.ts).
import type { Knex } from 'knex';
import type { Loudness } from './song-media.js';

/** Tells every process that drugs or moods changed; call it inside the change's transaction. */
export async function bumpCatalogVersion(db: Knex): Promise<void> {
  await db('catalog_version').where('id', 1).increment('version', 1);
}

/** Runs a change to drugs or moods and bumps the catalog version with it, in one transaction. */
export function changeCatalog<T>(db: Knex, change: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    const result = await change(trx);
    await bumpCatalogVersion(trx);
    return result;
  });
}

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
  track?: number | null;
  durationSeconds?: number | null;
  /** The file's size and bit rate (kbit/s), known for the audio Stereodose holds. */
  sizeBytes?: number | null;
  bitRate?: number | null;
  /** Measured from the audio Stereodose holds. */
  loudness?: Loudness | null;
  /** The compressed copy listeners stream (a lossless upload's). */
  streamUrl?: string | null;
  /** The file name of the song's cover. */
  cover?: string | null;
}

export function insertDrug(db: Knex, drug: NewDrug): Promise<number> {
  return changeCatalog(db, async (trx) => {
    const [id] = await trx('drugs').insert({
      slug: drug.slug,
      name: drug.name,
      description: drug.description ?? '',
      ...(drug.color && { color: drug.color }),
      position: drug.position ?? 0,
    });
    return Number(id);
  });
}

export function insertMood(db: Knex, mood: NewMood): Promise<number> {
  return changeCatalog(db, async (trx) => {
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

/** The row of a new song; the columns of what is known of its audio only when given, so a bulk import writes no more than it knows. */
export const songRow = (song: NewSong) => ({
  title: song.title,
  artist: song.artist,
  url: song.url,
  album: song.album ?? null,
  year: song.year ?? null,
  duration_seconds: song.durationSeconds ?? null,
  size_bytes: song.sizeBytes ?? null,
  bit_rate: song.bitRate ?? null,
  ...(song.track !== undefined && { track: song.track }),
  ...(song.loudness !== undefined && { loudness_lufs: song.loudness?.lufs ?? null, true_peak_db: song.loudness?.truePeakDb ?? null }),
  ...(song.streamUrl !== undefined && { stream_url: song.streamUrl }),
  ...(song.cover !== undefined && { cover: song.cover }),
});
