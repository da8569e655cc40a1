// The Subsonic API's own reads: a song by id with a genre it is in, and a genre's songs by number.
import type { Knex } from 'knex';
import { genreColumns, songColumns, toGenre, toSong, visibleGenres } from '../catalog/catalog.repository.js';
import type { Genre, Song } from '../catalog/catalog.types.js';

/** An album as the catalog knows it: the songs of one artist that share an album name (none: singles). */
export interface AlbumRow {
  artist: string;
  album: string | null;
  songCount: number;
  duration: number;
}

/** The most artists an index lists, and songs an album or artist page holds. */
const INDEX_MAX = 10_000;
const PAGE_MAX = 1000;

/** '!' escapes LIKE's wildcards the same on both databases (a backslash does not). */
const prefixOf = (text: string) => `${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

export function createSubsonicRepository(db: Knex) {
  return {
    /** Every artist with how many albums they have, by name (read off songs_artist_index). */
    async artists(): Promise<{ artist: string; albumCount: number }[]> {
      const rows: Record<string, unknown>[] = await db('songs')
        .groupBy('artist')
        .orderBy('artist')
        .limit(INDEX_MAX)
        .select('artist')
        .countDistinct({ albums: 'album' });
      return rows.map((r) => ({ artist: String(r.artist), albumCount: Number(r.albums) }));
    },

    /** An artist's albums (their songs grouped by album name), or [] for an unknown artist. */
    async albumsOf(artist: string): Promise<AlbumRow[]> {
      const rows: Record<string, unknown>[] = await db('songs')
        .where('artist', artist)
        .groupBy('album')
        .orderBy('album')
        .select('album')
        .count({ songs: '*' })
        .sum({ duration: 'duration_seconds' });
      return rows.map((r) => ({ artist, album: r.album == null ? null : String(r.album), songCount: Number(r.songs), duration: Number(r.duration ?? 0) }));
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

    /** Songs whose title or artist starts with `text` (the admin search's indexes), newest first. */
    async searchSongs(text: string, count: number, offset: number): Promise<Song[]> {
      const query = db('songs as s');
      if (text) query.where((w) => w.whereRaw("s.title LIKE ? ESCAPE '!'", [prefixOf(text)]).orWhereRaw("s.artist LIKE ? ESCAPE '!'", [prefixOf(text)]));
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
        .whereRaw("artist LIKE ? ESCAPE '!'", [prefixOf(text)])
        .distinct('artist')
        .orderBy('artist');
      return (await query.limit(count).offset(offset)).map((r) => String(r.artist));
    },

    async searchAlbums(text: string, count: number, offset: number): Promise<AlbumRow[]> {
      const rows: Record<string, unknown>[] = await db('songs')
        .whereRaw("album LIKE ? ESCAPE '!'", [prefixOf(text)])
        .groupBy('artist', 'album')
        .orderBy(['album', 'artist'])
        .limit(count)
        .offset(offset)
        .select('artist', 'album')
        .count({ songs: '*' })
        .sum({ duration: 'duration_seconds' });
      return rows.map((r) => ({ artist: String(r.artist), album: String(r.album), songCount: Number(r.songs), duration: Number(r.duration ?? 0) }));
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
  };
}

export type SubsonicRepository = ReturnType<typeof createSubsonicRepository>;
