// The analysis of the audio Stereodose holds: demo songs rendered once and measured, uploads read
// and measured, by `npm run audio:analyze`, by an import, and at start-up for renders already made.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseBuffer } from 'music-metadata';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioServiceFor } from '../../src/audio/audio-tools.js';
import { startDemoRendering } from '../../src/audio/demo-rendering.js';
import { loadConfig } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { prepareDatabase } from '../../src/db/prepare.js';
import { createLogger } from '../../src/logger.js';
import { demoTrackDuration } from '../../src/media/demo-synth.js';
import { demoTrackUrl } from '../../src/media/demo-tracks.js';
import { applyMembershipChanges } from '../../src/playlists/membership.js';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp, testConfig } from '../helpers/app.js';
import { demoWavAt, flacOf, jpegCover, taggedMp3 } from '../helpers/audio-files.js';
import { databaseUrlOf, runCli } from '../helpers/cli.js';
import { testDatabaseConfig, useTestDb } from '../helpers/db.js';
import { makeGenre, type TestGenre, insertSong } from '../helpers/factories.js';
import { forgetDatabase } from '../helpers/own-database.js';
import { csrfFrom } from '../helpers/session.js';
import { waitFor } from '../helpers/wait.js';
import { bytesOf } from '../helpers/bytes.js';

const t = useTestDb();
const AUDIO_COLUMNS = ['id', 'url', 'stream_url', 'duration_seconds', 'bit_rate', 'size_bytes', 'loudness_lufs', 'true_peak_db', 'cover'];

/** An upload already on disk with a song row that knows nothing of it (as before analysis existed). */
async function legacyUpload(db: Db, file: Buffer, ext: string, title = 'Legacy'): Promise<number> {
  const name = `${crypto.randomBytes(16).toString('hex')}.${ext}`;
  fs.mkdirSync(testConfig.uploadDir, { recursive: true });
  fs.writeFileSync(path.join(testConfig.uploadDir, name), file);
  return insertSong(db, { title, artist: 'Someone', url: `/media/uploads/${name}` });
}

async function inGenre(db: Db, genre: TestGenre, ids: number[]) {
  await db.transaction((trx) => applyMembershipChanges(trx, { add: ids.map((id) => [genre.genreId, id] as const) }));
}

