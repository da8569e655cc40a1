// npm run db:backup / db:restore as child processes on the real database: a backup taken while
// writes run restores into a fresh database with every write acknowledged before it began, dense
// numbering (db:check), and the uploads; what cannot be done is refused with a clear message.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { createDb } from '../../src/db/knex.js';
import { checkGenres } from '../../src/playlists/check.js';
import { databaseUrlOf } from '../helpers/cli.js';
import { testDatabaseConfig, useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { forgetDatabase } from '../helpers/own-database.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestDb({ poolMax: 6 });
const temporary: string[] = [];
const target = testDatabaseConfig('_restored');
afterEach(async () => {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  await forgetDatabase(target);
});
const tempDir = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stereodose-${name}-`));
  temporary.push(dir);
  return dir;
};

/** A CLI from source, against `database` and `uploadDir`; resolves with its exit code and output. */
const cli = (script: string, args: string[], database: DatabaseConfig, uploadDir: string) =>
  promisify(execFile)('node_modules/.bin/tsx', [script, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrlOf(database), UPLOAD_DIR: uploadDir },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
const backup = (dir: string, uploads: string) => cli('src/backup/backup.cli.ts', [dir], t.config, uploads);
const restore = (dir: string, uploads: string) => cli('src/backup/restore.cli.ts', [dir], target, uploads);

describe('npm run db:backup and db:restore', () => {
  it('when a backup is taken while songs are being added, then the restore has every song added before it began, a clean db:check and the uploads', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 40);
    const uploads = tempDir('uploads');
    fs.writeFileSync(path.join(uploads, `${'a'.repeat(32)}.mp3`), 'ID3 first');
    fs.writeFileSync(path.join(uploads, `${'b'.repeat(32)}.ogg`), 'OggS second');
    fs.mkdirSync(path.join(uploads, '.incoming'));
    fs.writeFileSync(path.join(uploads, '.incoming', 'half-received'), 'partial');

    const acknowledged: number[] = [];
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        acknowledged.push(...(await makeSongs(t.db, genre.genreId, 1)));
        // better-sqlite3 answers without I/O: let the child process's events in between writes.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await waitFor(() => (acknowledged.length >= 5 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20, why: () => 'for five acknowledged writes' });
    const beforeBackup = [...acknowledged];
    const dir = path.join(tempDir('backup'), 'snapshot');
    const made = await backup(dir, uploads);
    stop = true;
    await writer;
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Backed up the (sqlite|mysql) database and 2 upload\(s\)/);

    const restoredUploads = tempDir('restored-uploads');
    const restored = await restore(dir, restoredUploads);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const db = await createDb(target);
    try {
      const ids = new Set((await db('songs').pluck('id')).map(Number));
      for (const id of beforeBackup) expect(ids.has(id)).toBe(true);
      expect(ids.size).toBeGreaterThanOrEqual(40 + beforeBackup.length);
      expect(ids.size).toBeLessThanOrEqual(40 + acknowledged.length);
      expect(await checkGenres(db)).toEqual([]);
      // (A song the snapshot caught between its insert and its membership is no loss: it was not acknowledged.)
      const members = new Set((await db('genre_songs').where('genre_id', genre.genreId).pluck('song_id')).map(Number));
      for (const id of beforeBackup) expect(members.has(id)).toBe(true);
    } finally {
      await db.destroy();
    }
    expect(fs.readdirSync(restoredUploads).sort()).toEqual([`${'a'.repeat(32)}.mp3`, `${'b'.repeat(32)}.ogg`]);
    expect((await cli('src/playlists/check.cli.ts', [], target, restoredUploads)).code).toBe(0);

    // Once more into the same database: it is not empty any more.
    const again = await restore(dir, tempDir('again'));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty|already exists/);
  }, 60_000);

  it('when the folder is not empty, holds no backup, or none is named, then the command says so and exits non-zero', async () => {
    const full = tempDir('full');
    fs.writeFileSync(path.join(full, 'something'), 'x');
    const intoFull = await backup(full, tempDir('u'));
    expect(intoFull.code).toBe(1);
    expect(intoFull.stderr).toMatch(/is not empty: back up into a new folder/);
    const fromNothing = await restore(tempDir('nothing'), tempDir('u'));
    expect(fromNothing.code).toBe(1);
    expect(fromNothing.stderr).toMatch(/holds no backup/);
    const usage = await cli('src/backup/backup.cli.ts', [], t.config, tempDir('u'));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage: npm run db:backup -- DIR/);
  }, 60_000);
});
