// Bulk import: records stream in, are validated one by one, and are written in batches (see
// import.repository.ts), one batch written while the next is read.
import { genreKey } from '../catalog/genre.js';
import type { ImportRepository, ImportRow } from './import.repository.js';
import { importRecord } from './import.schemas.js';
import type { SourceRow } from './import.sources.js';
import type { ImportReport, ImportRun } from './import.types.js';

export interface ImportOptions {
  /** Puts the run on the audit log (import.run), with its file name and counts. */
  run?: ImportRun;
  batchSize?: number;
  maxRejections?: number;
  /** Called after each batch with the number of lines handled so far. */
  onProgress?: (linesDone: number) => void;
}

/** Imports the rows into the catalog through `imports`: the CLI's, the admin's and the benchmarks' way in. */
export async function runImport(imports: ImportRepository, rows: AsyncIterable<SourceRow>, options: ImportOptions = {}): Promise<ImportReport> {
  const { run, batchSize = 5000, maxRejections = 1000, onProgress } = options;
  const genres = await imports.genreIdsBySlug();
  const insertedIds = await imports.insertedIdsReader();
  const report: ImportReport = { imported: 0, alreadyPresent: 0, rejected: 0, rejections: [], newSongs: 0 };
  const reject = (line: number, reason: string) => {
    report.rejected++;
    if (report.rejections.length < maxRejections) report.rejections.push({ line, reason });
  };

  // One batch is written while the next is read and validated: the database and this process
  // work at the same time. Never more than one write in flight, so batches land in file order.
  let batch: ImportRow[] = [];
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
    writing = (rows.length ? imports.writeBatch(rows, { expectNew, insertedIds }) : Promise.resolve(undefined)).then((written) => {
      if (written) {
        report.newSongs += written.newSongs;
        report.imported += written.added;
        report.alreadyPresent += rows.length - written.added;
        expectNew = written.allNew;
      }
      onProgress?.(linesDoneThen);
    });
    // Awaited at the next flush; until then a failure must not count as unhandled.
    writing.catch(() => {});
  };

  try {
    await readAndWrite();
  } catch (err) {
    // Batches that committed before the failure stay (each is its own transaction): say so. The
    // original error is the one to report; a database that failed the batch may refuse this too.
    if (run && (report.imported > 0 || report.newSongs > 0)) await imports.recordRun(run, report, { failed: true }).catch(() => {});
    throw err;
  }
  if (run) await imports.recordRun(run, report);
  return report;

  async function readAndWrite() {
    for await (const row of rows) {
      linesDone++;
      if ('error' in row) {
        reject(row.line, row.error);
      } else {
        const parsed = importRecord.safeParse(row.record);
        if (!parsed.success) {
          reject(row.line, parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
        } else {
          const genreId = genres.get(genreKey({ drug: { slug: parsed.data.drug }, mood: { slug: parsed.data.mood } }));
          if (genreId === undefined) reject(row.line, `unknown drug/mood "${parsed.data.drug}/${parsed.data.mood}"`);
          else batch.push({ ...parsed.data, line: row.line, genreId });
        }
      }
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await writing;
  }
}
