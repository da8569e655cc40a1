// The importer's writes: songs first (identified by url, so importing a file twice adds nothing),
// then their genre memberships through the playlist engine, which numbers each genre's newcomers in
// bulk. Each batch is one transaction: a failure leaves no half-written song.
import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit.repository.js';
import { songRow } from '../catalog/catalog.writes.js';
import { genreIdsByKey } from '../catalog/genre.js';
import { dialectOf, type InsertedIds } from '../db/dialect.js';
import { writeTransaction } from '../db/transaction.js';
import { applyMembershipChanges, type Membership } from '../playlists/membership.js';
import type { ImportRecord } from './import.schemas.js';
import type { ImportReport, ImportRun } from './import.types.js';

/** A valid line, with the genre its drug/mood names. */
export interface ImportRow extends ImportRecord {
  line: number;
  genreId: number;
}

/** Values per `WHERE url IN (…)` lookup. */
const LOOKUP_ROWS = 1000;

export function createImportRepository(db: Knex) {
  return {
    /** Every genre by its "drug/mood" slugs, hidden ones included. */
    genreIdsBySlug: (): Promise<Map<string, number>> => genreIdsByKey(db),

    /** How this server hands out ids to a multi-row INSERT (asked once per import). */
    insertedIdsReader: () => dialectOf(db).insertedIdsReader(db),

    writeBatch: (batch: readonly ImportRow[], options: BatchOptions) => writeBatch(db, batch, options),

    /**
     * The run's audit row, once its counts are known. A run spans one transaction per batch, so
     * this is a transaction of its own after the last; `failed` marks a run cut short after some
     * batches had committed.
     */
    recordRun: (run: ImportRun, report: ImportReport, outcome: { failed?: boolean } = {}) =>
      writeTransaction(db, (trx) =>
        recordAudit(trx, {
          actor: run.actor,
          action: 'import.run',
          recordType: 'import',
          after: {
            file: run.fileName,
            imported: report.imported,
            newSongs: report.newSongs,
            alreadyPresent: report.alreadyPresent,
            rejected: report.rejected,
            ...(outcome.failed && { failed: true }),
          },
        }),
      ),
  };
}

export type ImportRepository = ReturnType<typeof createImportRepository>;

/** Attempts per batch: one that expected only new urls, then lookups racing other importers. */
const MAX_ATTEMPTS = 4;

export interface BatchOptions {
  /** Insert the urls without looking them up first (the previous batch's were all new). */
  expectNew: boolean;
  /** Reads new songs' ids from the INSERT itself; undefined: look them up by url. */
  insertedIds: InsertedIds | undefined;
}

/** What one batch's transaction wrote. */
export interface BatchWritten {
  /** New rows in the songs table. */
  newSongs: number;
  /** Lines that added a song to a genre (the rest were already there). */
  added: number;
  /** Every url of the batch was new: the next batch may insert without looking up. */
  allNew: boolean;
}

/** Writes one batch in one transaction. */
async function writeBatch(db: Knex, batch: readonly ImportRow[], { expectNew, insertedIds }: BatchOptions): Promise<BatchWritten> {
  // The first line naming a url defines the song; later lines only add genres.
  const songs = new Map<string, ImportRow>();
  for (const row of batch) if (!songs.has(row.url)) songs.set(row.url, row);
  const urls = [...songs.keys()];

  let lookUp = !expectNew;
  for (let attempt = 1; ; attempt++) {
    try {
      const { newSongs, added } = await writeTransaction(db, async (trx) => {
        const known = lookUp ? await idsByUrl(trx, urls) : new Map<string, number>();
        const missing = urls.filter((url) => !known.has(url));
        // A plain insert: if one of these urls exists (or another importer adds it meanwhile),
        // the unique index refuses it and the whole batch runs again, looking urls up first. So
        // every song inserted here is new — in no genre, favorited by nobody — and the engine
        // skips both checks for it.
        const inserted = await insertSongs(
          trx,
          missing.map((url) => songs.get(url)!),
          insertedIds,
        );
        const ids = new Map([...known, ...inserted]);
        const additions: Membership[] = batch.map((row) => [row.genreId, ids.get(row.url)!] as const);
        const { added } = await applyMembershipChanges(trx, { add: additions, newSongs: new Set(inserted.values()) });
        return { newSongs: inserted.size, added };
      });
      return { newSongs, added, allNew: newSongs === urls.length };
    } catch (err) {
      if (!dialectOf(db).isUniqueViolation(err) || attempt >= MAX_ATTEMPTS) throw err;
      lookUp = true;
    }
  }
}

/** Inserts these songs (their urls must be new); returns their ids by url. */
async function insertSongs(trx: Knex.Transaction, rows: ImportRow[], insertedIds: InsertedIds | undefined): Promise<Map<string, number>> {
  const perInsert = dialectOf(trx).maxRowsPerInsert;
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += perInsert) {
    const chunk = rows.slice(i, i + perInsert);
    const result = await trx('songs').insert(
      chunk.map((s) => songRow({ title: s.title, artist: s.artist, url: s.url, album: s.album, year: s.year, durationSeconds: s.duration })),
    );
    if (insertedIds) for (const [k, id] of insertedIds(result, chunk.length).entries()) ids.set(chunk[k]!.url, id);
  }
  return insertedIds
    ? ids
    : idsByUrl(
        trx,
        rows.map((s) => s.url),
      );
}

/** Ids of the songs with these urls (this transaction's own inserts included). */
async function idsByUrl(trx: Knex.Transaction, urls: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < urls.length; i += LOOKUP_ROWS) {
    const rows = await trx('songs')
      .whereIn('url', urls.slice(i, i + LOOKUP_ROWS))
      .select('id', 'url');
    for (const r of rows) ids.set(String(r.url), Number(r.id));
  }
  return ids;
}
