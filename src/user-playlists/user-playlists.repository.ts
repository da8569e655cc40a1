// The only code that touches user_playlists and user_playlist_songs. Every write to a playlist's
// songs runs in one transaction that first locks the playlist row (scoped by its owner), so two
// writers of one playlist take turns and its positions stay dense: 1..n in play order.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { songColumns, toSong } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import { dialectOf } from '../db/dialect.js';
import { readTimestamp } from '../db/timestamps.js';
import { writeTransaction } from '../db/transaction.js';

export interface UserPlaylist {
  id: number;
  userId: number;
  name: string;
  isPublic: boolean;
  shareToken: string;
  createdAt: Date;
  /** When it was renamed, shared or its songs changed last. */
  updatedAt: Date;
}

export interface UserPlaylistSummary extends UserPlaylist {
  songCount: number;
  /** Its songs' durations added up (those whose duration is known), in seconds. */
  durationSeconds: number;
}

export interface PlaylistSong extends Song {
  position: number;
}

/** What a write to a playlist's songs did; `missing_*` when the row was not there (any more). */
export type SongWrite =
  | { outcome: 'added' | 'already_there' | 'removed' | 'moved' | 'unchanged'; song: Song }
  | { outcome: 'missing_playlist' | 'missing_song' | 'full' };

type Row = Record<string, unknown>;

const toPlaylist = (r: Row): UserPlaylist => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  name: String(r.name),
  isPublic: Boolean(r.is_public),
  shareToken: String(r.share_token),
  createdAt: readTimestamp(r.created_at),
  updatedAt: readTimestamp(r.updated_at),
});

const playlistColumns = ['p.id', 'p.user_id', 'p.name', 'p.is_public', 'p.share_token', 'p.created_at', 'p.updated_at'] as const;

/** 18 random bytes: 24 URL-safe characters, 144 bits nobody will guess. */
export const newShareToken = () => randomBytes(18).toString('base64url');

/** Deletes the user's playlists and their songs, in the caller's transaction (the account is being deleted). */
export async function forgetPlaylists(trx: Knex.Transaction, userId: number): Promise<void> {
  // Said, not left to ON DELETE CASCADE: no statement here depends on what the schema cascades.
  await trx('user_playlist_songs').whereIn('playlist_id', trx('user_playlists').where('user_id', userId).select('id')).del();
  await trx('user_playlists').where('user_id', userId).del();
}

