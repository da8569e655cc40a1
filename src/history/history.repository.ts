// A listener's history (listening_history, see its migration): written by the play report's own
// transaction (plays.repository.ts calls appendToHistory), read newest first for /me/history.
import type { Knex } from 'knex';
import { readTimestamp } from '../db/timestamps.js';
import { songColumns, toSong } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import { type GenreOf, genreHiddenColumns, isGenreHidden } from '../catalog/genre.js';
import { dialectOf } from '../db/dialect.js';

/** How many plays a listener's history keeps. */
export const HISTORY_SIZE = 200;

export interface HistoryEntry {
  song: Song;
  /** When it played: ISO 8601, UTC. */
  playedAt: string;
  /** The genre whose player played it, when there was one and it is still there. */
  genre?: GenreOf<'slug' | 'name', 'slug' | 'name'> & { hidden: boolean };
}

type Row = Record<string, unknown>;

const toIso = (value: unknown) => readTimestamp(value).toISOString();

const toEntry = (r: Row): HistoryEntry => ({
  song: toSong(r),
  playedAt: toIso(r.played_at),
  genre:
    r.mood_slug == null
      ? undefined
      : {
          drug: { slug: String(r.drug_slug), name: String(r.drug_name) },
          mood: { slug: String(r.mood_slug), name: String(r.mood_name) },
          hidden: isGenreHidden(r),
        },
});

/**
 * Appends one play to the listener's history and deletes whatever falls past their HISTORY_SIZE
 * newest, in the caller's transaction. The listener's row is locked first, so two plays of one
 * listener take turns and the cut-off read (a locking, current read) sees the other's row: the
 * history never keeps more than HISTORY_SIZE. Both reads are a short range of
 * listening_history_user_index (user_id, id).
 */
export async function appendToHistory(trx: Knex.Transaction, entry: { userId: number; songId: number; genreId?: number; at: Date }): Promise<void> {
  const dialect = dialectOf(trx);
  const [listener] = await dialect.lockingRead(trx('users').where('id', entry.userId).select('id'));
  if (!listener) return; // the account was deleted meanwhile: the play still counts, for no one
  await trx('listening_history').insert({ user_id: entry.userId, song_id: entry.songId, genre_id: entry.genreId ?? null, played_at: entry.at });
  const [firstDropped] = await dialect.lockingRead(
    trx('listening_history').where('user_id', entry.userId).orderBy('id', 'desc').offset(HISTORY_SIZE).limit(1).select('id'),
  );
  if (firstDropped) await trx('listening_history').where('user_id', entry.userId).andWhere('id', '<=', firstDropped.id).del();
}

/** Deletes the listener's history, in the caller's transaction (the account is being deleted); the anonymous daily counts stay. */
export async function forgetHistory(trx: Knex.Transaction, userId: number): Promise<void> {
  await trx('listening_history').where('user_id', userId).del();
}

export function createHistoryRepository(db: Knex) {
  return {
    /** The listener's plays, newest first: one range of listening_history_user_index. */
    async recent(userId: number, limit = HISTORY_SIZE): Promise<HistoryEntry[]> {
      const rows: Row[] = await db('listening_history as h')
        .join('songs as s', 's.id', 'h.song_id')
        .leftJoin('moods as m', 'm.id', 'h.genre_id')
        .leftJoin('drugs as d', 'd.id', 'm.drug_id')
        .where('h.user_id', userId)
        .orderBy('h.id', 'desc')
        .limit(limit)
        .select(
          ...songColumns,
          'h.played_at',
          'd.slug as drug_slug',
          'd.name as drug_name',
          'm.slug as mood_slug',
          'm.name as mood_name',
          ...genreHiddenColumns,
        );
      return rows.map(toEntry);
    },

    /** The listener's latest `limit` plays, newest first: a short range of listening_history_user_index. */
    async latestPlays(userId: number, limit: number): Promise<{ songId: number; playedAt: Date }[]> {
      const rows: Row[] = await db('listening_history').where('user_id', userId).orderBy('id', 'desc').limit(limit).select('song_id', 'played_at');
      return rows.map((r) => ({ songId: Number(r.song_id), playedAt: readTimestamp(r.played_at) }));
    },

    /** The albums (artist and album, null for none) of the listener's latest plays, most recent first. */
    async recentAlbums(userId: number, size: number, offset: number): Promise<{ artist: string; album: string | null }[]> {
      const rows: Row[] = await db('listening_history as h')
        .join('songs as s', 's.id', 'h.song_id')
        .where('h.user_id', userId)
        .groupBy('s.artist', 's.album')
        .select('s.artist as artist', 's.album as album')
        .max({ last: 'h.id' })
        .orderBy('last', 'desc')
        .limit(size)
        .offset(offset);
      return rows.map((r) => ({ artist: String(r.artist), album: r.album == null ? null : String(r.album) }));
    },
  };
}

export type HistoryRepository = ReturnType<typeof createHistoryRepository>;
