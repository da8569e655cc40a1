// The genre: one drug → mood pair ("Weed · Groovin'"); its id is its mood's id. Everything about it
// lives here: its type, its display name, its URLs, when it is hidden, and its lookup by slugs (or,
// for Subsonic apps, by name), kept in each process's memory.
import type { Knex } from 'knex';
import { toDrug, toMood } from './catalog.rows.js';
import type { Drug, Mood } from './catalog.types.js';

export interface Genre {
  drug: Drug;
  mood: Mood;
}

/** A genre with only some of its drug's and its mood's fields: what a list, a chart or a form needs of it. */
export interface GenreOf<D extends keyof Drug, M extends keyof Mood> {
  drug: Pick<Drug, D>;
  mood: Pick<Mood, M>;
}

type Named = GenreOf<'name', 'name'>;
type Slugs = GenreOf<'slug', 'slug'>;

// ---- Its name -------------------------------------------------------------------------------

/** "Weed · Groovin'": drug first, then mood, everywhere (pages, Subsonic's genre names, exports). */
export const genreName = ({ drug, mood }: Named): string => `${drug.name} · ${mood.name}`;

// ---- Its URLs (slugs encoded) ----------------------------------------------------------------

const slugPair = ({ drug, mood }: Slugs) => `${encodeURIComponent(drug.slug)}/${encodeURIComponent(mood.slug)}`;

/** The drug's page, where its moods are picked. */
export const drugPath = (drug: Pick<Drug, 'slug'>): string => `/playlist/${encodeURIComponent(drug.slug)}`;
/** The drug's preview image. */
export const drugPreviewPath = (drug: Pick<Drug, 'slug'>): string => `/previews/${encodeURIComponent(drug.slug)}.png`;
/** The genre's player page. */
export const genrePath = (genre: Slugs): string => `/playlist/${slugPair(genre)}`;
/** The playlist API: a batch of the genre's songs as JSON. */
export const genreApiPath = (genre: Slugs): string => `/api/playlists/${slugPair(genre)}`;
/** The genre's compact player, for an iframe. */
export const genreEmbedPath = (genre: Slugs): string => `/embed/${slugPair(genre)}`;
/** The genre's preview image (also oEmbed's thumbnail). */
export const genrePreviewPath = (genre: Slugs): string => `/previews/${slugPair(genre)}.png`;
/** The genre's most favorited songs. */
export const genrePopularPath = (genre: Slugs): string => `/popular/${slugPair(genre)}`;
/** "weed/groovin", unencoded: how the player names a radio it remembers and a play report names its genre. */
export const genreKey = ({ drug, mood }: Slugs): string => slugKey(drug.slug, mood.slug);
const slugKey = (drugSlug: string, moodSlug: string) => `${drugSlug}/${moodSlug}`;

// ---- Its visibility --------------------------------------------------------------------------

type Row = Record<string, unknown>;

/**
 * A genre is hidden when its drug or its mood is: listeners no longer see or play it, admins still
 * do. In SQL, moods are `m` and their drugs `d`: select genreHiddenColumns and read them back with
 * isGenreHidden, or keep only the visible ones with `.where(GENRE_VISIBLE)`.
 */
export const genreHiddenColumns = ['d.hidden as drug_hidden', 'm.hidden as mood_hidden'] as const;
export const isGenreHidden = (row: Row): boolean => Boolean(row.drug_hidden) || Boolean(row.mood_hidden);
export const GENRE_VISIBLE = { 'd.hidden': false, 'm.hidden': false } as const;

/** Every genre (mood joined with its drug), hidden ones included, in picker order: drug, then mood. */
export function allGenres(db: Knex) {
  return db('moods as m')
    .join('drugs as d', 'd.id', 'm.drug_id')
    .orderBy([{ column: 'd.position' }, { column: 'd.id' }, { column: 'm.position' }, { column: 'm.id' }]);
}

