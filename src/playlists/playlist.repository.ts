// The engine's read path: one indexed lookup of k numbers in one genre. For a logged-in listener
// the same statement also looks each drawn song up among the songs they hid from this genre
// (hidden_songs' primary key), so a draw in which no hidden song falls still costs one statement.
import type { Knex } from 'knex';
import { songColumns, toSong } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import { dialectOf } from '../db/dialect.js';
import { COPIED_SONG_COLUMNS } from './membership.js';

type Query = Knex.QueryBuilder;

/** For a listener: each row says whether they hid its song from this genre (`hidden_song`). */
function withHidden(query: Query, listener: number | undefined): Query {
  if (listener === undefined) return query;
  return query
    .leftJoin('hidden_songs as h', (on) => on.onVal('h.user_id', listener).andOn('h.genre_id', 'gs.genre_id').andOn('h.song_id', 'gs.song_id'))
    .select('h.song_id as hidden_song');
}

/**
 * What a draw returns of each song, from the membership row's own copy (migration
 * 20261211000024): a draw never reads `songs`.
 */
const drawColumns = ['gs.song_id as id', ...COPIED_SONG_COLUMNS.map((column) => `gs.${column}` as const)] as const;

/** The statement of a draw's later rounds. */
function songsAtRowsQuery(db: Knex, genreId: number, rowIds: readonly number[], listener?: number) {
  const dialect = dialectOf(db);
  const built = db
    .from(dialect.tableByIndex(db, 'genre_songs', 'gs', dialect.drawIndex))
    .where('gs.genre_id', genreId)
    .whereIn('gs.row_id_per_genre', [...rowIds])
    .select('gs.row_id_per_genre', ...drawColumns);
  return withHidden(built, listener);
}

/**
 * A draw in one statement: the songs at these numbers (one row per song found, or one row with
 * null song columns), beside the genre's current N and the catalog's version. One statement is
 * one consistent read, so N and the members come from the same moment.
 */
function genreDrawQuery(db: Knex, genreId: number, rowIds: readonly number[], listener?: number) {
  const query = db('genre_counts as c')
    .join('catalog_version as v', (on) => on.onVal('v.id', 1))
    .leftJoin(dialectOf(db).tableByIndex(db, 'genre_songs', 'gs', dialectOf(db).drawIndex), (on) =>
      on.on('gs.genre_id', 'c.genre_id').onIn('gs.row_id_per_genre', rowIds.length ? [...rowIds] : [0]),
    )
    .where('c.genre_id', genreId)
    .select('v.version as catalog_version', 'c.song_count', 'gs.row_id_per_genre', ...drawColumns);
  return withHidden(query, listener);
}

/**
 * The draw's statement as SQL text and where each call's values go, built once per shape by knex
 * from placeholders: the genre is -1, the listener -2, the k-th number -3-k (real ones are never
 * negative; the builder's own constants stay as they are).
 */
interface DrawStatement {
  sql: string;
  bind(genreId: number, rowIds: readonly number[], listener: number | undefined): number[];
}

/** Numbers per statement come in steps of this, padded by repeating one (the IN list ignores repeats), so few texts are prepared. */
const NUMBERS_STEP = 8;
const GENRE = -1;
const LISTENER = -2;
const FIRST_NUMBER = -3;

function drawStatement(db: Knex, count: number, forListener: boolean): DrawStatement {
  const placeholders = Array.from({ length: count }, (_, k) => FIRST_NUMBER - k);
  const { sql, bindings } = genreDrawQuery(db, GENRE, placeholders, forListener ? LISTENER : undefined)
    .toSQL()
    .toNative();
  const roles = (bindings as number[]).map(Number);
  return {
    sql,
    bind: (genreId, rowIds, listener) =>
      roles.map((role) => {
        if (role === GENRE) return genreId;
        if (role === LISTENER) return listener!;
        if (role <= FIRST_NUMBER) return rowIds[FIRST_NUMBER - role] ?? rowIds[0]!;
        return role;
      }),
  };
}

export interface GenreDraw {
  /** N now. */
  size: number;
  catalogVersion: number;
  /** The songs at the numbers asked for; numbers nobody holds, or whose song the listener hid, are absent. */
  songs: Map<number, Song>;
}

function songsByRow(rows: Record<string, unknown>[]): Map<number, Song> {
  const songs = new Map<number, Song>();
  for (const r of rows) if (r.row_id_per_genre != null && r.hidden_song == null) songs.set(Number(r.row_id_per_genre), toSong(r));
  return songs;
}

export function createPlaylistRepository(db: Knex) {
  const dialect = dialectOf(db);
  const statements = new Map<number, DrawStatement>();
  const statementFor = (count: number, forListener: boolean) => {
    const padded = Math.ceil(Math.max(count, 1) / NUMBERS_STEP) * NUMBERS_STEP;
    const key = forListener ? -padded : padded;
    const known = statements.get(key);
    if (known) return known;
    const statement = drawStatement(db, padded, forListener);
    statements.set(key, statement);
    return statement;
  };

  return {
    async genreSize(genreId: number): Promise<number> {
      const row = await db('genre_counts').where('genre_id', genreId).first('song_count');
      return row ? Number(row.song_count) : 0;
    },

    /** The songs holding these numbers; numbers nobody holds (a removal in flight), or hidden by the listener, are simply absent. */
    async songsAtRows(genreId: number, rowIds: readonly number[], listener?: number): Promise<Map<number, Song>> {
      if (rowIds.length === 0) return new Map();
      return songsByRow(await songsAtRowsQuery(db, genreId, rowIds, listener));
    },

    /** Of these songs, those in the genre now (and not hidden by the listener), by id: a shared list, or one a browser saved. */
    async songsById(genreId: number, songIds: readonly number[], listener?: number): Promise<Map<number, Song>> {
      if (songIds.length === 0) return new Map();
      const query = db('genre_songs as gs')
        .join('songs as s', 's.id', 'gs.song_id')
        .where('gs.genre_id', genreId)
        .whereIn('gs.song_id', [...songIds])
        .select(...songColumns);
      const songs = new Map<number, Song>();
      for (const r of await withHidden(query, listener)) if (r.hidden_song == null) songs.set(Number(r.id), toSong(r));
      return songs;
    },

    /** The songs at these numbers with N and the catalog version; undefined when the genre is gone. */
    async draw(genreId: number, rowIds: readonly number[], listener?: number): Promise<GenreDraw | undefined> {
      // The hottest statement of the app: prepared once per connection and shape, not built per call.
      const statement = statementFor(rowIds.length, listener !== undefined);
      const rows = await dialect.selectPrepared(db, statement.sql, statement.bind(genreId, rowIds.length ? rowIds : [0], listener));
      if (rows.length === 0) return undefined;
      return { size: Number(rows[0]!.song_count), catalogVersion: Number(rows[0]!.catalog_version), songs: songsByRow(rows) };
    },
  };
}

export type PlaylistRepository = ReturnType<typeof createPlaylistRepository>;
