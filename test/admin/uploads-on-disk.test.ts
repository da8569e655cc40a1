// Uploads stream to a temp file in UPLOAD_DIR/.incoming and are renamed into place, never held in
// memory whole (measured on main.ts as a real process); no file outlives a request that failed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { UPLOAD_NAME } from '../../src/media/upload-store.js';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp } from '../helpers/app.js';
import { spawnApp } from '../helpers/app-process.js';
import { useTestDb, usingMysql } from '../helpers/db.js';
import { makeGenre } from '../helpers/factories.js';
import { csrfFrom, sessionCookieOf } from '../helpers/session.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestDb();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MB = 1024 * 1024;

/** A WAV of `size` bytes in all: a real header, then silence, made as it is sent. */
function* wav(size: number): Generator<Buffer> {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(size - 8, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(44_100, 24);
  header.writeUInt32LE(44_100 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(size - 44, 40);
  yield header;
  const silence = Buffer.alloc(64 * 1024);
  for (let left = size - 44; left > 0; left -= silence.length) yield left >= silence.length ? silence : silence.subarray(0, left);
}

interface FilePart {
  field: string;
  name: string;
  size: number;
  content: Iterable<Buffer>;
}

/** A multipart body (fields, then one file) with its length, to be streamed rather than built. */
function multipart(fields: Record<string, string>, file: FilePart) {
  const boundary = `----stereodose-${crypto.randomUUID()}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + file.size + tail.length) },
    *body() {
      yield head;
      yield* file.content;
      yield tail;
    },
  };
}

/** Starts a POST on its own connection; `send` streams the body (with backpressure). */
function startPost(port: number, pathname: string, cookie: string, form: ReturnType<typeof multipart>) {
  const request = http.request({ host: '127.0.0.1', port, path: pathname, method: 'POST', agent: false, headers: { cookie, ...form.headers } });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode!, text }));
    });
  });
  return { request, response, send: () => Readable.from(form.body(), { objectMode: false }).pipe(request) };
}

function post(port: number, pathname: string, cookie: string, form: ReturnType<typeof multipart>) {
  const started = startPost(port, pathname, cookie, form);
  started.send();
  return started.response;
}

/** Every file under the folder, temp folder included (paths relative to it). */
const filesIn = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));

const noFilesIn = (dir: string) => waitFor(() => (filesIn(dir).length === 0 ? true : undefined), { timeoutMs: 3000, why: () => `left: ${filesIn(dir)}` });

/** An admin's session cookie and form token on the server at `baseUrl`. */
async function adminAt(baseUrl: string, db: typeof t.db) {
  const { agent } = await adminAgent(baseUrl, db);
  const csrf = await csrfFrom(agent, '/admin/songs/new');
  return { cookie: (await sessionCookieOf(agent))!, csrf };
}

const songFields = (csrf: string, genreId: number, fields: Record<string, string> = {}) => ({
  _csrf: csrf,
  title: 'Streamed',
  artist: 'Kept Artist',
  source: 'upload',
  genreIds: String(genreId),
  ...fields,
});
const songCount = async () => Number((await t.db('songs').count({ n: '*' }).first())!.n);

/** createApp on a real port, with an upload folder of its own. */
async function serve(config: { uploadMaxBytes?: number } = {}) {
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-uploads-on-disk-'));
  const server = http.createServer(createTestApp(t.db, { config: { uploadDir, ...config } }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(uploadDir, { recursive: true, force: true });
  });
  const { port } = server.address() as AddressInfo;
  const genre = await makeGenre(t.db);
  return { port, uploadDir, genre, ...(await adminAt(`http://127.0.0.1:${port}`, t.db)) };
}

const audio = (size: number, name = 'song.wav'): FilePart => ({ field: 'audio', name, size, content: wav(size) });

describe('admin uploads on disk', () => {
  it('when an admin uploads a WAV, then exactly its final file and its compressed copy are left, under a generated name, and no temp file', async () => {
    const { port, uploadDir, genre, cookie, csrf } = await serve();
    const res = await post(port, '/admin/songs', cookie, multipart(songFields(csrf, genre.genreId), audio(MB)));
    expect(res.status).toBe(303);
    const [copy, file, ...others] = filesIn(uploadDir).sort();
    expect(others).toEqual([]);
    expect(file).toMatch(UPLOAD_NAME);
    expect(copy).toBe(file!.replace(/\.wav$/, '.m4a'));
    expect((await t.db('songs').first('url')).url).toBe(`/media/uploads/${file}`);
    expect(fs.statSync(path.join(uploadDir, file!)).size).toBe(MB);
  });

  it('when the upload is not audio, then 415, the form again with its values, and no file left', async () => {
    const { port, uploadDir, genre, cookie, csrf } = await serve();
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    const res = await post(
      port,
      '/admin/songs',
      cookie,
      multipart(songFields(csrf, genre.genreId), { field: 'audio', name: 'song.mp3', size: html.length, content: [html] }),
    );
    expect(res.status).toBe(415);
    expect(res.text).toContain('Audio file must be an audio file');
    expect(res.text).toContain('value="Kept Artist"');
    await noFilesIn(uploadDir);
    expect(await songCount()).toBe(0);
  });

  it('when another field of the form is invalid, then 400 with the form again, and the uploaded audio is not kept', async () => {
    const { port, uploadDir, genre, cookie, csrf } = await serve();
    const res = await post(port, '/admin/songs', cookie, multipart(songFields(csrf, genre.genreId, { title: '' }), audio(MB)));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Title is required');
    expect(res.text).toContain('value="Kept Artist"');
    await noFilesIn(uploadDir);
    expect(await songCount()).toBe(0);
  });

  it('when the song cannot be written to the database, then neither the temp file nor the moved one is left', async () => {
    const { port, uploadDir, genre, cookie, csrf } = await serve();
    // The song's row goes in, its genre membership cannot: the write fails after the file was moved.
    await t.db.schema.renameTable('genre_songs', 'genre_songs_away');
    try {
      const res = await post(port, '/admin/songs', cookie, multipart(songFields(csrf, genre.genreId), audio(MB)));
      expect(res.status).toBe(500);
    } finally {
      await t.db.schema.renameTable('genre_songs_away', 'genre_songs');
    }
    await noFilesIn(uploadDir);
    expect(await songCount()).toBe(0);
  });

  it('when the upload is larger than UPLOAD_MAX_MB, then 413, and what had arrived of it is removed', async () => {
    const { port, uploadDir, genre, cookie, csrf } = await serve({ uploadMaxBytes: MB });
    const res = await post(port, '/admin/songs', cookie, multipart(songFields(csrf, genre.genreId), audio(4 * MB)));
    expect(res.status).toBe(413);
    await noFilesIn(uploadDir);
    expect(await songCount()).toBe(0);
  });

  it('when the client disconnects in the middle of an upload, then its temp file is removed', async () => {
    const { port, uploadDir, genre, cookie, csrf } = await serve();
    const size = 20 * MB;
    const form = multipart(songFields(csrf, genre.genreId), audio(size));
    const { request, response } = startPost(port, '/admin/songs', cookie, form);
    response.catch(() => {}); // the socket is destroyed below
    const body = form.body();
    for (let sent = 0; sent < 2 * MB; ) {
      const chunk = body.next().value!;
      request.write(chunk);
      sent += chunk.length;
    }
    const temp = await waitFor(() => filesIn(uploadDir).find((f) => f.startsWith('.incoming/')), { timeoutMs: 3000 });
    await waitFor(() => (fs.statSync(path.join(uploadDir, temp)).size > 0 ? true : undefined), { timeoutMs: 3000 });
    request.destroy();
    await noFilesIn(uploadDir);
    expect(await songCount()).toBe(0);
  });

  it('when an admin imports a CSV, then it is read from its temp file, which is gone afterwards', async () => {
    const { port, uploadDir, genre, cookie, csrf } = await serve();
    const csv = Buffer.from(`title,artist,url,drug,mood\nOne,A,https://x.test/1.mp3,${genre.drugSlug},${genre.moodSlug}\n`);
    const res = await post(port, '/admin/import', cookie, multipart({ _csrf: csrf }, { field: 'file', name: 'songs.csv', size: csv.length, content: [csv] }));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/data-imported>1 \(1 new songs\)/);
    await noFilesIn(uploadDir);
  });

  it('when the app starts, then temp files older than an hour are swept and newer ones kept', async () => {
    const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-uploads-on-disk-'));
    cleanups.push(() => fs.rmSync(uploadDir, { recursive: true, force: true }));
    const incoming = path.join(uploadDir, '.incoming');
    fs.mkdirSync(incoming);
    for (const name of ['stale', 'fresh', 'kept.wav']) fs.writeFileSync(path.join(name === 'kept.wav' ? uploadDir : incoming, name), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const file of [path.join(incoming, 'stale'), path.join(uploadDir, 'kept.wav')]) fs.utimesSync(file, twoHoursAgo, twoHoursAgo);
    createTestApp(t.db, { config: { uploadDir } });
    expect(filesIn(uploadDir).sort()).toEqual(['.incoming/fresh', 'kept.wav']);
  });
});

/** Resident memory of a process, in bytes: now (VmRSS) and its peak since the last reset (VmHWM). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

// The server in its own process, so that its memory is measured alone; on SQLite whatever the run.
describe.skipIf(usingMysql() || process.platform !== 'linux')('admin uploads: memory', () => {
  it('when four 50 MB uploads arrive at once, then the server grows by less than 64 MB', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-upload-rss-'));
    const databaseFile = path.join(dir, 'stereodose.sqlite');
    const uploadDir = path.join(dir, 'uploads');
    const app = spawnApp({
      NODE_ENV: 'development',
      DATABASE_URL: `sqlite:${databaseFile}`,
      DATA_DIR: dir,
      UPLOAD_DIR: uploadDir,
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    cleanups.push(async () => {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
      await app.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const port = await waitFor(() => app.logs.find((l) => typeof l.port === 'number')?.port as number | undefined, { timeoutMs: 30_000, why: app.stderr });
    const db = await createDb({ client: 'sqlite', filename: databaseFile });
    cleanups.push(() => db.destroy());
    const genre = await makeGenre(db);
    const { cookie, csrf } = await adminAt(`http://127.0.0.1:${port}`, db);
    const upload = (size: number) => post(port, '/admin/songs', cookie, multipart(songFields(csrf, genre.genreId), audio(size)));
    // A first upload loads and warms everything an upload touches, so that only holding them is measured.
    expect((await upload(MB)).status).toBe(303);

    const pid = app.child.pid!;
    const resetPeak = () => {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // VmHWM := VmRSS
        return true;
      } catch {
        return false;
      }
    };
    const peakReset = resetPeak();
    const before = memoryOf(pid).rss;
    let sampled = before;
    const sampler = setInterval(() => (sampled = Math.max(sampled, memoryOf(pid).rss)), 10);
    const started = performance.now();
    const statuses = await Promise.all(Array.from({ length: 4 }, () => upload(50 * MB).then((r) => r.status)));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = memoryOf(pid);
    const peak = Math.max(sampled, after.rss, peakReset ? after.peak : 0);

    const growth = (peak - before) / MB;
    console.log(
      `four concurrent 50 MB uploads in ${seconds.toFixed(1)} s: server RSS ${(before / MB).toFixed(1)} MB before, ` +
        `${(peak / MB).toFixed(1)} MB at peak (${peakReset ? 'VmHWM' : 'sampled'}): +${growth.toFixed(1)} MB`,
    );
    expect(statuses).toEqual([303, 303, 303, 303]);
    expect(growth).toBeLessThan(64);
    const kept = filesIn(uploadDir);
    expect(
      kept
        .filter((f) => UPLOAD_NAME.test(f) && f.endsWith('.wav'))
        .map((f) => fs.statSync(path.join(uploadDir, f)).size)
        .sort(),
    ).toEqual([MB, ...Array(4).fill(50 * MB)]);
    // Beside each, its compressed copy; nothing else (no temp file).
    expect(kept).toHaveLength(10);
    expect(kept.filter((f) => UPLOAD_NAME.test(f) && f.endsWith('.m4a'))).toHaveLength(5);
  });
});
