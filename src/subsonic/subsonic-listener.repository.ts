// A listener's own state as Subsonic apps keep it: ratings of songs, stars and ratings of albums
// and artists, bookmarks, the play queue and what they are playing now. A song's star is its
// favorite (favorites/), which the favorites service answers. Every query is scoped by user_id.
import type { Knex } from 'knex';
import { writeTransaction } from '../db/transaction.js';
import { readTimestamp } from '../db/timestamps.js';
import type { AlbumKey } from './subsonic.repository.js';

type Row = Record<string, unknown>;

/** What a listener has marked a song with (its star is a favorite: favorites/). */
export interface SongMarks {
  rating?: number;
  bookmarkMs?: number;
}

/** A star and a rating of an album or an artist. */
export interface Marks {
  starred?: Date;
  rating?: number;
}

export interface Bookmark {
  songId: number;
  positionMs: number;
  comment?: string;
  created: Date;
  changed: Date;
}

export interface PlayQueue {
  songIds: number[];
  current?: number;
  positionMs: number;
  changed: Date;
  changedBy: string;
}

/** A listener's start of a song: a Subsonic app's, or a play anywhere. */
export interface NowPlayingRow {
  userId: number;
  username: string;
  songId: number;
  player: string;
  startedAt: Date;
}

/** An album's row key: '' stands for the songs on no album (a key column cannot be null). */
const albumColumn = (album: string | null) => album ?? '';
const toMarks = (r: Row | undefined): Marks => ({
  starred: r?.starred_at == null ? undefined : readTimestamp(r.starred_at),
  rating: r?.rating == null ? undefined : Number(r.rating),
});
/** At most this many ids one statement names (SQLite's variable limit leaves room). */
const CHUNK = 500;

/** Deletes what Subsonic apps kept for the user, in the caller's transaction (the account is being deleted). */
export async function forgetSubsonicState(trx: Knex.Transaction, userId: number): Promise<void> {
  for (const table of ['song_ratings', 'artist_marks', 'album_marks', 'bookmarks', 'play_queue_songs', 'play_queues', 'now_playing']) {
    await trx(table).where('user_id', userId).del();
  }
}

const isoOf = (value: unknown) => (value == null ? null : readTimestamp(value).toISOString());

