// Every write to genre memberships goes through this module, so each genre's row_id_per_genre
// stays exactly 1..N and genre_counts holds N.
//
// - Adding appends at N+1. Removing moves the member holding N into the freed number. Both are
//   O(1) whatever N is, and the count changes in the same transaction.
// - Writers of one genre are serialized by dialect.lockGenres (row locks on MySQL, the writer lock
//   on SQLite), always taken in genre id order so two writers never wait on each other in a cycle.
// - Deadlocks and lock timeouts are retried a bounded number of times, then become ServiceBusy.
// - A write naming a genre or a song that is not there throws MissingRows, so the caller's
//   transaction rolls back; the service that asked says what that means to the person.
import type { Knex } from 'knex';
import { dialectOf, type Dialect } from '../db/dialect.js';

/** A membership write named genres or songs that are not there; nothing of the transaction stays. */
export class MissingRows extends Error {
  constructor(
    readonly table: 'genres' | 'songs',
    readonly ids: readonly number[],
  ) {
    super(`No ${table === 'genres' ? 'genre' : 'song'} with id ${ids.join(', ')}`);
    this.name = 'MissingRows';
  }
}

export type Membership = readonly [genreId: number, songId: number];

export interface MembershipChanges {
  add?: readonly Membership[];
  remove?: readonly Membership[];
  /**
   * Songs the caller inserted in this same transaction (the importer): they belong to no genre
   * and nobody has favorited them yet, so their additions skip both lookups.
   */
  newSongs?: ReadonlySet<number>;
}

const CHUNK = 500;

/**
 * Applies removals, then additions, inside the caller's transaction. Adding a song that is
 * already a member, or removing one that is not, changes nothing. Unknown genres throw MissingRows.
 */
export async function applyMembershipChanges(trx: Knex.Transaction, changes: MembershipChanges): Promise<{ added: number; removed: number }> {
  const dialect = dialectOf(trx);
  const removals = changes.remove ?? [];
  const additions = changes.add ?? [];
  const genreIds = [...new Set([...removals, ...additions].map(([genreId]) => genreId))].sort((a, b) => a - b);
  if (genreIds.length === 0) return { added: 0, removed: 0 };

  const counts = await dialect.lockGenres(trx, genreIds);
  const missing = genreIds.filter((id) => !counts.has(id));
  if (missing.length) throw new MissingRows('genres', missing);
  const before = new Map(counts);

  let removed = 0;
  for (const [genreId, songId] of removals) {
    if (await removeMember(trx, dialect, genreId, songId, counts)) removed++;
  }
  // Every genre's newcomers are numbered first, then inserted together in as few statements as
  // the dialect allows: a bulk import touches many genres per batch.
  const newMembers: MemberRow[] = [];
  for (const [genreId, songIds] of groupByGenre(additions)) {
    newMembers.push(...(await numberNewcomers(trx, dialect, genreId, songIds, counts, changes.newSongs)));
  }
  for (let i = 0; i < newMembers.length; i += dialect.maxRowsPerInsert) {
    await trx('genre_songs').insert(newMembers.slice(i, i + dialect.maxRowsPerInsert));
  }

  const changed = genreIds.filter((genreId) => counts.get(genreId) !== before.get(genreId));
  if (changed.length > 0) {
    await trx('genre_counts')
      .whereIn('genre_id', changed)
      .update({
        song_count: trx.raw(
          `CASE genre_id ${changed.map(() => 'WHEN ? THEN ?').join(' ')} END`,
          changed.flatMap((id) => [id, counts.get(id)!]),
        ),
      });
  }
  return { added: newMembers.length, removed };
}

async function removeMember(trx: Knex.Transaction, dialect: Dialect, genreId: number, songId: number, counts: Map<number, number>): Promise<boolean> {
  const member = await dialect.lockingRead(trx('genre_songs').where({ genre_id: genreId, song_id: songId }).select('row_id_per_genre'));
  if (member.length === 0) return false;
  const freed = Number(member[0].row_id_per_genre);
  const last = counts.get(genreId)!;
  await trx('genre_songs').where({ genre_id: genreId, song_id: songId }).del();
  if (freed !== last) {
    await trx('genre_songs').where({ genre_id: genreId, row_id_per_genre: last }).update({ row_id_per_genre: freed });
  }
  counts.set(genreId, last - 1);
  return true;
}

interface MemberRow extends DrawCopy {
  genre_id: number;
  song_id: number;
  row_id_per_genre: number;
}

/** What a membership row copies of its song, for draws on one index (see the draw-copies migration). */
interface DrawCopy {
  title: string;
  artist: string;
  album: string | null;
  year: number | null;
  track: number | null;
  url: string;
  stream_url: string | null;
  duration_seconds: number | null;
  favorite_count: number;
  loudness_lufs: number | null;
  true_peak_db: number | null;
  cover: string | null;
}

