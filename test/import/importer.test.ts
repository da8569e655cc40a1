import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createImportRepository } from '../../src/import/import.repository.js';
import { runImport } from '../../src/import/import.service.js';
import { csvRows, ImportFormatError, jsonLinesRows } from '../../src/import/import.sources.js';
import { checkGenres } from '../../src/playlists/check.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre } from '../helpers/factories.js';

const t = useTestDb();
const csv = (text: string) => csvRows(Readable.from([text]));
const songCount = async () => Number((await t.db('songs').count({ n: '*' }).first())!.n);

async function twoGenres() {
  const chill = await makeGenre(t.db, { drug: 'weed', mood: 'chill' });
  const groovin = await makeGenre(t.db, { drugId: chill.drugId, mood: 'groovin' });
  return { chill, groovin };
}

const goodAndBad = [
  'title,artist,url,drug,mood,album,year',
  'One,A,https://cdn.example.com/1.mp3,weed,chill,First,1999',
  'One,A,https://cdn.example.com/1.mp3,weed,groovin,,',
  'Evil,B,javascript:alert(1),weed,chill,,',
  'Lost,C,https://cdn.example.com/3.mp3,weed,nope,,',
  ',D,https://cdn.example.com/4.mp3,weed,chill,,',
  'Old,E,https://cdn.example.com/5.mp3,weed,chill,,17',
  'Two,F,https://cdn.example.com/2.mp3,WEED,Chill,,',
].join('\n');

