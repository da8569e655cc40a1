// The Subsonic API's reads of the catalog: songs, artists (the names songs carry) and albums (an
// artist's songs sharing an album name; those on none are the artist's "Singles"), the album lists
// apps open on, and what each song in an answer needs beyond the song (its file, its first genre).
import type { Knex } from 'knex';
import { songColumns, toSong } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import { type Genre, genreColumns, toGenre, visibleGenres } from '../catalog/genre.js';
import { startsWith } from '../db/like.js';
import { readTimestamp } from '../db/timestamps.js';
import { utcDay } from '../lib/utc.js';

/** An album by its two names: the artist, and the album name (null: the artist's songs on no album). */
export interface AlbumKey {
  artist: string;
  album: string | null;
}

/** An album as the catalog knows it, with what its songs add up to. */
export interface AlbumRow extends AlbumKey {
  songCount: number;
  duration: number;
  /** When its first song was added. */
  created: Date;
  year?: number;
}

/** What a song's file is, when known. */
export interface SongFile {
  sizeBytes?: number;
  bitRate?: number;
  created: Date;
}

type Row = Record<string, unknown>;

/** The most artists an index lists, and songs an album or artist page holds. */
const INDEX_MAX = 10_000;
const PAGE_MAX = 1000;
/** Songs read per step when albums are listed by their songs' order (newest). */
const SCAN_STEP = 500;
const SCAN_STEPS = 20;
/** How far back "frequent" counts plays. */
const FREQUENT_DAYS = 90;

const keyOf = (r: Row): AlbumKey => ({ artist: String(r.artist), album: r.album == null ? null : String(r.album) });
const keyText = (k: AlbumKey) => JSON.stringify([k.artist, k.album]);

/** Distinct album keys in the order first met, `offset` of them skipped and at most `size` kept. */
function distinctKeys(rows: Row[], size: number, offset: number): AlbumKey[] {
  const seen = new Map<string, AlbumKey>();
  for (const r of rows) {
    const key = keyOf(r);
    if (!seen.has(keyText(key))) seen.set(keyText(key), key);
  }
  return [...seen.values()].slice(offset, offset + size);
}

export type AlbumListType = 'newest' | 'alphabeticalByName' | 'alphabeticalByArtist' | 'frequent' | 'byYear' | 'byGenre';

