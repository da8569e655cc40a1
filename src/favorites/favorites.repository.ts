// Favorites: one row per (user, song). Loving a song twice, or two clicks racing, leaves one row;
// songs.favorite_count and genre_songs.favorite_count change in the same transaction, so the
// "most favorited" lists are answered from their indexes, never by counting the favorites table.
import type { Knex } from 'knex';
import { songColumns, toSong } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import { dialectOf } from '../db/dialect.js';
import { readTimestamp } from '../db/timestamps.js';
import { writeTransaction } from '../db/transaction.js';

export const FAVORITES_PAGE_SIZE = 50;

/** Songs per statement when a deleted account's favorites come off their songs' counts. */
const FORGET_BATCH = 500;

/**
 * Deletes every favorite of the user and takes each off its song's counts, in the caller's
 * transaction (the account is being deleted). The favorites are read with a locking read (the rows
 * as they are now, held until commit), then their songs are locked as add and remove lock them, so
 * a heart of the same song from anyone else waits its turn and every count drops by exactly one.
 */
export async function forgetFavorites(trx: Knex.Transaction, userId: number): Promise<void> {
  const dialect = dialectOf(trx);
  const rows: { song_id: number }[] = await dialect.lockingRead(trx('favorites').where('user_id', userId).orderBy('song_id').select('song_id'));
  const songIds = rows.map((r) => Number(r.song_id));
  for (let start = 0; start < songIds.length; start += FORGET_BATCH) {
    const batch = songIds.slice(start, start + FORGET_BATCH);
    await dialect.lockingRead(trx('songs').whereIn('id', batch).orderBy('id').select('id'));
    await trx('favorites').where('user_id', userId).whereIn('song_id', batch).del();
    const change = { favorite_count: trx.raw('favorite_count - 1') };
    await trx('songs').whereIn('id', batch).update(change);
    await trx('genre_songs').whereIn('song_id', batch).update(change);
  }
}

export function createFavoritesRepository(db: Knex) {
  const adjustCounts = async (trx: Knex.Transaction, songId: number, delta: 1 | -1) => {
    const change = { favorite_count: trx.raw(delta > 0 ? 'favorite_count + 1' : 'favorite_count - 1') };
    await trx('songs').where('id', songId).update(change);
    await trx('genre_songs').where('song_id', songId).update(change);
  };

  return {
    /** Returns the song's favorite count afterwards (undefined: no such song). Idempotent. */
    async add(userId: number, songId: number): Promise<number | undefined> {
      return writeTransaction(db, async (trx) => {
        // Locks the song row: concurrent favorites of one song queue here instead of deadlocking.
        const song = await dialectOf(trx).lockingRead(trx('songs').where('id', songId).select('favorite_count'));
        if (song.length === 0) return undefined;
        const existing = await trx('favorites').where({ user_id: userId, song_id: songId }).first('song_id');
        if (existing) return Number(song[0].favorite_count);
        await trx('favorites').insert({ user_id: userId, song_id: songId });
        await adjustCounts(trx, songId, 1);
        return Number(song[0].favorite_count) + 1;
      });
    },

    /** Returns the song's favorite count afterwards (undefined: no such song). Idempotent. */
    async remove(userId: number, songId: number): Promise<number | undefined> {
      return writeTransaction(db, async (trx) => {
        const song = await dialectOf(trx).lockingRead(trx('songs').where('id', songId).select('favorite_count'));
        if (song.length === 0) return undefined;
        const deleted = await trx('favorites').where({ user_id: userId, song_id: songId }).del();
        if (deleted === 0) return Number(song[0].favorite_count);
        await adjustCounts(trx, songId, -1);
        return Number(song[0].favorite_count) - 1;
      });
    },

    /** Which of these songs the user loves (one query for a whole playlist). */
    async lovedAmong(userId: number, songIds: readonly number[]): Promise<Set<number>> {
      if (songIds.length === 0) return new Set();
      const rows = await db('favorites')
        .where('user_id', userId)
        .whereIn('song_id', [...songIds])
        .pluck('song_id');
      return new Set(rows.map(Number));
    },

    /** When the user made each of these songs a favorite (those they love), 500 ids per query. */
    async favoritedAt(userId: number, songIds: readonly number[]): Promise<Map<number, Date>> {
      const dates = new Map<number, Date>();
      const unique = [...new Set(songIds)];
      for (let i = 0; i < unique.length; i += 500) {
        const rows: Record<string, unknown>[] = await db('favorites')
          .where('user_id', userId)
          .whereIn('song_id', unique.slice(i, i + 500))
          .select('song_id', 'created_at');
        for (const r of rows) dates.set(Number(r.song_id), readTimestamp(r.created_at));
      }
      return dates;
    },

    async page(userId: number, page: number): Promise<{ songs: Song[]; total: number }> {
      const [songs, total] = await Promise.all([
        db('favorites as f')
          .join('songs as s', 's.id', 'f.song_id')
          .where('f.user_id', userId)
          .orderBy([
            { column: 'f.created_at', order: 'desc' },
            { column: 'f.song_id', order: 'desc' },
          ])
          .limit(FAVORITES_PAGE_SIZE)
          .offset((page - 1) * FAVORITES_PAGE_SIZE)
          .select(...songColumns),
        db('favorites').where('user_id', userId).count({ n: '*' }).first(),
      ]);
      return { songs: songs.map(toSong), total: Number(total?.n ?? 0) };
    },

    /** Every favorite of the user, oldest first: the account export. */
    async exportOf(userId: number): Promise<{ song: Song; favoritedAt: Date }[]> {
      const rows: Record<string, unknown>[] = await db('favorites as f')
        .join('songs as s', 's.id', 'f.song_id')
        .where('f.user_id', userId)
        .orderBy([{ column: 'f.created_at' }, { column: 'f.song_id' }])
        .select(...songColumns, 'f.created_at as favorited_at');
      return rows.map((r) => ({ song: toSong(r), favoritedAt: readTimestamp(r.favorited_at) }));
    },

    /** The user's favorite song ids in a stable order: numbers 1..N for the shuffle walk. */
    async songIds(userId: number): Promise<number[]> {
      return (await db('favorites').where('user_id', userId).orderBy('song_id').pluck('song_id')).map(Number);
    },

    async songsByIds(ids: readonly number[]): Promise<Map<number, Song>> {
      if (ids.length === 0) return new Map();
      const rows = await db('songs as s')
        .whereIn('s.id', [...ids])
        .select(...songColumns);
      return new Map(rows.map((r: Record<string, unknown>) => [Number(r.id), toSong(r)]));
    },

    /** Most favorited overall, or in one genre — each a range of an index. */
    async mostFavorited(limit: number, genreId?: number): Promise<Song[]> {
      const query =
        genreId === undefined
          ? db('songs as s')
              .where('s.favorite_count', '>', 0)
              .orderBy([
                { column: 's.favorite_count', order: 'desc' },
                { column: 's.id', order: 'desc' },
              ])
          : db('genre_songs as gs')
              .join('songs as s', 's.id', 'gs.song_id')
              .where('gs.genre_id', genreId)
              .andWhere('gs.favorite_count', '>', 0)
              .orderBy('gs.favorite_count', 'desc');
      return (await query.limit(limit).select(...songColumns)).map(toSong);
    },
  };
}

export type FavoritesRepository = ReturnType<typeof createFavoritesRepository>;