/** Every genre whose drug and mood are both visible, joined with its N; select genreColumns. */
export function visibleGenres(db: Knex) {
  return db('moods as m').join('drugs as d', 'd.id', 'm.drug_id').leftJoin('genre_counts as c', 'c.genre_id', 'm.id').where(GENRE_VISIBLE);
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

// ---- Its lookup ------------------------------------------------------------------------------
// Listeners' pages and draws find visible genres through the directory below (one per process,
// built in app.ts). Two reads must see hidden genres too and go to the database: an import file's
// drug/mood columns (genreIdsByKey) and a play or hide report's genre (genreIdBySlugs; the play's
// busiest path asks the same in its own prepared statement, plays.repository.ts).

type GenreRow = { id: unknown; drug_slug: unknown; mood_slug: unknown };

/** Every genre's id by genreKey, hidden ones included. */
export async function genreIdsByKey(db: Knex): Promise<Map<string, number>> {
  const rows: GenreRow[] = await allGenres(db).select('m.id', 'd.slug as drug_slug', 'm.slug as mood_slug');
  return new Map(rows.map((r) => [genreKey({ drug: { slug: String(r.drug_slug) }, mood: { slug: String(r.mood_slug) } }), Number(r.id)]));
}

/** The id of the genre these slugs name, hidden or not; undefined when there is none. */
export async function genreIdBySlugs(db: Knex, drugSlug: string, moodSlug: string): Promise<number | undefined> {
  const row = await db('moods as m').join('drugs as d', 'd.id', 'm.drug_id').where({ 'd.slug': drugSlug, 'm.slug': moodSlug }).first('m.id');
  return row ? Number(row.id) : undefined;
}

// The visible genres by slug, kept in each process's memory so a playlist draw need not look its
// genre up by slug (two joins) on every request. Never stale for long: catalog_version grows with
// every change to drugs and moods, and each draw reads it in its own statement (see
// playlist.repository.ts); a process that sees a newer version loads the genres again.

interface GenreSnapshot {
  version: number;
  /** By genreKey. */
  genres: ReadonlyMap<string, Genre>;
}

/** Loads after a newer version was seen; more attempts than this means the catalog is churning. */
const MAX_LOADS = 3;

async function readCatalogVersion(db: Knex): Promise<number> {
  const row = await db('catalog_version').where('id', 1).first('version');
  return Number(row?.version ?? 0);
}

/** The one lookup of genres; app.ts builds it once (buildServices) and hands it to whoever needs it. */
export function createGenreDirectory(db: Knex) {
  let latest: GenreSnapshot | undefined;
  let loading: Promise<GenreSnapshot> | undefined;

  async function load(): Promise<GenreSnapshot> {
    // The version first: a change landing between the two reads leaves an older version beside
    // newer genres, which only causes one more load — never a newer version beside older genres.
    const version = await readCatalogVersion(db);
    const rows: Row[] = await visibleGenres(db).select(...genreColumns);
    const genres = new Map(rows.map((row) => [slugKey(String(row.d_slug), String(row.m_slug)), toGenre(row)]));
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
      const key = slugKey(drugSlug, moodSlug);
      let snapshot = await atLeast(0);
      // Not here: perhaps created or shown since the snapshot. One cheap read tells.
      if (!snapshot.genres.has(key)) {
        const version = await readCatalogVersion(db);
        if (version > snapshot.version) snapshot = await atLeast(version);
      }
      const genre = snapshot.genres.get(key);
      return genre && { genre, version: snapshot.version };
    },

    /**
     * The visible genre these slugs name as the catalog is now (one read of its version), for pages
     * whose answer must not outlive a hide; a draw instead checks the version in its own statement.
     */
    async current(drugSlug: string, moodSlug: string): Promise<Genre | undefined> {
      const snapshot = await atLeast(await readCatalogVersion(db));
      return snapshot.genres.get(slugKey(drugSlug, moodSlug));
    },

    /** The visible genre whose genreName is `name` (Subsonic apps name genres so); undefined when there is none. */
    async named(name: string): Promise<Genre | undefined> {
      return [...(await atLeast(0)).genres.values()].find((g) => genreName(g) === name);
    },
  };
}

export type GenreDirectory = ReturnType<typeof createGenreDirectory>;
