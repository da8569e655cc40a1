// The Subsonic API's own reads: a song by id with a genre it is in, and a genre's songs by number.
import type { Knex } from 'knex';
import { genreColumns, songColumns, toGenre, toSong, visibleGenres } from '../catalog/catalog.repository.js';
import type { Genre, Song } from '../catalog/catalog.types.js';

export function createSubsonicRepository(db: Knex) {
  return {
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