describe('bulk import', () => {
  it('when a CSV holds good and bad lines, then the good ones land and each bad one is reported by line', async () => {
    const { chill, groovin } = await twoGenres();
    const report = await runImport(createImportRepository(t.db), csv(goodAndBad));
    expect(report).toMatchObject({ imported: 3, alreadyPresent: 0, rejected: 4, newSongs: 2 });
    expect(report.rejections.map((r) => r.line)).toEqual([4, 5, 6, 7]);
    expect(report.rejections[0]!.reason).toMatch(/url/);
    expect(report.rejections[1]!.reason).toMatch(/unknown drug\/mood "weed\/nope"/);
    expect(report.rejections[2]!.reason).toMatch(/title/);
    expect(report.rejections[3]!.reason).toMatch(/year/);
    expect(await songCount()).toBe(2);
    const counts = await t.db('genre_counts').whereIn('genre_id', [chill.genreId, groovin.genreId]).orderBy('genre_id').pluck('song_count');
    expect(counts.map(Number)).toEqual([2, 1]);
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when the same file is imported twice, then the second import adds nothing', async () => {
    await twoGenres();
    await runImport(createImportRepository(t.db), csv(goodAndBad));
    const again = await runImport(createImportRepository(t.db), csv(goodAndBad));
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 3, rejected: 4, newSongs: 0 });
    expect(await songCount()).toBe(2);
  });

  it('when JSON lines are imported, then broken lines are rejected and the rest land', async () => {
    await twoGenres();
    const lines = [
      JSON.stringify({ title: 'J1', artist: 'A', url: 'https://x.test/j1.ogg', drug: 'weed', mood: 'chill', duration: 200 }),
      '{not json',
      '[1,2]',
      JSON.stringify({ title: 'J2', artist: 'B', url: 'https://x.test/j2.ogg', drug: 'weed', mood: 'groovin' }),
    ].join('\n');
    const report = await runImport(createImportRepository(t.db), jsonLinesRows(Readable.from([lines])));
    expect(report).toMatchObject({ imported: 2, rejected: 2 });
    expect(report.rejections).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'not a JSON object' },
    ]);
    expect(Number((await t.db('songs').where('url', 'https://x.test/j1.ogg').first()).duration_seconds)).toBe(200);
  });

  it('when batches are small, then numbering across batches is still 1..N', async () => {
    const { chill } = await twoGenres();
    const lines = ['title,artist,url,drug,mood', ...Array.from({ length: 57 }, (_, i) => `S${i},A${i % 4},https://b.test/${i}.mp3,weed,chill`)];
    const report = await runImport(createImportRepository(t.db), csv(lines.join('\n')), { batchSize: 10 });
    expect(report.imported).toBe(57);
    const numbers = await t.db('genre_songs').where('genre_id', chill.genreId).orderBy('row_id_per_genre').pluck('row_id_per_genre');
    expect(numbers.map(Number)).toEqual(Array.from({ length: 57 }, (_, i) => i + 1));
  });

  it('when one batch holds more new songs than one INSERT may carry, then they all land', async () => {
    const { chill } = await twoGenres();
    const lines = ['title,artist,url,drug,mood', ...Array.from({ length: 2600 }, (_, i) => `S${i},A${i % 9},https://big.test/${i}.mp3,weed,chill`)];
    const report = await runImport(createImportRepository(t.db), csv(lines.join('\n')));
    expect(report).toMatchObject({ imported: 2600, newSongs: 2600, rejected: 0 });
    expect(Number((await t.db('genre_counts').where('genre_id', chill.genreId).first()).song_count)).toBe(2600);
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when many new songs land in several genres, then each membership points at the song its line named', async () => {
    const { chill, groovin } = await twoGenres();
    const moodOf = (i: number) => (i % 3 === 0 ? 'groovin' : 'chill');
    const lines = ['title,artist,url,drug,mood', ...Array.from({ length: 2300 }, (_, i) => `T${i},A,https://map.test/${i}.mp3,weed,${moodOf(i)}`)];
    await runImport(createImportRepository(t.db), csv(lines.join('\n')), { batchSize: 1200 });
    const rows = await t.db('genre_songs as gs').join('songs as s', 's.id', 'gs.song_id').select('gs.genre_id', 's.url', 's.title');
    expect(rows).toHaveLength(2300);
    for (const row of rows) {
      const i = Number(/\/(\d+)\.mp3$/.exec(String(row.url))![1]);
      expect(row.title).toBe(`T${i}`);
      expect(Number(row.genre_id)).toBe(moodOf(i) === 'groovin' ? groovin.genreId : chill.genreId);
    }
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when two imports of overlapping files run at once, then every url becomes one song in each of its genres', async () => {
    const { chill, groovin } = await twoGenres();
    const file = (from: number, mood: string) =>
      ['title,artist,url,drug,mood', ...Array.from({ length: 300 }, (_, i) => `S${from + i},A,https://race.test/${from + i}.mp3,weed,${mood}`)].join('\n');
    // 0–299 into chill and 150–449 into both: 150 urls are wanted by both imports at once.
    const reports = await Promise.all([
      runImport(createImportRepository(t.db), csv(file(0, 'chill')), { batchSize: 50 }),
      runImport(createImportRepository(t.db), csv(file(150, 'chill')), { batchSize: 50 }),
      runImport(createImportRepository(t.db), csv(file(150, 'groovin')), { batchSize: 50 }),
    ]);
    expect(reports.map((r) => r.rejected)).toEqual([0, 0, 0]);
    expect(reports.reduce((n, r) => n + r.newSongs, 0)).toBe(450);
    expect(reports[0]!.imported + reports[1]!.imported).toBe(450);
    expect(await songCount()).toBe(450);
    const counts = await t.db('genre_counts').whereIn('genre_id', [chill.genreId, groovin.genreId]).orderBy('genre_id').pluck('song_count');
    expect(counts.map(Number)).toEqual([450, 300]);
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when an existing, favorited song is imported into another genre, then it keeps its favorite count there', async () => {
    const { chill, groovin } = await twoGenres();
    await runImport(createImportRepository(t.db), csv('title,artist,url,drug,mood\nLoved,A,https://fav.test/1.mp3,weed,chill'));
    await t.db('songs').where('url', 'https://fav.test/1.mp3').update({ favorite_count: 3 });
    await t.db('genre_songs').where('genre_id', chill.genreId).update({ favorite_count: 3 });
    const report = await runImport(
      createImportRepository(t.db),
      csv('title,artist,url,drug,mood\nLoved,A,https://fav.test/1.mp3,weed,groovin\nNew,B,https://fav.test/2.mp3,weed,groovin'),
    );
    expect(report).toMatchObject({ imported: 2, newSongs: 1 });
    const rows = await t.db('genre_songs').where('genre_id', groovin.genreId).orderBy('row_id_per_genre').select('row_id_per_genre', 'favorite_count');
    expect(rows.map((r) => [Number(r.row_id_per_genre), Number(r.favorite_count)]).sort()).toEqual(
      [
        [1, 0],
        [2, 3],
      ].sort(),
    );
  });

  it('when a batch fails while the next one is being read, then the import fails with that error and no batch is half-written', async () => {
    const { chill } = await twoGenres();
    let firstLanded!: () => void;
    const landed = new Promise<void>((resolve) => (firstLanded = resolve));
    async function* rows() {
      for (let i = 0; i < 40; i++) {
        // Once the first batch has landed, the genre's count row vanishes: the second cannot land.
        if (i === 20) {
          await landed;
          await t.db('genre_counts').where('genre_id', chill.genreId).del();
        }
        yield { line: i + 2, record: { title: `S${i}`, artist: 'A', url: `https://fail.test/${i}.mp3`, drug: 'weed', mood: 'chill' } };
      }
    }
    await expect(runImport(createImportRepository(t.db), rows(), { batchSize: 20, onProgress: () => firstLanded() })).rejects.toThrow(
      `No genre with id ${chill.genreId}`,
    );
    expect(await songCount()).toBe(20); // the first batch whole, nothing of the second
    await t.db('genre_counts').insert({ genre_id: chill.genreId, song_count: 20 });
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when the CSV header lacks a required column, then the import stops before writing with a clear message', async () => {
    await twoGenres();
    await expect(runImport(createImportRepository(t.db), csv('title,artist,url,drug\nA,B,https://c.test/x.mp3,weed'))).rejects.toThrow(ImportFormatError);
    expect(await songCount()).toBe(0);
  });

  it.each([
    ['CSV', csvRows],
    ['JSON-lines', jsonLinesRows],
  ])('when a %s file cannot be read, then the import fails with the read error instead of waiting forever', async (_format, rows) => {
    const missing = fs.createReadStream(path.join(os.tmpdir(), `stereodose-missing-${process.pid}.csv`));
    const read = rows(missing);
    // The error comes before the importer first looks, as it may on MySQL (not events.once: it would catch it).
    await new Promise<void>((resolve) => missing.once('close', () => resolve()));
    await expect(runImport(createImportRepository(t.db), read)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('when run as `npm run import -- FILE`, then it prints the summary and exits 1 naming the rejected lines', async () => {
    await twoGenres();
    const file = path.join(os.tmpdir(), `stereodose-import-${process.pid}.csv`);
    fs.writeFileSync(file, goodAndBad);
    const url = t.config.client === 'sqlite' ? `sqlite:${t.config.filename}` : t.config.url;
    const run = promisify(execFile)('node_modules/.bin/tsx', ['src/import/import.cli.ts', file], { env: { ...process.env, DATABASE_URL: url } });
    const failure = await run.then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    fs.rmSync(file);
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toMatch(/Imported:\s+3 \(2 new songs\)/);
    expect(failure?.stdout).toMatch(/line 5: unknown drug\/mood "weed\/nope"/);
    expect(await songCount()).toBe(2);
  });
});
