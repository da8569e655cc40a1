// Bulk import: records stream in, are validated one by one, and are written in batches — songs
// first (identified by url, so importing a file twice adds nothing), then their genre
// memberships through the playlist engine, which numbers each genre's newcomers in bulk.
// Each batch is one transaction: a failure leaves no half-written song.
import type { Knex } from 'knex';
import { songRow } from '../catalog/catalog.writes.js';
import { dialectOf, type InsertedIds } from '../db/dialect.js';
import { applyMembershipChanges, type Membership } from '../playlists/membership.js';
import { writeTransaction } from '../db/transaction.js';
import { importRecord, type ImportRecord } from './import.schemas.js';
import type { SourceRow } from './import.sources.js';

export interface Rejection {
  line: number;
  reason: string;
}

export interface ImportReport {
  /** Lines that added a song to a genre. */
  imported: number;
  /** Valid lines whose song was already in that genre. */
  alreadyPresent: number;
  /** How many lines were rejected… */
  rejected: number;
  /** …and why (the first `maxRejections` of them). */
  rejections: Rejection[];
  /** New rows in the songs table. */
  newSongs: number;
}

export interface ImportOptions {
  batchSize?: number;
  maxRejections?: number;
  /** Called after each batch with the number of lines handled so far. */
  onProgress?: (linesDone: number) => void;
}

interface ValidRow extends ImportRecord {
  line: number;
  genreId: number;
}

/** Values per `WHERE url IN (…)` lookup. */
const LOOKUP_ROWS = 1000;

export async function importSongs(db: Knex, rows: AsyncIterable<SourceRow>, options: ImportOptions = {}): Promise<ImportReport> {
  const { batchSize = 5000, maxRejections = 1000, onProgress } = options;
  const genres = await genreIdsBySlug(db);
  const insertedIds = await dialectOf(db).insertedIdsReader(db);
  const report: ImportReport = { imported: 0, alreadyPresent: 0, rejected: 0, rejections: [], newSongs: 0 };
  const reject = (line: number, reason: string) => {
    report.rejected++;
    if (report.rejections.length < maxRejections) report.rejections.push({ line, reason });
  };

  // One batch is written while the next is read and validated: the database and this process
  // work at the same time. Never more than one write in flight, so batches land in file order.
  let batch: ValidRow[] = [];
  let linesDone = 0;
  let writing: Promise<void> = Promise.resolve();
  // Most bulk imports bring new songs, so a batch first inserts its urls without looking them up.
  // When one exists already, the batch runs again with the lookup — and so do the next batches,
  // until one finds no known url (a file imported again pays one refused INSERT, not one per batch).
  let expectNew = true;
  const flush = async () => {
    const rows = batch;
    const linesDoneThen = linesDone;
    batch = [];
    await writing;
    writing = (rows.length ? writeBatch(db, rows, report, { expectNew, insertedIds }) : Promise.resolve(expectNew)).then((allNew) => {
      expectNew = allNew;
      onProgress?.(linesDoneThen);
    });
    // Awaited at the next flush; until then a failure must not count as unhandled.
    writing.catch(() => {});
  };

  for await (const row of rows) {
    linesDone++;
    if ('error' in row) {
      reject(row.line, row.error);
    } else {
      const parsed = importRecord.safeParse(row.record);
      if (!parsed.success) {
        reject(row.line, parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
      } else {
        const genreId = genres.get(`${parsed.data.drug}/${parsed.data.mood}`);
        if (genreId === undefined) reject(row.line, `unknown drug/mood "${parsed.data.drug}/${parsed.data.mood}"`);
        else batch.push({ ...parsed.data, line: row.line, genreId });
      }
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await writing;
  return report;
}

async function genreIdsBySlug(db: Knex): Promise<Map<string, number>> {
  const rows = await db('moods as m').join('drugs as d', 'd.id', 'm.drug_id').select('m.id', 'd.slug as drug', 'm.slug as mood');
  return new Map(rows.map((r) => [`${r.drug}/${r.mood}`, Number(r.id)]));
}

/** Attempts per batch: one that expected only new urls, then lookups racing other importers. */
const MAX_ATTEMPTS = 4;

interface BatchOptions {
  /** Insert the urls without looking them up first (the previous batch's were all new). */
  expectNew: boolean;
  /** Reads new songs' ids from the INSERT itself; undefined: look them up by url. */
  insertedIds: InsertedIds | undefined;
}

/** Writes one batch in one transaction; returns whether all its urls were new. */
async function writeBatch(db: Knex, batch: ValidRow[], report: ImportReport, { expectNew, insertedIds }: BatchOptions): Promise<boolean> {
  // The first line naming a url defines the song; later lines only add genres.
  const songs = new Map<string, ValidRow>();
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
      report.newSongs += newSongs;
      report.imported += added;
      report.alreadyPresent += batch.length - added;
      return newSongs === urls.length;
    } catch (err) {
      if (!dialectOf(db).isUniqueViolation(err) || attempt >= MAX_ATTEMPTS) throw err;
      lookUp = true;
    }
  }
}

/** Inserts these songs (their urls must be new); returns their ids by url. */
async function insertSongs(trx: Knex.Transaction, rows: ValidRow[], insertedIds: InsertedIds | undefined): Promise<Map<string, number>> {
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
