// Rows for tests, each with a unique suffix so tests never depend on one another's data.
import { insertDrug, insertMood, type NewSong, songRow } from '../../src/catalog/catalog.writes.js';
import type { Db } from '../../src/db/knex.js';
import { applyMembershipChanges, deleteSong, setSongGenres } from '../../src/playlists/membership.js';
import { writeTransaction } from '../../src/db/transaction.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface TestGenre {
  drugId: number;
  genreId: number;
  drugSlug: string;
  moodSlug: string;
}

export async function makeGenre(db: Db, slugs: { drug?: string; mood?: string; drugId?: number } = {}): Promise<TestGenre> {
  const drugSlug = slugs.drug ?? `drug-${unique()}`;
  const drugId =
    slugs.drugId ?? (await db('drugs').where('slug', drugSlug).first('id'))?.id ?? (await insertDrug(db, { slug: drugSlug, name: `Drug ${drugSlug}` }));
  const moodSlug = slugs.mood ?? `mood-${unique()}`;
  const genreId = await insertMood(db, { drugId: Number(drugId), slug: moodSlug, name: `Mood ${moodSlug}` });
  return { drugId: Number(drugId), genreId, drugSlug, moodSlug };
}

/** A song row alone, in no genre (as an import or an upload writes it first). */
export async function insertSong(db: Db, song: NewSong): Promise<number> {
  const [id] = await db('songs').insert(songRow(song));
  return Number(id);
}

/** Memberships changed through the engine, each change in its own write transaction, as the admin's edits make them. */
export function createMemberships(db: Db) {
  return {
    add: (genreId: number, songId: number) =>
      writeTransaction(db, async (trx) => (await applyMembershipChanges(trx, { add: [[genreId, songId]] })).added === 1),

    remove: (genreId: number, songId: number) =>
      writeTransaction(db, async (trx) => (await applyMembershipChanges(trx, { remove: [[genreId, songId]] })).removed === 1),

    move: (songId: number, fromGenreId: number, toGenreId: number) =>
      writeTransaction(db, (trx) => applyMembershipChanges(trx, { remove: [[fromGenreId, songId]], add: [[toGenreId, songId]] })),

    /** Makes the song a member of exactly these genres (an admin's edit). */
    setGenres: (songId: number, genreIds: readonly number[]) => writeTransaction(db, (trx) => setSongGenres(trx, songId, genreIds)),

    /** Removes the song from all its genres, then deletes it. */
    deleteSong: (songId: number) => writeTransaction(db, (trx) => deleteSong(trx, songId)),
  };
}

/** Creates `count` songs and adds them to the genre through the engine. Returns their ids. */
export async function makeSongs(db: Db, genreId: number, count: number, artist: (i: number) => string = (i) => `Artist ${i % 7}`): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const tag = unique();
    ids.push(await insertSong(db, { title: `Song ${tag}`, artist: artist(i), url: `https://example.test/${tag}.mp3`, durationSeconds: 60 }));
  }
  await writeTransaction(db, (trx) => applyMembershipChanges(trx, { add: ids.map((id) => [genreId, id] as const) }));
  return ids;
}

export { seededRandom } from '../../src/random.js';
