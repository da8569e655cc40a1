// Turns a CSV or JSON-lines stream into numbered records. A line that cannot be parsed becomes a
// rejection for the importer to report; it never stops the stream.
import { createInterface } from 'node:readline';
import { pipeline, type Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';

export type SourceRow = { line: number; record: Record<string, unknown> } | { line: number; error: string };

export const REQUIRED_COLUMNS = ['title', 'artist', 'url', 'drug', 'mood'] as const;

export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

// Both read their input from the moment they are called, not from the first row asked for: the
// importer asks only after its first queries, and a read error (a file gone, a disk failing) in
// between would have no listener — an uncaught exception — and leave the rows waiting forever.

export function csvRows(input: Readable): AsyncGenerator<SourceRow> {
  const skipped: SourceRow[] = [];
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const names = header.map((h) => h.trim().toLowerCase());
      const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
      if (missing.length) throw new ImportFormatError(`The CSV header must include ${REQUIRED_COLUMNS.join(',')}; missing: ${missing.join(', ')}`);
      return names;
    },
    info: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      skipped.push({ line: Number(err?.lines ?? 0), error: `unreadable CSV: ${err?.message ?? 'parse error'}` });
      return undefined;
    },
  });
  // Unlike pipe(), pipeline() hands a read error on to the parser, and so to the loop below.
  pipeline(input, parser, () => {});
  return (async function* () {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield* skipped.splice(0);
      yield { line: info.lines, record };
    }
    yield* skipped.splice(0);
  })();
}

export function jsonLinesRows(input: Readable): AsyncGenerator<SourceRow> {
  // The iterator, made now, keeps the lines (and a read error) until they are asked for.
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  return (async function* () {
    let line = 0;
    for await (const text of { [Symbol.asyncIterator]: () => lines }) {
      line++;
      if (!text.trim()) continue;
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) yield { line, error: 'not a JSON object' };
        else yield { line, record: value as Record<string, unknown> };
      } catch {
        yield { line, error: 'not valid JSON' };
      }
    }
  })();
}

export type ImportFormat = 'csv' | 'jsonl';

export function formatOf(fileName: string): ImportFormat {
  return /\.(jsonl|ndjson|json)$/i.test(fileName) ? 'jsonl' : 'csv';
}

export const rowsOf = (input: Readable, format: ImportFormat) => (format === 'csv' ? csvRows(input) : jsonLinesRows(input));