describe('audio analysis', () => {
  it('when demo songs are analyzed, then they stream a rendered AAC copy, measured, with the original WAV’s figures, and the WAV is still there', async () => {
    const genre = await makeGenre(t.db);
    const seeds = ['weed-groovin-07', 'lsd-calm-02'];
    const ids = await Promise.all(
      seeds.map((seed) => insertSong(t.db, { title: seed, artist: 'Demo', url: demoTrackUrl(seed), durationSeconds: demoTrackDuration(seed) })),
    );
    await inGenre(t.db, genre, ids);
    const report = await audioServiceFor(testConfig, t.db).analyzeAll();
    expect(report).toEqual({ total: 2, done: 2, failed: [], measured: true });

    const rows = await t.db('songs').orderBy('id').select(AUDIO_COLUMNS);
    for (const [i, seed] of seeds.entries()) {
      expect(rows[i]).toMatchObject({
        stream_url: `/media/demo/${seed}.m4a`,
        duration_seconds: demoTrackDuration(seed),
        bit_rate: 353,
        cover: null,
      });
      expect(Number(rows[i].size_bytes)).toBe(44 + demoTrackDuration(seed) * 22050 * 2);
      // The synthesizer masters to a −3 dBFS peak; heard on two speakers its styles sit between −20 and −8 LUFS.
      expect(Number(rows[i].loudness_lufs)).toBeGreaterThan(-20);
      expect(Number(rows[i].loudness_lufs)).toBeLessThan(-8);
      expect(Number(rows[i].true_peak_db)).toBeCloseTo(-3, 0);
    }
    const app = createTestApp(t.db);
    const { body } = await request(app).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(body.songs.map((s: { url: string }) => s.url).sort()).toEqual(seeds.map((s) => `/media/demo/${s}.m4a`).sort());
    expect(body.songs.every((s: { gainDb: number }) => typeof s.gainDb === 'number')).toBe(true);
    const m4a = await bytesOf(request(app).get('/media/demo/weed-groovin-07.m4a')).expect(200).expect('Content-Type', 'audio/mp4');
    const { format } = await parseBuffer(m4a.body as Buffer, { mimeType: 'audio/mp4' }, { duration: true });
    expect(format.duration).toBeCloseTo(demoTrackDuration('weed-groovin-07'), 0);
    await request(app).get('/media/demo/weed-groovin-07.m4a').set('Range', 'bytes=0-99').expect(206);
    await request(app).get('/media/demo/weed-groovin-07.wav').set('Range', 'bytes=0-3').expect(206).expect('Content-Type', 'audio/wav');
    await request(app).get('/media/demo/weed-groovin-99.m4a').expect(404);
  });

  it('when uploads from before analysis are analyzed, then they get their figures, loudness, cover, and a FLAC its copy', async () => {
    const mp3 = await legacyUpload(t.db, taggedMp3({ title: 'T', artist: 'A', album: 'B', year: 2001, track: 1 }, { cover: jpegCover() }), 'mp3');
    const flac = await legacyUpload(t.db, flacOf(demoWavAt('shrooms-space-03', -10)), 'flac');
    const report = await audioServiceFor(testConfig, t.db).analyzeAll();
    expect(report).toMatchObject({ total: 2, done: 2, failed: [] });
    const [a, b] = await t.db('songs').whereIn('id', [mp3, flac]).orderBy('id').select(AUDIO_COLUMNS);
    expect(a).toMatchObject({ duration_seconds: 4, bit_rate: 128, stream_url: null });
    expect(a.cover).toMatch(/^[0-9a-f]{32}\.jpg$/);
    expect(Number(a.loudness_lufs)).toBeCloseTo(-19.2, 0);
    expect(b.stream_url).toBe(b.url.replace(/\.flac$/, '.m4a'));
    expect(b.duration_seconds).toBe(demoTrackDuration('shrooms-space-03'));
    expect(fs.existsSync(path.join(testConfig.uploadDir, path.basename(b.stream_url)))).toBe(true);
    expect(Number(b.loudness_lufs)).toBeLessThan(-25);

    // Nothing is left to do; --all measures every one again.
    expect(await audioServiceFor(testConfig, t.db).analyzeAll()).toMatchObject({ total: 0, done: 0 });
    await t.db('songs').where('id', mp3).update({ loudness_lufs: 0 });
    expect(await audioServiceFor(testConfig, t.db).analyzeAll({ all: true })).toMatchObject({ total: 2, done: 2 });
    expect(Number((await t.db('songs').where('id', mp3).first('loudness_lufs')).loudness_lufs)).toBeCloseTo(-19.2, 0);
  });

  it('when a song is hosted elsewhere, then it is never analyzed; when an upload’s file is missing, then that song fails by name and the rest go on', async () => {
    const elsewhere = await insertSong(t.db, { title: 'Elsewhere', artist: 'X', url: 'https://elsewhere.test/a.mp3' });
    const lost = await insertSong(t.db, { title: 'Lost', artist: 'X', url: `/media/uploads/${'0'.repeat(32)}.mp3` });
    const fine = await legacyUpload(t.db, taggedMp3({ title: 'T', artist: 'A', album: 'B', year: 2001, track: 1 }), 'mp3');
    const report = await audioServiceFor(testConfig, t.db).analyzeAll();
    expect(report.total).toBe(2);
    expect(report.done).toBe(1);
    expect(report.failed).toEqual([{ id: lost, title: 'Lost', url: `/media/uploads/${'0'.repeat(32)}.mp3`, reason: expect.stringContaining('no such file') }]);
    expect(await t.db('songs').where('id', elsewhere).first('loudness_lufs', 'size_bytes')).toEqual({ loudness_lufs: null, size_bytes: null });
    expect((await t.db('songs').where('id', fine).first('loudness_lufs')).loudness_lufs).not.toBeNull();
  });

  it('when an upload cannot be decoded, then its size is still kept and it is reported by name as not measured', async () => {
    const broken = await legacyUpload(t.db, Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00'), Buffer.alloc(4096, 7)]), 'mp3', 'Broken');
    const report = await audioServiceFor(testConfig, t.db).analyzeAll();
    expect(report.failed).toEqual([{ id: broken, title: 'Broken', url: expect.any(String), reason: 'ffmpeg could not decode it: loudness not measured' }]);
    const row = await t.db('songs').where('id', broken).first('size_bytes', 'loudness_lufs');
    expect([Number(row.size_bytes), row.loudness_lufs]).toEqual([4106, null]);
  });

  it('when ffmpeg is missing, then the figures are still filled in, loudness waits, and the report says so', async () => {
    const demo = await insertSong(t.db, { title: 'Demo', artist: 'Demo', url: demoTrackUrl('ecstasy-dance-05') });
    const config = { ...testConfig, ffmpegPath: '/nonexistent/ffmpeg', demoAudioDir: path.join(testConfig.demoAudioDir, 'none') };
    const report = await audioServiceFor(config, t.db).analyzeAll();
    expect(report).toMatchObject({ done: 1, failed: [], measured: false });
    expect(await t.db('songs').where('id', demo).first('stream_url', 'loudness_lufs', 'bit_rate', 'duration_seconds')).toEqual({
      stream_url: null,
      loudness_lufs: null,
      bit_rate: 353,
      duration_seconds: demoTrackDuration('ecstasy-dance-05'),
    });
  });

  it('when an admin imports songs whose audio is ours, then they are measured like uploads; songs elsewhere are left alone', async () => {
    const genre = await makeGenre(t.db);
    const app = createTestApp(t.db);
    const { agent } = await adminAgent(app, t.db);
    const csrf = await csrfFrom(agent, '/admin/import');
    const csv = [
      'title,artist,url,drug,mood',
      `Demo,D,/media/demo/weed-chill-09.wav,${genre.drugSlug},${genre.moodSlug}`,
      `Away,E,https://x.test/1.mp3,${genre.drugSlug},${genre.moodSlug}`,
    ];
    await agent
      .post('/admin/import')
      .field('_csrf', csrf)
      .attach('file', Buffer.from(csv.join('\n')), 'songs.csv')
      .expect(200);
    expect(await t.db('songs').orderBy('title').select('title', 'stream_url')).toEqual([
      { title: 'Away', stream_url: null },
      { title: 'Demo', stream_url: '/media/demo/weed-chill-09.m4a' },
    ]);
  });

  it('when the server starts, then demo songs whose render is already made take it before it listens, and the rest are rendered in the background', async () => {
    const rendered = 'lsd-trippy-03';
    await audioServiceFor(testConfig, t.db).analyzeAll(); // nothing yet: makes no render
    await insertSong(t.db, { title: 'Rendered', artist: 'D', url: demoTrackUrl(rendered) });
    await audioServiceFor(testConfig, t.db).analyzeAll(); // the render of `rendered` exists from now on
    await t.db('songs').update({ stream_url: null, loudness_lufs: null });
    const later = await insertSong(t.db, { title: 'Later', artist: 'D', url: demoTrackUrl('lsd-trippy-04') });
    fs.rmSync(path.join(testConfig.demoAudioDir, 'lsd-trippy-04.json'), { force: true });

    const config = {
      ...loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrlOf(t.config), SEED_DEMO: 'false' }),
      uploadDir: testConfig.uploadDir,
      demoAudioDir: testConfig.demoAudioDir,
    };
    await prepareDatabase(config, createLogger('silent'));
    expect(await t.db('songs').orderBy('id').pluck('stream_url')).toEqual([`/media/demo/${rendered}.m4a`, null]);

    const job = startDemoRendering(config, createLogger('silent'));
    try {
      await waitFor(async () => ((await t.db('songs').where('id', later).first('stream_url')).stream_url ? true : undefined), { timeoutMs: 20_000 });
    } finally {
      await job.stop();
    }
    expect((await t.db('songs').where('id', later).first('loudness_lufs')).loudness_lufs).not.toBeNull();
  });
});