/** The columns of `songs` a membership copies, under the same names. */
export const COPIED_SONG_COLUMNS = [
  'title',
  'artist',
  'album',
  'year',
  'track',
  'url',
  'stream_url',
  'duration_seconds',
  'favorite_count',
  'loudness_lufs',
  'true_peak_db',
  'cover',
] as const;

/** Numbers the songs not yet in the genre N+1, N+2, … and advances the genre's count. */
async function numberNewcomers(
  trx: Knex.Transaction,
  dialect: Dialect,
  genreId: number,
  songIds: readonly number[],
  counts: Map<number, number>,
  newSongs: ReadonlySet<number> = new Set(),
): Promise<MemberRow[]> {
  const newcomers = songIds.filter((id) => newSongs.has(id));
  const known = songIds.filter((id) => !newSongs.has(id));
  for (let i = 0; i < known.length; i += CHUNK) {
    const chunk = known.slice(i, i + CHUNK);
    const present = new Set(
      (await dialect.lockingRead(trx('genre_songs').where('genre_id', genreId).whereIn('song_id', chunk).select('song_id'))).map((r: { song_id: number }) =>
        Number(r.song_id),
      ),
    );
    newcomers.push(...chunk.filter((id) => !present.has(id)));
  }
  const copies = await drawCopies(trx, newcomers);
  const start = counts.get(genreId)!;
  counts.set(genreId, start + newcomers.length);
  return newcomers.map((songId, k) => ({
    genre_id: genreId,
    song_id: songId,
    row_id_per_genre: start + k + 1,
    ...copies.get(songId)!,
  }));
}

/** Each song's columns that its memberships copy (read in this transaction, so they are exact). */
async function drawCopies(trx: Knex.Transaction, songIds: readonly number[]): Promise<Map<number, DrawCopy>> {
  const copies = new Map<number, DrawCopy>();
  for (let i = 0; i < songIds.length; i += CHUNK) {
    const rows: (DrawCopy & { id: number })[] = await trx('songs')
      .whereIn('id', songIds.slice(i, i + CHUNK))
      .select('id', ...COPIED_SONG_COLUMNS);
    for (const { id, ...copy } of rows) copies.set(Number(id), copy);
  }
  const missing = songIds.find((id) => !copies.has(id));
  if (missing !== undefined) throw new MissingRows('songs', [missing]);
  return copies;
}

/**
 * A song's own columns changed (an admin's edit): every membership's copy follows, in the same
 * transaction, so draws never show what the song no longer says.
 */
export async function copySongToMemberships(trx: Knex.Transaction, songId: number): Promise<void> {
  const copy = (await drawCopies(trx, [songId])).get(songId)!;
  await trx('genre_songs').where('song_id', songId).update(copy);
}

function groupByGenre(memberships: readonly Membership[]): Map<number, number[]> {
  const groups = new Map<number, Set<number>>();
  for (const [genreId, songId] of memberships) {
    const songs = groups.get(genreId) ?? new Set();
    songs.add(songId);
    groups.set(genreId, songs);
  }
  return new Map([...groups].map(([genreId, songs]) => [genreId, [...songs]]));
}

/** The genres a song belongs to, read with a lock so a concurrent edit cannot slip in between. */
async function genresOfSong(trx: Knex.Transaction, songId: number): Promise<number[]> {
  const rows = await dialectOf(trx).lockingRead(trx('genre_songs').where('song_id', songId).select('genre_id'));
  return rows.map((r: { genre_id: number }) => Number(r.genre_id));
}

/** Locks the song's own row first, so nobody adds it to a genre while we rewrite its genres. */
async function lockSong(trx: Knex.Transaction, songId: number): Promise<void> {
  const rows = await dialectOf(trx).lockingRead(trx('songs').where('id', songId).select('id'));
  if (rows.length === 0) throw new MissingRows('songs', [songId]);
}

export async function setSongGenres(trx: Knex.Transaction, songId: number, genreIds: readonly number[]) {
  await lockSong(trx, songId);
  const current = await genresOfSong(trx, songId);
  const wanted = new Set(genreIds);
  return applyMembershipChanges(trx, {
    remove: current.filter((g) => !wanted.has(g)).map((g) => [g, songId] as const),
    add: [...wanted].filter((g) => !current.includes(g)).map((g) => [g, songId] as const),
  });
}

export async function deleteSong(trx: Knex.Transaction, songId: number): Promise<void> {
  await lockSong(trx, songId);
  const current = await genresOfSong(trx, songId);
  await applyMembershipChanges(trx, { remove: current.map((g) => [g, songId] as const) });
  await trx('songs').where('id', songId).del();
}
