// The engine's read path: one indexed lookup of k numbers in one genre.
import type { Knex } from 'knex';
import { songColumns, toSong } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';

/** The statement a draw runs, exposed so tests can read its query plan. */
export function songsAtRowsQuery(db: Knex, genreId: number, rowIds: readonly number[]) {
  return db('genre_songs as gs')
    .join('songs as s', 's.id', 'gs.song_id')
    .where('gs.genre_id', genreId)
    .whereIn('gs.row_id_per_genre', [...rowIds])
    .select('gs.row_id_per_genre', ...songColumns);
}

export function createPlaylistRepository(db: Knex) {
  return {
    async genreSize(genreId: number): Promise<number> {
      const row = await db('genre_counts').where('genre_id', genreId).first('song_count');
      return row ? Number(row.song_count) : 0;
    },

    /** The songs holding these numbers; numbers nobody holds (a removal in flight) are simply absent. */
    async songsAtRows(genreId: number, rowIds: readonly number[]): Promise<Map<number, Song>> {
      if (rowIds.length === 0) return new Map();
      const rows = await songsAtRowsQuery(db, genreId, rowIds);
      return new Map(rows.map((r: Record<string, unknown>) => [Number(r.row_id_per_genre), toSong(r)]));
    },
  };
}

export type PlaylistRepository = ReturnType<typeof createPlaylistRepository>;
