// Rows for tests, each with a unique suffix so tests never depend on one another's data.
import { insertDrug, insertMood, insertSong } from '../../src/catalog/catalog.writes.js';
import type { Db } from '../../src/db/knex.js';
import { applyMembershipChanges } from '../../src/playlists/membership.js';
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
