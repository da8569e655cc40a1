// The benchmarks' catalog: 6 drugs × 4 moods = 24 genres, one holding ~25% of the songs, loaded
// through the importer's bulk path from a seeded generator (every run loads the same songs).
import type { Knex } from 'knex';
import { insertDrug, insertMood } from '../src/catalog/catalog.writes.js';
import type { SourceRow } from '../src/import/import.sources.js';

export const DRUGS = 6;
export const MOODS_PER_DRUG = 4;
export const BIG_SHARE = 0.25;
export const ARTISTS = 5000;

export interface GenreRef {
  id: number;
  drug: string;
  mood: string;
}

export async function createGenres(db: Knex): Promise<GenreRef[]> {
  const genres: GenreRef[] = [];
  for (let d = 1; d <= DRUGS; d++) {
    const drug = `benchdrug${d}`;
    const drugId = await insertDrug(db, { slug: drug, name: `Bench drug ${d}`, position: d });
    for (let m = 1; m <= MOODS_PER_DRUG; m++) {
      const mood = `mood${m}`;
      const id = await insertMood(db, { drugId, slug: mood, name: `Mood ${m}`, position: m });
      genres.push({ id, drug, mood });
    }
  }
  return genres;
}

/** Songs number `from`..`to` (1-based), each in one genre: ~25% in genres[0], the rest spread evenly. */
export async function* songRows(genres: readonly GenreRef[], from: number, to: number, random: () => number): AsyncGenerator<SourceRow> {
  for (let n = from; n <= to; n++) {
    const genre = random() < BIG_SHARE ? genres[0]! : genres[1 + Math.floor(random() * (genres.length - 1))]!;
    const artist = 1 + Math.floor(random() * ARTISTS);
    yield {
      line: n - from + 1,
      record: {
        title: `Bench track ${n}`,
        artist: `Bench artist ${artist}`,
        album: `Bench album ${artist}-${n % 12}`,
        year: 1960 + Math.floor(random() * 66),
        duration: 90 + Math.floor(random() * 420),
        url: `https://bench.stereodose.test/${n}.mp3`,
        drug: genre.drug,
        mood: genre.mood,
      },
    };
  }
}