export function createSubsonicRepository(db: Knex) {
  /** Each album's song count, duration, first added and year, in the order of `keys`. */
  async function albumsByKeys(keys: readonly AlbumKey[]): Promise<AlbumRow[]> {
    if (keys.length === 0) return [];
    const named = keys.filter((k) => k.album !== null).map((k) => [k.artist, k.album!]);
    const singles = keys.filter((k) => k.album === null).map((k) => k.artist);
    const rows: Row[] = await db('songs')
      .where((w) => {
        if (named.length > 0) w.orWhereIn(['artist', 'album'], named);
        if (singles.length > 0) w.orWhere((s) => s.whereIn('artist', singles).whereNull('album'));
      })
      .groupBy('artist', 'album')
      .select('artist', 'album')
      .count({ songs: '*' })
      .sum({ duration: 'duration_seconds' })
      .min({ created: 'created_at' })
      .max({ year: 'year' });
    // MariaDB's collation may give a name back in another case than asked: match without case.
    const found = new Map(rows.map((r) => [keyText(keyOf(r)).toLowerCase(), r]));
    return keys.flatMap((key) => {
      const r = found.get(keyText(key).toLowerCase());
      if (!r) return [];
      return [
        {
          ...key,
          songCount: Number(r.songs),
          duration: Number(r.duration ?? 0),
          created: readTimestamp(r.created),
          year: r.year == null ? undefined : Number(r.year),
        },
      ];
    });
  }

  return {
    albumsByKeys,

    /** Every artist with how many albums they have (their songs on no album are one more), by name. */
    async artists(): Promise<{ artist: string; albumCount: number }[]> {
      const rows: Row[] = await db('songs')
        .groupBy('artist')
        .orderBy('artist')
        .limit(INDEX_MAX)
        .select('artist', db.raw('count(distinct album) + max(case when album is null then 1 else 0 end) as albums'));
      return rows.map((r) => ({ artist: String(r.artist), albumCount: Number(r.albums) }));
    },

    /** An artist's albums by name, or [] for an unknown artist. */
    async albumsOf(artist: string): Promise<AlbumRow[]> {
      const rows: Row[] = await db('songs').where('artist', artist).distinct('artist', 'album').orderBy('album');
      return albumsByKeys(rows.map(keyOf));
    },

    /** The songs of one album of one artist (album null: their songs on no album). */
    async albumSongs(artist: string, album: string | null): Promise<Song[]> {
      const query = db('songs as s').where('s.artist', artist);
      if (album === null) query.whereNull('s.album');
      else query.where('s.album', album);
      return (
        await query
          .orderBy('s.id')
          .limit(PAGE_MAX)
          .select(...songColumns)
      ).map(toSong);
    },

    /** An artist's songs, most favorited first: their "top songs". */
    async topSongs(artist: string, count: number): Promise<Song[]> {
      const rows = await db('songs as s')
        .where('s.artist', artist)
        .orderBy([
          { column: 's.favorite_count', order: 'desc' },
          { column: 's.id', order: 'desc' },
        ])
        .limit(count)
        .select(...songColumns);
      return rows.map(toSong);
    },

    /** Album keys for one of the lists that need no listener; see AlbumListType. */
    async albumKeys(type: AlbumListType, size: number, offset: number, filter: { fromYear?: number; toYear?: number; genreId?: number } = {}) {
      switch (type) {
        case 'alphabeticalByName':
          return (await db('songs').distinct('album', 'artist').orderBy(['album', 'artist']).limit(size).offset(offset)).map(keyOf);
        case 'alphabeticalByArtist':
          return (await db('songs').distinct('artist', 'album').orderBy(['artist', 'album']).limit(size).offset(offset)).map(keyOf);
        case 'byYear': {
          const [from = 0, to = 9999] = [filter.fromYear, filter.toYear];
          const rows: Row[] = await db('songs')
            .whereBetween('year', [Math.min(from, to), Math.max(from, to)])
            .groupBy('artist', 'album')
            .select('artist', 'album')
            .max({ year: 'year' })
            .orderBy([{ column: 'year', order: from <= to ? 'asc' : 'desc' }, { column: 'album' }, { column: 'artist' }])
            .limit(size)
            .offset(offset);
          return rows.map(keyOf);
        }
        case 'byGenre': {
          const rows: Row[] = await db('genre_songs as gs')
            .join('songs as s', 's.id', 'gs.song_id')
            .where('gs.genre_id', filter.genreId ?? 0)
            .distinct('s.album as album', 's.artist as artist')
            .orderBy(['album', 'artist'])
            .limit(size)
            .offset(offset);
          return rows.map(keyOf);
        }
        case 'frequent': {
          const since = utcDay(new Date(Date.now() - FREQUENT_DAYS * 86_400_000));
          const rows: Row[] = await db('song_daily_plays as p')
            .join('songs as s', 's.id', 'p.song_id')
            .where('p.day', '>=', since)
            .groupBy('s.artist', 's.album')
            .select('s.artist as artist', 's.album as album')
            .sum({ plays: 'p.plays' })
            .orderBy([{ column: 'plays', order: 'desc' }, { column: 'album' }, { column: 'artist' }])
            .limit(size)
            .offset(offset);
          return rows.map(keyOf);
        }
        case 'newest': {
          // Newest songs first, through songs_created_at_index, until enough albums are met.
          const rows: Row[] = [];
          for (let step = 0; step < SCAN_STEPS; step++) {
            const page: Row[] = await db('songs')
              .orderBy([
                { column: 'created_at', order: 'desc' },
                { column: 'id', order: 'desc' },
              ])
              .limit(SCAN_STEP)
              .offset(step * SCAN_STEP)
              .select('artist', 'album');
            rows.push(...page);
            if (page.length < SCAN_STEP || distinctKeys(rows, size, offset).length >= size) break;
          }
          return distinctKeys(rows, size, offset);
        }
      }
    },

    /** Albums of songs picked at random by id (through the primary key), each once. */
    async randomAlbumKeys(size: number, random: () => number): Promise<AlbumKey[]> {
      const bounds = await db('songs').min({ low: 'id' }).max({ high: 'id' }).first();
      if (!bounds || bounds.low == null) return [];
      const [low, high] = [Number(bounds.low), Number(bounds.high)];
      const rows: Row[] = [];
      // Ids picked at random in the ids' range; a few rounds, as deleted songs leave gaps.
      for (let round = 0; round < 4 && distinctKeys(rows, size, 0).length < size; round++) {
        const ids = Array.from({ length: Math.min(1000, size * 2) }, () => low + Math.floor(random() * (high - low + 1)));
        const found: Row[] = await db('songs')
          .whereIn('id', [...new Set(ids)])
          .select('id', 'artist', 'album');
        const byId = new Map(found.map((r) => [Number(r.id), r]));
        rows.push(...ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])));
      }
      return distinctKeys(rows, size, 0);
    },

    /** How many albums each of these artists has (their songs on no album are one more). */
    async albumCounts(artists: readonly string[]): Promise<Map<string, number>> {
      if (artists.length === 0) return new Map();
      const rows: Row[] = await db('songs')
        .whereIn('artist', [...new Set(artists)].slice(0, INDEX_MAX))
        .groupBy('artist')
        .select('artist', db.raw('count(distinct album) + max(case when album is null then 1 else 0 end) as albums'));
      return new Map(rows.map((r) => [String(r.artist).toLowerCase(), Number(r.albums)]));
    },

    /** Songs whose title or artist starts with `text` (the admin search's indexes), newest first. */
    async searchSongs(text: string, count: number, offset: number): Promise<Song[]> {
      const query = db('songs as s');
      if (text) query.where((w) => w.where(startsWith(db, 's.title', text)).orWhere(startsWith(db, 's.artist', text)));
      return (
        await query
          .orderBy('s.id', 'desc')
          .limit(count)
          .offset(offset)
          .select(...songColumns)
      ).map(toSong);
    },

    async searchArtists(text: string, count: number, offset: number): Promise<string[]> {
      const query = db('songs')
        .where(startsWith(db, 'artist', text))
        .distinct('artist')
        .orderBy('artist');
      return (await query.limit(count).offset(offset)).map((r) => String(r.artist));
    },

    async searchAlbums(text: string, count: number, offset: number): Promise<AlbumRow[]> {
      const rows: Row[] = await db('songs')
        .where(startsWith(db, 'album', text))
        .distinct('album', 'artist')
        .orderBy(['album', 'artist'])
        .limit(count)
        .offset(offset);
      return albumsByKeys(rows.map(keyOf));
    },

    /** The song, and the first visible genre it is in (for its genre and cover art). */
    async song(id: number): Promise<{ song: Song; genre?: Genre } | undefined> {
      const row = await db('songs as s')
        .where('s.id', id)
        .first(...songColumns);
      if (!row) return undefined;
      const genre = await visibleGenres(db)
        .join('genre_songs as gs', 'gs.genre_id', 'm.id')
        .where('gs.song_id', id)
        .orderBy('m.id')
        .first(...genreColumns);
      return { song: toSong(row), genre: genre ? toGenre(genre) : undefined };
    },

    /** Songs by id, in the order asked (unknown ids left out). */
    async songsByIds(ids: readonly number[]): Promise<Song[]> {
      if (ids.length === 0) return [];
      const rows = await db('songs as s')
        .whereIn('s.id', [...new Set(ids)])
        .select(...songColumns);
      const byId = new Map(rows.map((r: Row) => [Number(r.id), toSong(r)]));
      return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    },

    /** Each song's file facts and the id of the first visible genre it is in. */
    async songFacts(ids: readonly number[]): Promise<Map<number, SongFile & { genreId?: number }>> {
      if (ids.length === 0) return new Map();
      const unique = [...new Set(ids)];
      const [files, genres] = await Promise.all([
        db('songs').whereIn('id', unique).select('id', 'size_bytes', 'bit_rate', 'created_at'),
        visibleGenres(db)
          .join('genre_songs as gs', 'gs.genre_id', 'm.id')
          .whereIn('gs.song_id', unique)
          .groupBy('gs.song_id')
          .select('gs.song_id')
          .min({ genre_id: 'm.id' }),
      ]);
      const genreOf = new Map(genres.map((r: Row) => [Number(r.song_id), Number(r.genre_id)]));
      return new Map(
        files.map((r: Row) => [
          Number(r.id),
          {
            sizeBytes: r.size_bytes == null ? undefined : Number(r.size_bytes),
            bitRate: r.bit_rate == null ? undefined : Number(r.bit_rate),
            created: readTimestamp(r.created_at),
            genreId: genreOf.get(Number(r.id)),
          },
        ]),
      );
    },

    /** The ids of the visible genres these songs are in: the moods "similar" songs come from. */
    async genreIdsOf(songIds: readonly number[]): Promise<number[]> {
      if (songIds.length === 0) return [];
      const rows = await visibleGenres(db)
        .join('genre_songs as gs', 'gs.genre_id', 'm.id')
        .whereIn('gs.song_id', [...new Set(songIds)])
        .distinct('m.id');
      return rows.map((r: Row) => Number(r.id));
    },

    /** Other artists with songs in these genres, those with the most such songs first. */
    async artistsInGenres(genreIds: readonly number[], except: string, count: number): Promise<string[]> {
      if (genreIds.length === 0) return [];
      const rows: Row[] = await db('genre_songs as gs')
        .join('songs as s', 's.id', 'gs.song_id')
        .whereIn('gs.genre_id', [...genreIds])
        .whereNot('s.artist', except)
        .groupBy('s.artist')
        .select('s.artist as artist')
        .count({ songs: '*' })
        .orderBy([{ column: 'songs', order: 'desc' }, { column: 'artist' }])
        .limit(count);
      return rows.map((r) => String(r.artist));
    },

    /** Songs `offset + 1 … offset + count` of the genre by their numbers: one range of its unique index. */
    async songsInGenre(genreId: number, offset: number, count: number): Promise<Song[]> {
      const rows = await db('genre_songs as gs')
        .join('songs as s', 's.id', 'gs.song_id')
        .where('gs.genre_id', genreId)
        .whereBetween('gs.row_id_per_genre', [offset + 1, offset + count])
        .orderBy('gs.row_id_per_genre')
        .select(...songColumns);
      return rows.map(toSong);
    },

    /** How many songs the catalog holds: the "scan" count. */
    async songCount(): Promise<number> {
      return Number((await db('songs').count({ n: '*' }).first())?.n ?? 0);
    },
  };
}

export type SubsonicRepository = ReturnType<typeof createSubsonicRepository>;
