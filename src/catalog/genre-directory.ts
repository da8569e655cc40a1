// The visible genres by slug, kept in each process's memory so a playlist draw need not look its
// genre up by slug (two joins) on every request. Never stale for long: catalog_version grows with
// every change to drugs and moods, and each draw reads it in its own statement (see
// playlist.repository.ts); a process that sees a newer version loads the genres again.
import type { Knex } from 'knex';
import { genreColumns, toGenre, visibleGenres } from './catalog.repository.js';
import type { Genre } from './catalog.types.js';

interface GenreSnapshot {
  version: number;
  /** By "drug/mood" slug pair. */
  genres: ReadonlyMap<string, Genre>;
}

/** Loads after a newer version was seen; more attempts than this means the catalog is churning. */
const MAX_LOADS = 3;

async function readCatalogVersion(db: Knex): Promise<number> {
  const row = await db('catalog_version').where('id', 1).first('version');
  return Number(row?.version ?? 0);
}

export function createGenreDirectory(db: Knex) {
  let latest: GenreSnapshot | undefined;
  let loading: Promise<GenreSnapshot> | undefined;

  async function load(): Promise<GenreSnapshot> {
    // The version first: a change landing between the two reads leaves an older version beside
    // newer genres, which only causes one more load — never a newer version beside older genres.
    const version = await readCatalogVersion(db);
    const rows: Record<string, unknown>[] = await visibleGenres(db).select(...genreColumns);
    const genres = new Map(rows.map((row) => [genreKey(String(row.d_slug), String(row.m_slug)), toGenre(row)]));
    return { version, genres };
  }

  /** A snapshot at least as new as `version` (one load shared by every request waiting for it). */
  async function atLeast(version: number): Promise<GenreSnapshot> {
    for (let attempt = 0; attempt < MAX_LOADS && (!latest || latest.version < version); attempt++) {
      loading ??= load().finally(() => (loading = undefined));
      const loaded = await loading;
      if (!latest || loaded.version > latest.version) latest = loaded;
    }
    return latest ?? (await load());
  }

  return {
    atLeast,

    /** Every visible genre, as this process last loaded them (their N as of that load). */
    async all(): Promise<Genre[]> {
      return [...(await atLeast(0)).genres.values()];
    },

    /** The visible genre these slugs name, and the snapshot it came from; undefined when there is none. */
    async find(drugSlug: string, moodSlug: string): Promise<{ genre: Genre; version: number } | undefined> {
      const key = genreKey(drugSlug, moodSlug);
      let snapshot = await atLeast(0);
      // Not here: perhaps created or shown since the snapshot. One cheap read tells.
      if (!snapshot.genres.has(key)) {
        const version = await readCatalogVersion(db);
        if (version > snapshot.version) snapshot = await atLeast(version);
      }
      const genre = snapshot.genres.get(key);
      return genre && { genre, version: snapshot.version };
    },
  };
}

export type GenreDirectory = ReturnType<typeof createGenreDirectory>;

const genreKey = (drugSlug: string, moodSlug: string) => `${drugSlug}/${moodSlug}`;
