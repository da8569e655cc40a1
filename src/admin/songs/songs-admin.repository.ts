// The admin's view of songs: search, one song with its genres, and writes that keep the
// playlist engine exact (memberships only through playlists/membership.ts).
import type { Knex } from 'knex';
import { songColumns, toSong } from '../../catalog/catalog.repository.js';
import { allGenres, type GenreOf } from '../../catalog/genre.js';
import type { Song } from '../../catalog/catalog.types.js';
import { songRow, type NewSong } from '../../catalog/catalog.writes.js';
import { applyMembershipChanges, copySongToMemberships, deleteSong, setSongGenres } from '../../playlists/membership.js';
import { writeTransaction } from '../../db/transaction.js';
import { type Actor, changedFields, recordAudit } from '../../audit/audit.repository.js';
import { dialectOf } from '../../db/dialect.js';
import { startsWith } from '../../db/like.js';

export const SONGS_PAGE_SIZE = 50;

/** A genre to pick: its mood's id is the genre's. */
export type GenreOption = GenreOf<'name', 'id' | 'name'>;

export interface SongWithGenres extends Song {
  genreIds: number[];
  /** The audio file's size and bit rate, when known. */
  sizeBytes: number | null;
  bitRate: number | null;
}

/** What a song's audit rows show of it: the fields the form edits. */
const audited = (song: NewSong, genreIds: readonly number[]) => ({
  title: song.title,
  artist: song.artist,
  album: song.album ?? null,
  year: song.year ?? null,
  // Shown only when there is one: songs before track numbers read as they did.
  ...(song.track != null && { track: song.track }),
  url: song.url,
  genreIds: [...new Set(genreIds)].sort((a, b) => a - b),
});

/** The song as it is now (undefined: no such song), held until commit so its audit row's "before" is what the change replaced. */
async function lockedSong(trx: Knex.Transaction, id: number) {
  const [row] = await dialectOf(trx).lockingRead(trx('songs').where('id', id).select('title', 'artist', 'album', 'year', 'track', 'url', 'cover'));
  if (!row) return undefined;
  const genreIds = await trx('genre_songs').where('song_id', id).pluck('genre_id');
  const song = {
    title: row.title,
    artist: row.artist,
    album: row.album,
    year: row.year == null ? null : Number(row.year),
    track: row.track == null ? null : Number(row.track),
    url: row.url,
  };
  return { audit: audited(song, genreIds.map(Number)), cover: row.cover == null ? null : String(row.cover) };
}

export function createSongsAdminRepository(db: Knex) {
  return {
    /** Every genre, grouped by drug in display order (for the checkboxes and the filter). */
    async genreOptions(): Promise<GenreOption[]> {
      const rows = await allGenres(db).select('m.id', 'd.name as drug', 'm.name as mood');
      return rows.map((r: Record<string, unknown>) => ({ drug: { name: String(r.drug) }, mood: { id: Number(r.id), name: String(r.mood) } }));
    },

    /** Newest first, keyset-paginated by id; a search matches the start of a title or an artist. */
    async search(filter: { q?: string; genre?: number; after?: number }): Promise<{ songs: Song[]; next?: number }> {
      const query = filter.genre ? db('genre_songs as gs').join('songs as s', 's.id', 'gs.song_id').where('gs.genre_id', filter.genre) : db('songs as s');
      const { q } = filter;
      if (q) query.where((w) => w.where(startsWith(db, 's.title', q)).orWhere(startsWith(db, 's.artist', q)));
      if (filter.after) query.where('s.id', '<', filter.after);
      const rows = await query
        .orderBy('s.id', 'desc')
        .limit(SONGS_PAGE_SIZE + 1)
        .select(...songColumns);
      const songs = rows.slice(0, SONGS_PAGE_SIZE).map(toSong);
      return { songs, next: rows.length > SONGS_PAGE_SIZE ? songs.at(-1)!.id : undefined };
    },

    async find(id: number): Promise<SongWithGenres | undefined> {
      const row = await db('songs as s')
        .where('s.id', id)
        .first(...songColumns, 's.size_bytes', 's.bit_rate');
      if (!row) return undefined;
      const genreIds = await db('genre_songs').where('song_id', id).orderBy('genre_id').pluck('genre_id');
      return {
        ...toSong(row),
        genreIds: genreIds.map(Number),
        sizeBytes: row.size_bytes == null ? null : Number(row.size_bytes),
        bitRate: row.bit_rate == null ? null : Number(row.bit_rate),
      };
    },

    /** Inserts the song and its memberships in one transaction, with its audit row: all or nothing. */
    create: (song: NewSong, genreIds: readonly number[], actor: Actor): Promise<number> =>
      writeTransaction(db, async (trx) => {
        const [id] = await trx('songs').insert(songRow(song));
        await applyMembershipChanges(trx, { add: genreIds.map((g) => [g, Number(id)] as const) });
        await recordAudit(trx, { actor, action: 'song.create', recordType: 'song', recordId: Number(id), after: audited(song, genreIds) });
        return Number(id);
      }),

    /**
     * A change of genres alone is song.genres; any other change is song.update; no change, no row.
     * `audioChanged`: write what is known of the new audio too (a cover only when it brought one).
     * Returns the cover the song had before, so the caller can let a replaced one go; undefined
     * when there is no such song (nothing written).
     */
    update: (
      id: number,
      song: NewSong,
      genreIds: readonly number[],
      actor: Actor,
      audioChanged = false,
    ): Promise<{ previousCover: string | null } | undefined> =>
      writeTransaction(db, async (trx) => {
        const before = await lockedSong(trx, id);
        if (!before) return undefined;
        const row = songRow(song);
        const { album, year, title, artist, url } = row;
        // New audio brings its own file facts and measurement; a length is only replaced by a known one.
        const audio = audioChanged
          ? {
              size_bytes: row.size_bytes,
              bit_rate: row.bit_rate,
              loudness_lufs: row.loudness_lufs ?? null,
              true_peak_db: row.true_peak_db ?? null,
              stream_url: row.stream_url ?? null,
              ...(row.duration_seconds !== null && { duration_seconds: row.duration_seconds }),
              ...(row.cover != null && { cover: row.cover }),
            }
          : {};
        await trx('songs')
          .where('id', id)
          .update({ title, artist, album, year, track: song.track ?? null, url, ...audio, updated_at: trx.fn.now() });
        await copySongToMemberships(trx, id);
        await setSongGenres(trx, id, genreIds);
        const change = changedFields(before.audit, audited(song, genreIds));
        if (change) {
          const action = Object.keys(change.after).every((key) => key === 'genreIds') ? 'song.genres' : 'song.update';
          await recordAudit(trx, { actor, action, recordType: 'song', recordId: id, ...change });
        }
        return { previousCover: before.cover };
      }),

    /** Returns the cover the song had, for the caller to remove with its audio; undefined when there is no such song. */
    delete: (id: number, actor: Actor): Promise<{ cover: string | null } | undefined> =>
      writeTransaction(db, async (trx) => {
        const before = await lockedSong(trx, id);
        if (!before) return undefined;
        await deleteSong(trx, id);
        await recordAudit(trx, { actor, action: 'song.delete', recordType: 'song', recordId: id, before: before.audit });
        return { cover: before.cover };
      }),

    urlTaken: async (url: string, exceptId?: number): Promise<boolean> =>
      Boolean(
        await db('songs')
          .where('url', url)
          .whereNot('id', exceptId ?? 0)
          .first('id'),
      ),
  };
}

export type SongsAdminRepository = ReturnType<typeof createSongsAdminRepository>;