describe('npm run audio:analyze', () => {
  const config = testDatabaseConfig('_cli_audio');
  let db: Db;
  const env = { UPLOAD_DIR: testConfig.uploadDir, DEMO_AUDIO_DIR: testConfig.demoAudioDir };

  beforeAll(async () => {
    await forgetDatabase(config);
    db = await createDb(config);
    await migrateLatest(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await forgetDatabase(config);
  });

  it('when run, then every held song has loudness, duration, bit rate and size, and it says what it did', async () => {
    await insertSong(db, { title: 'Demo', artist: 'D', url: demoTrackUrl('weed-thug-life-02') });
    await legacyUpload(db, demoWavAt('weed-thug-life-03', -4), 'wav', 'Wave');
    await insertSong(db, { title: 'Away', artist: 'E', url: 'https://x.test/away.mp3' });
    const result = await runCli('src/audio/analyze.cli.ts', [], config, env);
    expect(result.stdout).toContain('Held songs needing analysis: 2');
    expect(result.stdout).toContain('Brought up to date:          2');
    expect(result.code).toBe(0);
    const held = await db('songs').where('url', 'like', '/media/%').select(AUDIO_COLUMNS);
    expect(held).toHaveLength(2);
    for (const song of held) {
      for (const column of ['loudness_lufs', 'true_peak_db', 'duration_seconds', 'bit_rate', 'size_bytes', 'stream_url'])
        expect(song[column], column).not.toBeNull();
    }
    const again = await runCli('src/audio/analyze.cli.ts', [], config, env);
    expect(again.stdout).toContain('Held songs needing analysis: 0');
    expect(again.code).toBe(0);
  }, 60_000);

  it('when npm run import adds songs whose audio is ours, then they are measured after the import', async () => {
    const genre = await makeGenre(db);
    const csv = path.join(testConfig.uploadDir, `import-${process.pid}.csv`);
    fs.writeFileSync(csv, ['title,artist,url,drug,mood', `Imported,I,/media/demo/ecstasy-floored-09.wav,${genre.drugSlug},${genre.moodSlug}`].join('\n'));
    const result = await runCli('src/import/import.cli.ts', [csv], config, env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Measured:        1 of 1 songs whose audio is ours');
    expect(await db('songs').where('title', 'Imported').first('stream_url')).toEqual({ stream_url: '/media/demo/ecstasy-floored-09.m4a' });
    fs.rmSync(csv);
  }, 60_000);

  it('when a song fails or ffmpeg is missing, then it exits 1 saying why; a wrong argument exits 2', async () => {
    await insertSong(db, { title: 'Gone', artist: 'G', url: `/media/uploads/${'f'.repeat(32)}.mp3` });
    const failed = await runCli('src/audio/analyze.cli.ts', [], config, env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/song \d+ “Gone” \(\/media\/uploads\/f{32}\.mp3\): .*no such file/);
    await db('songs').where('title', 'Gone').delete();
    await insertSong(db, { title: 'Demo 2', artist: 'D', url: demoTrackUrl('weed-thug-life-05') });
    const without = await runCli('src/audio/analyze.cli.ts', [], config, { ...env, FFMPEG_PATH: '/nonexistent/ffmpeg' });
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('ffmpeg was not found');
    expect((await runCli('src/audio/analyze.cli.ts', ['--everything'], config, env)).code).toBe(2);
  }, 60_000);
});
