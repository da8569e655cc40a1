// hidden_songs: the songs each listener hid from their own draws of a genre. The draw itself reads
// them in its statement (playlists/playlist.repository.ts); this is the listener's list and its edits.
import type { Knex } from 'knex';
import { readTimestamp } from '../db/timestamps.js';
import { songColumns, toSong } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import { type GenreOf, genreName } from '../catalog/genre.js';

export interface HiddenSong {
  song: Song;
  genre: GenreOf<'name' | 'slug', 'id' | 'name' | 'slug'>;
  hiddenAt: Date;
}

/** Deletes the listener's hidden songs, in the caller's transaction (the account is being deleted); the curators' anonymous counts stay. */
export async function forgetHiddenSongs(trx: Knex.Transaction, userId: number): Promise<void> {
  await trx('hidden_songs').where('user_id', userId).del();
}

export function createHiddenSongsRepository(db: Knex) {
  return {
    /** The song and its genre's name ("Weed · Groovin'"), if it is a member of the genre: only a genre's own songs can be hidden from it. */
    async memberSong(genreId: number, songId: number): Promise<{ song: Song; genreName: string } | undefined> {
      const row = await db('genre_songs as gs')
        .join('songs as s', 's.id', 'gs.song_id')
        .join('moods as m', 'm.id', 'gs.genre_id')
        .join('drugs as d', 'd.id', 'm.drug_id')
        .where({ 'gs.genre_id': genreId, 'gs.song_id': songId })
        .first(...songColumns, 'd.name as drug', 'm.name as mood');
      return row ? { song: toSong(row), genreName: genreName({ drug: { name: row.drug }, mood: { name: row.mood } }) } : undefined;
    },

    /** Hides it; hiding it again changes nothing. */
    async hide(userId: number, genreId: number, songId: number): Promise<void> {
      await db('hidden_songs').insert({ user_id: userId, genre_id: genreId, song_id: songId }).onConflict(['user_id', 'genre_id', 'song_id']).ignore();
    },

    /** True when it was hidden. */
    async unhide(userId: number, genreId: number, songId: number): Promise<boolean> {
      return (await db('hidden_songs').where({ user_id: userId, genre_id: genreId, song_id: songId }).del()) > 0;
    },

    /** The listener's hidden songs, newest first; all of them without a limit (the account export). */
    async list(userId: number, limit?: number): Promise<HiddenSong[]> {
      const rows: Record<string, unknown>[] = await db('hidden_songs as h')
        .join('songs as s', 's.id', 'h.song_id')
        .join('moods as m', 'm.id', 'h.genre_id')
        .join('drugs as d', 'd.id', 'm.drug_id')
        .where('h.user_id', userId)
        .orderBy([
          { column: 'h.created_at', order: 'desc' },
          { column: 'h.song_id', order: 'desc' },
        ])
        .modify((q) => {
          if (limit !== undefined) q.limit(limit);
        })
        .select(...songColumns, 'h.genre_id', 'h.created_at as hidden_at', 'd.name as drug', 'm.name as mood', 'd.slug as drug_slug', 'm.slug as mood_slug');
      return rows.map((r) => ({
        song: toSong(r),
        genre: { drug: { name: String(r.drug), slug: String(r.drug_slug) }, mood: { id: Number(r.genre_id), name: String(r.mood), slug: String(r.mood_slug) } },
        hiddenAt: readTimestamp(r.hidden_at),
      }));
    },
  };
}

export type HiddenSongsRepository = ReturnType<typeof createHiddenSongsRepository>;