export function createSubsonicListenerRepository(db: Knex) {
  /** Sets or clears one column of an album's or artist's marks; a row with neither mark left is deleted. */
  async function mark(table: 'album_marks' | 'artist_marks', key: Record<string, unknown>, change: Record<string, unknown>): Promise<void> {
    await writeTransaction(db, async (trx) => {
      await trx(table)
        .insert({ ...key, starred_at: null, rating: null, ...change })
        .onConflict(Object.keys(key))
        .merge(Object.keys(change));
      await trx(table).where(key).whereNull('starred_at').whereNull('rating').del();
    });
  }
  const albumKey = (userId: number, k: AlbumKey) => ({ user_id: userId, artist: k.artist, album: albumColumn(k.album) });

  return {
    /** The listener's rating and bookmark of each of these songs. */
    async songMarks(userId: number, songIds: readonly number[]): Promise<Map<number, SongMarks>> {
      const marks = new Map<number, SongMarks>();
      const unique = [...new Set(songIds)];
      const at = (id: number) => marks.get(id) ?? (marks.set(id, {}).get(id) as SongMarks);
      for (let i = 0; i < unique.length; i += CHUNK) {
        const ids = unique.slice(i, i + CHUNK);
        const [ratings, bookmarks] = await Promise.all([
          db('song_ratings').where('user_id', userId).whereIn('song_id', ids).select('song_id', 'rating'),
          db('bookmarks').where('user_id', userId).whereIn('song_id', ids).select('song_id', 'position_ms'),
        ]);
        for (const r of ratings) at(Number(r.song_id)).rating = Number(r.rating);
        for (const r of bookmarks) at(Number(r.song_id)).bookmarkMs = Number(r.position_ms);
      }
      return marks;
    },

    /** Rates a song 1–5; 0 removes the rating. */
    async rateSong(userId: number, songId: number, rating: number): Promise<void> {
      if (rating === 0) {
        await db('song_ratings').where({ user_id: userId, song_id: songId }).del();
        return;
      }
      await db('song_ratings')
        .insert({ user_id: userId, song_id: songId, rating, rated_at: new Date() })
        .onConflict(['user_id', 'song_id'])
        .merge(['rating', 'rated_at']);
    },

    starArtist: (userId: number, artist: string, starred: boolean) =>
      mark('artist_marks', { user_id: userId, artist }, { starred_at: starred ? new Date() : null }),
    rateArtist: (userId: number, artist: string, rating: number) => mark('artist_marks', { user_id: userId, artist }, { rating: rating || null }),
    starAlbum: (userId: number, key: AlbumKey, starred: boolean) => mark('album_marks', albumKey(userId, key), { starred_at: starred ? new Date() : null }),
    rateAlbum: (userId: number, key: AlbumKey, rating: number) => mark('album_marks', albumKey(userId, key), { rating: rating || null }),

    /** The listener's marks of these artists, by name. */
    async artistMarks(userId: number, artists: readonly string[]): Promise<Map<string, Marks>> {
      if (artists.length === 0) return new Map();
      const rows: Row[] = await db('artist_marks')
        .where('user_id', userId)
        .whereIn('artist', [...new Set(artists)].slice(0, CHUNK))
        .select('artist', 'starred_at', 'rating');
      return new Map(rows.map((r) => [String(r.artist).toLowerCase(), toMarks(r)]));
    },

    /** The listener's marks of these albums, by `JSON([artist, album])` lower-cased. */
    async albumMarks(userId: number, keys: readonly AlbumKey[]): Promise<Map<string, Marks>> {
      if (keys.length === 0) return new Map();
      const rows: Row[] = await db('album_marks')
        .where('user_id', userId)
        .whereIn('artist', [...new Set(keys.map((k) => k.artist))].slice(0, CHUNK))
        .select('artist', 'album', 'starred_at', 'rating');
      return new Map(rows.map((r) => [JSON.stringify([String(r.artist), r.album === '' ? null : String(r.album)]).toLowerCase(), toMarks(r)]));
    },

    /** The artists and albums the listener starred, most recent first. */
    async starredArtists(userId: number, max: number): Promise<string[]> {
      const rows = await db('artist_marks').where('user_id', userId).whereNotNull('starred_at').orderBy('starred_at', 'desc').limit(max).pluck('artist');
      return rows.map(String);
    },
    async markedAlbums(userId: number, by: 'starred' | 'rating', size: number, offset: number): Promise<AlbumKey[]> {
      const column = by === 'starred' ? 'starred_at' : 'rating';
      const rows: Row[] = await db('album_marks')
        .where('user_id', userId)
        .whereNotNull(column)
        .orderBy([
          { column, order: 'desc' },
          { column: 'album', order: 'asc' },
        ])
        .limit(size)
        .offset(offset)
        .select('artist', 'album');
      return rows.map((r) => ({ artist: String(r.artist), album: r.album === '' ? null : String(r.album) }));
    },

    async bookmarks(userId: number): Promise<Bookmark[]> {
      const rows: Row[] = await db('bookmarks').where('user_id', userId).orderBy('changed_at', 'desc').limit(CHUNK);
      return rows.map((r) => ({
        songId: Number(r.song_id),
        positionMs: Number(r.position_ms),
        comment: r.comment == null ? undefined : String(r.comment),
        created: readTimestamp(r.created_at),
        changed: readTimestamp(r.changed_at),
      }));
    },

    async saveBookmark(userId: number, songId: number, positionMs: number, comment: string | undefined): Promise<void> {
      const now = new Date();
      await db('bookmarks')
        .insert({ user_id: userId, song_id: songId, position_ms: positionMs, comment: comment ?? null, created_at: now, changed_at: now })
        .onConflict(['user_id', 'song_id'])
        .merge(['position_ms', 'comment', 'changed_at']);
    },

    /** False when there was no bookmark. */
    async deleteBookmark(userId: number, songId: number): Promise<boolean> {
      return (await db('bookmarks').where({ user_id: userId, song_id: songId }).del()) > 0;
    },

    async playQueue(userId: number): Promise<PlayQueue | undefined> {
      const queue = await db('play_queues').where('user_id', userId).first();
      if (!queue) return undefined;
      const songIds = await db('play_queue_songs').where('user_id', userId).orderBy('position').pluck('song_id');
      return {
        songIds: songIds.map(Number),
        current: queue.current_song_id == null ? undefined : Number(queue.current_song_id),
        positionMs: Number(queue.position_ms),
        changed: readTimestamp(queue.changed_at),
        changedBy: String(queue.changed_by),
      };
    },

    /** Replaces the listener's queue with this one, all at once; an empty one deletes it. */
    savePlayQueue: (userId: number, queue: Omit<PlayQueue, 'changed'>) =>
      writeTransaction(db, async (trx) => {
        await trx('play_queue_songs').where('user_id', userId).del();
        await trx('play_queues').where('user_id', userId).del();
        if (queue.songIds.length === 0) return;
        await trx('play_queues').insert({
          user_id: userId,
          current_song_id: queue.current ?? null,
          position_ms: queue.positionMs,
          changed_at: new Date(),
          changed_by: queue.changedBy,
        });
        const rows = queue.songIds.map((songId, i) => ({ user_id: userId, position: i + 1, song_id: songId }));
        for (let i = 0; i < rows.length; i += CHUNK / 2) await trx('play_queue_songs').insert(rows.slice(i, i + CHUNK / 2));
      }),

    /** What the listener's apps keep here, for the account's export. */
    async exportOf(userId: number) {
      const [ratings, artists, albums, bookmarks, queue, queued] = await Promise.all([
        db('song_ratings').where('user_id', userId).orderBy('song_id').select('song_id', 'rating', 'rated_at'),
        db('artist_marks').where('user_id', userId).orderBy('artist').select('artist', 'starred_at', 'rating'),
        db('album_marks').where('user_id', userId).orderBy(['artist', 'album']).select('artist', 'album', 'starred_at', 'rating'),
        db('bookmarks').where('user_id', userId).orderBy('song_id').select('song_id', 'position_ms', 'comment', 'changed_at'),
        db('play_queues').where('user_id', userId).first(),
        db('play_queue_songs').where('user_id', userId).orderBy('position').pluck('song_id'),
      ]);
      return {
        songRatings: ratings.map((r: Row) => ({ songId: Number(r.song_id), rating: Number(r.rating), ratedAt: isoOf(r.rated_at) })),
        artists: artists.map((r: Row) => ({ artist: String(r.artist), starredAt: isoOf(r.starred_at), rating: r.rating == null ? null : Number(r.rating) })),
        albums: albums.map((r: Row) => ({
          artist: String(r.artist),
          album: r.album === '' ? null : String(r.album),
          starredAt: isoOf(r.starred_at),
          rating: r.rating == null ? null : Number(r.rating),
        })),
        bookmarks: bookmarks.map((r: Row) => ({
          songId: Number(r.song_id),
          positionMs: Number(r.position_ms),
          comment: r.comment == null ? null : String(r.comment),
          changedAt: isoOf(r.changed_at),
        })),
        playQueue: queue
          ? {
              songIds: queued.map(Number),
              currentSongId: queue.current_song_id == null ? null : Number(queue.current_song_id),
              positionMs: Number(queue.position_ms),
              changedBy: String(queue.changed_by),
              changedAt: isoOf(queue.changed_at),
            }
          : null,
      };
    },

    /** The listener's app says it started this song. */
    async nowPlaying(userId: number, songId: number, player: string, at = new Date()): Promise<void> {
      await db('now_playing')
        .insert({ user_id: userId, song_id: songId, player, started_at: at })
        .onConflict(['user_id'])
        .merge(['song_id', 'player', 'started_at']);
    },

    /** What the listener's apps reported they started since `since` (stream or scrobble without submission). */
    async reportedSince(userId: number, since: Date): Promise<NowPlayingRow[]> {
      const rows: Row[] = await db('now_playing as n')
        .join('users as u', 'u.id', 'n.user_id')
        .where('n.user_id', userId)
        .where('n.started_at', '>=', since)
        .select('n.*', 'u.username');
      return rows.map((r) => ({
        userId: Number(r.user_id),
        username: String(r.username),
        songId: Number(r.song_id),
        player: String(r.player),
        startedAt: readTimestamp(r.started_at),
      }));
    },
  };
}

export type SubsonicListenerRepository = ReturnType<typeof createSubsonicListenerRepository>;