export function createUserPlaylistsRepository(db: Knex, options: { maxSongs: number }) {
  const owned = (q: Knex | Knex.Transaction, userId: number, id: number) => q('user_playlists').where({ id, user_id: userId });

  /** Locks the owner's playlist row for the rest of the transaction; false when it is not theirs or gone. */
  async function lockOwned(trx: Knex.Transaction, userId: number, id: number): Promise<boolean> {
    const rows = await dialectOf(trx).lockingRead(owned(trx, userId, id).select('id'));
    return rows.length > 0;
  }

  /** The playlist's song ids in play order, renumbered 1..n if a catalog deletion left a gap. */
  async function orderedSongIds(trx: Knex.Transaction, playlistId: number): Promise<number[]> {
    const rows: { song_id: number; position: number }[] = await trx('user_playlist_songs')
      .where('playlist_id', playlistId)
      .orderBy([{ column: 'position' }, { column: 'song_id' }])
      .select('song_id', 'position');
    const ids = rows.map((r) => Number(r.song_id));
    const gapped = rows.some((r, i) => Number(r.position) !== i + 1);
    if (gapped)
      await writePositions(
        trx,
        playlistId,
        ids,
        rows.map((r) => Number(r.position)),
      );
    return ids;
  }

  /** Writes the new order, touching only the rows whose position changed. */
  async function writePositions(trx: Knex.Transaction, playlistId: number, ids: number[], before: (number | undefined)[]) {
    for (let i = 0; i < ids.length; i++) {
      if (before[i] === i + 1) continue;
      await trx('user_playlist_songs')
        .where({ playlist_id: playlistId, song_id: ids[i] })
        .update({ position: i + 1 });
    }
  }

  async function findSong(on: Knex, songId: number): Promise<Song | undefined> {
    const row = await on('songs as s')
      .where('s.id', songId)
      .first(...songColumns);
    return row ? toSong(row) : undefined;
  }

  /**
   * Locks the owner's playlist and finds the song in it: its play order, the song's index in it,
   * and the song; or the outcome to report when either is missing.
   */
  async function lockedSong(
    trx: Knex.Transaction,
    userId: number,
    id: number,
    songId: number,
  ): Promise<{ ids: number[]; at: number; song: Song } | { outcome: 'missing_playlist' | 'missing_song' }> {
    if (!(await lockOwned(trx, userId, id))) return { outcome: 'missing_playlist' };
    const ids = await orderedSongIds(trx, id);
    const at = ids.indexOf(songId);
    const song = at >= 0 ? await findSong(trx, songId) : undefined;
    return song ? { ids, at, song } : { outcome: 'missing_song' };
  }

  const touch = (trx: Knex.Transaction, userId: number, id: number) => owned(trx, userId, id).update({ updated_at: trx.fn.now() });

  return {
    /** Any playlist by id, whoever owns it: the service decides between 403 and 404 with it. */
    async findById(id: number): Promise<UserPlaylist | undefined> {
      const row = await db('user_playlists as p')
        .where('p.id', id)
        .first(...playlistColumns);
      return row ? toPlaylist(row) : undefined;
    },

    /** A public playlist by its share token, with its owner's username. */
    async findPublicByToken(token: string): Promise<(UserPlaylist & { ownerName: string }) | undefined> {
      const row = await db('user_playlists as p')
        .join('users as u', 'u.id', 'p.user_id')
        .where({ 'p.share_token': token, 'p.is_public': true })
        .first(...playlistColumns, 'u.username');
      return row ? { ...toPlaylist(row), ownerName: String(row.username) } : undefined;
    },

    async listByUser(userId: number): Promise<UserPlaylistSummary[]> {
      const rows = await db('user_playlists as p')
        .where('p.user_id', userId)
        .orderBy('p.id', 'desc')
        .select(
          ...playlistColumns,
          db('user_playlist_songs as ps').count('*').whereRaw('?? = ??', ['ps.playlist_id', 'p.id']).as('song_count'),
          db('user_playlist_songs as ps')
            .join('songs as s', 's.id', 'ps.song_id')
            .sum('s.duration_seconds')
            .whereRaw('?? = ??', ['ps.playlist_id', 'p.id'])
            .as('duration'),
        );
      return rows.map((r: Row) => ({ ...toPlaylist(r), songCount: Number(r.song_count), durationSeconds: Number(r.duration ?? 0) }));
    },

    /** Ids and names only: the "add to playlist" menus. */
    async namesByUser(userId: number): Promise<{ id: number; name: string }[]> {
      const rows = await db('user_playlists').where('user_id', userId).orderBy('id', 'desc').select('id', 'name');
      return rows.map((r: Row) => ({ id: Number(r.id), name: String(r.name) }));
    },

    async insert(userId: number, name: string): Promise<number> {
      const [id] = await db('user_playlists').insert({ user_id: userId, name, share_token: newShareToken() });
      return Number(id);
    },

    async rename(userId: number, id: number, name: string): Promise<boolean> {
      return (await owned(db, userId, id).update({ name, updated_at: db.fn.now() })) > 0;
    },

    async setPublic(userId: number, id: number, isPublic: boolean): Promise<boolean> {
      return (await owned(db, userId, id).update({ is_public: isPublic, updated_at: db.fn.now() })) > 0;
    },

    /** Deletes the playlist; its song rows go with it (ON DELETE CASCADE). */
    async remove(userId: number, id: number): Promise<boolean> {
      return (await owned(db, userId, id).del()) > 0;
    },

    /** The playlist's songs in play order. Callers check whose playlist it is first. */
    async songs(playlistId: number): Promise<PlaylistSong[]> {
      const rows = await db('user_playlist_songs as ps')
        .join('songs as s', 's.id', 'ps.song_id')
        .where('ps.playlist_id', playlistId)
        .orderBy([{ column: 'ps.position' }, { column: 'ps.song_id' }])
        .select(...songColumns, 'ps.position');
      return rows.map((r: Row, i: number) => ({ ...toSong(r), position: i + 1 }));
    },

    /** The song, for a page that offers to put it in a playlist. */
    song: (songId: number) => findSong(db, songId),

    /** Appends the song at n+1; a song already there stays where it is. */
    addSong: (userId: number, id: number, songId: number) =>
      writeTransaction(db, async (trx): Promise<SongWrite> => {
        if (!(await lockOwned(trx, userId, id))) return { outcome: 'missing_playlist' };
        const song = await findSong(trx, songId);
        if (!song) return { outcome: 'missing_song' };
        const ids = await orderedSongIds(trx, id);
        if (ids.includes(songId)) return { outcome: 'already_there', song };
        if (ids.length >= options.maxSongs) return { outcome: 'full' };
        await trx('user_playlist_songs').insert({ playlist_id: id, song_id: songId, position: ids.length + 1 });
        await touch(trx, userId, id);
        return { outcome: 'added', song };
      }),

    /** Removes the song and closes the gap, so the positions stay 1..n. */
    removeSong: (userId: number, id: number, songId: number) =>
      writeTransaction(db, async (trx): Promise<SongWrite> => {
        const found = await lockedSong(trx, userId, id, songId);
        if ('outcome' in found) return found;
        const { at, song } = found;
        await trx('user_playlist_songs').where({ playlist_id: id, song_id: songId }).del();
        await trx('user_playlist_songs')
          .where('playlist_id', id)
          .andWhere('position', '>', at + 1)
          .update({ position: trx.raw('?? - 1', ['position']) });
        await touch(trx, userId, id);
        return { outcome: 'removed', song };
      }),

    /** Moves the song to `to` (1-based, clamped to 1..n); the songs in between shift by one. */
    moveSong: (userId: number, id: number, songId: number, to: (positions: number) => number) =>
      writeTransaction(db, async (trx): Promise<SongWrite> => {
        const found = await lockedSong(trx, userId, id, songId);
        if ('outcome' in found) return found;
        const { ids, at: from, song } = found;
        const target = Math.min(Math.max(to(from + 1), 1), ids.length) - 1;
        if (target === from) return { outcome: 'unchanged', song };
        const order = [...ids];
        order.splice(from, 1);
        order.splice(target, 0, songId);
        // Only the rows between the old and the new place change: a step up or down writes two.
        await writePositions(
          trx,
          id,
          order,
          order.map((sid) => ids.indexOf(sid) + 1),
        );
        await touch(trx, userId, id);
        return { outcome: 'moved', song };
      }),
  };
}

export type UserPlaylistsRepository = ReturnType<typeof createUserPlaylistsRepository>;
