// The songs whose audio Stereodose holds (`/media/…`), as the analysis sees them, and the writes of
// what it found. A write names the URL it measured: an admin who replaced the audio meanwhile wins.
import type { Knex } from 'knex';
import { writeTransaction } from '../db/transaction.js';
import { COPIED_SONG_COLUMNS, copySongToMemberships } from '../playlists/membership.js';
import { toSong } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import type { Loudness } from '../catalog/song-media.js';

/** What an analysis found; only the fields given are written. */
export interface AudioChange {
  sizeBytes?: number | null;
  bitRate?: number | null;
  durationSeconds?: number | null;
  loudness?: Loudness | null;
  streamUrl?: string | null;
  cover?: string | null;
}

export interface HeldSong extends Song {
  sizeBytes: number | null;
  bitRate: number | null;
}

export interface AnalysisFilter {
  /** Every held song, measured or not (`--all`). */
  all?: boolean;
  /** Only songs with a larger id (those an import has just added). */
  afterId?: number;
  /** Only the demo songs. */
  demoOnly?: boolean;
}

/** The columns of an AudioChange, for an update or an insert. */
export function audioColumns(change: AudioChange): Record<string, unknown> {
  return {
    ...(change.sizeBytes !== undefined && { size_bytes: change.sizeBytes }),
    ...(change.bitRate !== undefined && { bit_rate: change.bitRate }),
    ...(change.durationSeconds !== undefined && { duration_seconds: change.durationSeconds }),
    ...(change.loudness !== undefined && { loudness_lufs: change.loudness?.lufs ?? null, true_peak_db: change.loudness?.truePeakDb ?? null }),
    ...(change.streamUrl !== undefined && { stream_url: change.streamUrl }),
    ...(change.cover !== undefined && { cover: change.cover }),
  };
}

// What a draw copies of a song, with its id and what only this module reads (the file's size and bit rate).
const COLUMNS = ['id', ...COPIED_SONG_COLUMNS, 'size_bytes', 'bit_rate'] as const;

export function createAudioRepository(db: Knex) {
  const held = ({ all, afterId, demoOnly }: AnalysisFilter) => {
    const query = db('songs').where('url', 'like', demoOnly ? '/media/demo/%' : '/media/%');
    if (afterId !== undefined) query.where('id', '>', afterId);
    if (!all) {
      // Missing a measurement or a file fact, or a lossless original without its compressed copy.
      query.where((w) =>
        w
          .whereNull('loudness_lufs')
          .orWhereNull('size_bytes')
          .orWhereNull('bit_rate')
          .orWhereNull('duration_seconds')
          .orWhere((c) =>
            c.whereNull('stream_url').where((l) => l.where('url', 'like', '/media/demo/%').orWhere('url', 'like', '%.wav').orWhere('url', 'like', '%.flac')),
          ),
      );
    }
    return query;
  };

  return {
    async count(filter: AnalysisFilter): Promise<number> {
      const row = await held(filter).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    /** The next `limit` songs to analyze after id `from`, in id order. */
    async page(filter: AnalysisFilter, from: number, limit: number): Promise<HeldSong[]> {
      const rows = await held(filter)
        .where('id', '>', from)
        .orderBy('id')
        .limit(limit)
        .select(...COLUMNS);
      return rows.map((r: Record<string, unknown>) => ({
        ...toSong(r),
        sizeBytes: r.size_bytes == null ? null : Number(r.size_bytes),
        bitRate: r.bit_rate == null ? null : Number(r.bit_rate),
      }));
    },

    /** Writes what was found of the song's audio at `url`; false when the song or its audio changed meanwhile. */
    async write(id: number, url: string, change: AudioChange): Promise<boolean> {
      const columns = audioColumns(change);
      if (Object.keys(columns).length === 0) return true;
      // The song's memberships carry copies of these columns for draws: they follow in the same transaction.
      return writeTransaction(db, async (trx) => {
        const updated = await trx('songs').where({ id, url }).update(columns);
        if (Number(updated) > 0) await copySongToMemberships(trx, id);
        return Number(updated) > 0;
      });
    },

    async lastSongId(): Promise<number> {
      const row = await db('songs').max({ id: 'id' }).first();
      return Number(row?.id ?? 0);
    },
  };
}

export type AudioRepository = ReturnType<typeof createAudioRepository>;
