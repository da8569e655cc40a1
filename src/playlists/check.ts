// The engine's invariant, checked and repaired: for every genre, genre_counts holds N and its
// members hold exactly the numbers 1..N, each once; and every member's copy of its song (what a
// draw returns, read from genre_songs alone) equals the song.
import type { Knex } from 'knex';
import { dialectOf } from '../db/dialect.js';
import { writeTransaction } from '../db/transaction.js';
import { COPIED_SONG_COLUMNS, copySongToMemberships } from './membership.js';

export interface GenreProblem {
  genreId: number;
  genre: string;
  problem: string;
}

export async function checkGenres(db: Knex): Promise<GenreProblem[]> {
  const staleCopies = await staleCopiesByGenre(db);
  const rows: Record<string, unknown>[] = await db('moods as m')
    .join('drugs as d', 'd.id', 'm.drug_id')
    .leftJoin('genre_counts as c', 'c.genre_id', 'm.id')
    .leftJoin('genre_songs as gs', 'gs.genre_id', 'm.id')
    .groupBy('m.id', 'd.slug', 'm.slug', 'c.song_count', 'c.genre_id')
    .select('m.id', 'd.slug as drug', 'm.slug as mood', 'c.song_count', 'c.genre_id as counted')
    .count({ members: 'gs.song_id' })
    .countDistinct({ numbers: 'gs.row_id_per_genre' })
    .min({ low: 'gs.row_id_per_genre' })
    .max({ high: 'gs.row_id_per_genre' })
    .orderBy('m.id');

  const problems: GenreProblem[] = [];
  for (const r of rows) {
    const genre = `${r.drug}/${r.mood}`;
    const say = (problem: string) => problems.push({ genreId: Number(r.id), genre, problem });
    const members = Number(r.members);
    if (r.counted == null) {
      say('has no row in genre_counts');
      continue;
    }
    const n = Number(r.song_count);
    if (n !== members) say(`genre_counts says ${n} songs but it has ${members} members`);
    if (Number(r.numbers) !== members) say(`${members - Number(r.numbers)} duplicate row_id_per_genre numbers`);
    if (members > 0 && (Number(r.low) !== 1 || Number(r.high) !== members)) {
      say(`row_id_per_genre spans ${r.low}..${r.high}, expected 1..${members}`);
    }
    const stale = staleCopies.get(Number(r.id));
    if (stale) say(`${stale} members' copies of their song differ from songs`);
  }
  return problems;
}

/** Members whose copy of their song differs from the song, by genre (nulls compared as values). */
async function staleCopiesByGenre(db: Knex): Promise<Map<number, number>> {
  const differs = COPIED_SONG_COLUMNS.map((c) =>
    c === 'year' || c === 'duration_seconds' || c === 'favorite_count'
      ? db.raw('COALESCE(??, -1) <> COALESCE(??, -1)', [`gs.${c}`, `s.${c}`])
      : db.raw("COALESCE(??, '') <> COALESCE(??, '')", [`gs.${c}`, `s.${c}`]),
  );
  const rows: { genre_id: number; n: number }[] = await db('genre_songs as gs')
    .join('songs as s', 's.id', 'gs.song_id')
    .where((q) => {
      for (const d of differs) q.orWhere(d);
    })
    .groupBy('gs.genre_id')
    .select('gs.genre_id')
    .count({ n: '*' });
  return new Map(rows.map((r) => [Number(r.genre_id), Number(r.n)]));
}

/** Copies each song of the genre onto its memberships again; resolves to how many members were rewritten. */
export async function repairCopies(db: Knex, genreId: number): Promise<number> {
  const songIds = (await db('genre_songs').where('genre_id', genreId).pluck('song_id')).map(Number);
  for (const songId of songIds) await writeTransaction(db, (trx) => copySongToMemberships(trx, songId));
  return songIds.length;
}

/** Renumbers one genre's members 1..N (keeping their order) and resets N, in one transaction. */
export async function repairGenre(db: Knex, genreId: number): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const dialect = dialectOf(trx);
    await trx('genre_counts').insert({ genre_id: genreId, song_count: 0 }).onConflict('genre_id').ignore();
    await dialect.lockGenres(trx, [genreId]);
    const members = await dialect.lockingRead(trx('genre_songs').where('genre_id', genreId).orderBy(['row_id_per_genre', 'song_id']).select('song_id'));
    // Move everyone out of the way first, so renumbering never collides with the unique index.
    const offset = members.length + 1_000_000_000;
    await trx('genre_songs')
      .where('genre_id', genreId)
      .update({ row_id_per_genre: trx.raw('row_id_per_genre + ?', [offset]) });
    for (const [index, { song_id }] of members.entries()) {
      await trx('genre_songs')
        .where({ genre_id: genreId, song_id })
        .update({ row_id_per_genre: index + 1 });
    }
    await trx('genre_counts').where('genre_id', genreId).update({ song_count: members.length });
    return members.length;
  });
}
