import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ServiceBusy } from '../../src/lib/errors.js';
import { writeTransaction } from '../../src/db/transaction.js';
import { useTestDb, usingMysql } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';

const t = useTestDb();
const databaseUrl = () => (t.config.client === 'sqlite' ? `sqlite:${t.config.filename}` : t.config.url);
const dbCheck = (...args: string[]) =>
  promisify(execFile)('node_modules/.bin/tsx', ['src/playlists/check.cli.ts', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl() } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

describe('npm run db:check', () => {
  it('when a genre has a hole, then it exits 1 naming the genre; --repair fixes it and exits 0', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 5);
    const clean = await dbCheck();
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/All 1 genres are consistent/);

    await t.db('genre_songs').where({ genre_id: genre.genreId, row_id_per_genre: 2 }).del();
    const broken = await dbCheck();
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${genre.drugSlug}/${genre.moodSlug}`);
    expect(broken.stderr).toMatch(/genre_counts says 5 songs but it has 4 members/);

    const repaired = await dbCheck('--repair');
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(/Repaired genre \d+: renumbered 1\.\.4/);
    expect((await dbCheck()).code).toBe(0);
  });
});

describe('writeTransaction', () => {
  it('when a member’s copy of its song differs from the song, then db:check names the genre; --repair copies the song again', async () => {
    const genre = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genre.genreId, 3);
    await t.db('genre_songs').where('song_id', songId!).update({ title: 'Stale title', album: 'Stale album' });
    const broken = await dbCheck();
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      new RegExp(`${genre.drugSlug}/${genre.moodSlug} \\(genre ${genre.genreId}\\): 1 members' copies of their song differ from songs`),
    );
    const repaired = await dbCheck('--repair');
    expect(repaired.code).toBe(0);
    const [copy] = await t
      .db('genre_songs as gs')
      .join('songs as s', 's.id', 'gs.song_id')
      .where('gs.song_id', songId!)
      .select('gs.title', 's.title as song_title', 'gs.album');
    expect(copy.title).toBe(copy.song_title);
    expect(copy.album).toBeNull();
    expect((await dbCheck()).code).toBe(0);
  });

  it('when the database keeps reporting deadlocks, then it retries a bounded number of times and answers busy', async () => {
    let attempts = 0;
    const deadlock = Object.assign(new Error('Deadlock found'), usingMysql() ? { errno: 1213 } : { code: 'SQLITE_BUSY' });
    const run = writeTransaction(t.db, async () => {
      attempts++;
      throw deadlock;
    });
    await expect(run).rejects.toBeInstanceOf(ServiceBusy);
    expect(attempts).toBe(6);
  });

  it('when a deadlock happens once, then the transaction is run again and succeeds', async () => {
    const genre = await makeGenre(t.db);
    let attempts = 0;
    const result = await writeTransaction(t.db, async (trx) => {
      attempts++;
      await trx('genre_counts').where('genre_id', genre.genreId).update({ song_count: 7 });
      if (attempts === 1) throw Object.assign(new Error('Deadlock found'), { errno: 1213, code: 'SQLITE_BUSY' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toBe(2);
    expect(Number((await t.db('genre_counts').where('genre_id', genre.genreId).first()).song_count)).toBe(7);
  });
});
