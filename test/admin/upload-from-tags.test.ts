import fs from 'node:fs';
import path from 'node:path';
import { parseBuffer } from 'music-metadata';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp, testConfig } from '../helpers/app.js';
import { demoWavAt, flacOf, jpegCover, taggedMp3 } from '../helpers/audio-files.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre } from '../helpers/factories.js';
import { attributeValue } from '../helpers/html.js';
import { type Agent, csrfFrom } from '../helpers/session.js';
import { bytesOf } from '../helpers/bytes.js';

const t = useTestDb();
const TAGS = { title: 'Velvet Porch', artist: 'Lo Tide', album: 'Sunday Tapes', year: 2019, track: 7 };
const pendingDir = path.join(testConfig.uploadDir, '.pending');
const pendingFiles = () => (fs.existsSync(pendingDir) ? fs.readdirSync(pendingDir) : []);

async function setup(config = {}) {
  const genre = await makeGenre(t.db);
  const app = createTestApp(t.db, { config });
  const { agent } = await adminAgent(app, t.db);
  const csrf = await csrfFrom(agent, '/admin/songs/new');
  return { app, agent, csrf, genre };
}

/** The upload step: the file posted to be read. */
const readFile = (agent: Agent, csrf: string, file: Buffer, name: string) =>
  agent.post('/admin/songs/upload').field('_csrf', csrf).field('step', 'read').attach('audio', file, name);

/** A field's value as the page shows it. */
function fieldValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  const value = input && /value="([^"]*)"/.exec(input)?.[1];
  return value === undefined ? undefined : attributeValue(value);
}

/** Width and height of a PNG, from its header. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

/** Confirms the form the upload step filled, with one genre. */
function confirm(agent: Agent, csrf: string, html: string, genreId: number, changes: Record<string, string> = {}) {
  const fields: Record<string, string> = {
    _csrf: csrf,
    source: 'pending',
    pending: fieldValue(html, 'pending')!,
    pendingName: fieldValue(html, 'pendingName')!,
    title: fieldValue(html, 'title')!,
    artist: fieldValue(html, 'artist')!,
    album: fieldValue(html, 'album')!,
    year: fieldValue(html, 'year')!,
    track: fieldValue(html, 'track')!,
    ...changes,
  };
  const req = agent.post('/admin/songs').type('form');
  return genreId ? req.send({ ...fields, genreIds: String(genreId) }) : req.send(fields);
}

describe('admin: uploads that fill themselves in', () => {
  it('when an MP3 with ID3 tags and a cover is read, then the form comes back filled from its tags, with its cover and figures', async () => {
    const { agent, csrf } = await setup();
    const res = await readFile(agent, csrf, taggedMp3(TAGS, { cover: jpegCover() }), 'velvet porch.mp3').expect(200);
    expect(fieldValue(res.text, 'title')).toBe('Velvet Porch');
    expect(fieldValue(res.text, 'artist')).toBe('Lo Tide');
    expect(fieldValue(res.text, 'album')).toBe('Sunday Tapes');
    expect(fieldValue(res.text, 'year')).toBe('2019');
    expect(fieldValue(res.text, 'track')).toBe('7');
    expect(res.text).toMatch(/<input type="radio" name="source" value="pending" checked>/);
    expect(res.text).toContain('Read from <strong>velvet porch.mp3</strong>: 0:04 · 128 kbit/s');
    const cover = /src="(\/admin\/songs\/pending\/[0-9a-f]{32}\.mp3\/cover)"/.exec(res.text)?.[1];
    expect(cover).toBeDefined();
    const image = await bytesOf(agent.get(cover!)).expect(200).expect('Content-Type', 'image/png');
    expect(pngSize(image.body as Buffer)).toEqual({ width: 160, height: 160 });
    // Nothing is in the catalog until the admin confirms.
    expect(await t.db('songs').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('when the admin confirms, then the song keeps the tags, its figures, its measured loudness and its cover as artwork', async () => {
    const { app, agent, csrf, genre } = await setup();
    const read = await readFile(agent, csrf, taggedMp3(TAGS, { seconds: 6, cover: jpegCover() }), 'velvet.mp3').expect(200);
    await confirm(agent, csrf, read.text, genre.genreId).expect(303);
    const song = await t.db('songs').where('title', 'Velvet Porch').first();
    expect(song).toMatchObject({ artist: 'Lo Tide', album: 'Sunday Tapes', year: 2019, track: 7, duration_seconds: 6, bit_rate: 128, stream_url: null });
    expect(song.url).toMatch(/^\/media\/uploads\/[0-9a-f]{32}\.mp3$/);
    expect(Number(song.size_bytes)).toBe(fs.statSync(path.join(testConfig.uploadDir, path.basename(song.url))).size);
    // A 440 Hz sine at ffmpeg's default amplitude (1/8, −18 dBFS): −21 dB RMS, +3 LU as dual mono,
    // less R128's −0.691 and the K-weighting's slight cut at 440 Hz: −19.2 LUFS.
    expect(Number(song.loudness_lufs)).toBeCloseTo(-19.2, 0);
    expect(Number(song.true_peak_db)).toBeGreaterThan(-19);
    expect(Number(song.true_peak_db)).toBeLessThan(-17.5);
    expect(song.cover).toMatch(/^[0-9a-f]{32}\.jpg$/);
    expect(pendingFiles()).not.toContain(fieldValue(read.text, 'pending'));

    // The API plays it with its artwork, turned up to the player's target within its headroom.
    const api = await request(app).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    const [track] = api.body.songs;
    expect(track.artwork).toBe(`/media/covers/${song.cover}?size=256`);
    expect(track.gainDb).toBeCloseTo(-14 - Number(song.loudness_lufs), 1);
    const art = await bytesOf(request(app).get(track.artwork)).expect(200).expect('Content-Type', 'image/png');
    expect(art.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(pngSize(art.body as Buffer)).toEqual({ width: 256, height: 256 });
    await request(app).get(track.artwork).set('If-None-Match', art.headers.etag!).expect(304);
    const small = await bytesOf(request(app).get(`/media/covers/${song.cover}?size=64`)).expect(200);
    expect(pngSize(small.body as Buffer)).toEqual({ width: 64, height: 64 });
  });

  it('when the admin changes what the tags said, then the song has the admin’s words', async () => {
    const { agent, csrf, genre } = await setup();
    const read = await readFile(agent, csrf, taggedMp3(TAGS), 'x.mp3').expect(200);
    await confirm(agent, csrf, read.text, genre.genreId, { title: 'Velvet Porch (Edit)', track: '' }).expect(303);
    expect(await t.db('songs').first('title', 'track', 'cover')).toEqual({ title: 'Velvet Porch (Edit)', track: null, cover: null });
  });

  it('when a file has no tags, then its file name becomes the title and the admin fills in the rest', async () => {
    const { agent, csrf } = await setup();
    const res = await readFile(agent, csrf, demoWavAt('weed-chill-03', 0), 'Hazy Porch.wav').expect(200);
    expect(fieldValue(res.text, 'title')).toBe('Hazy Porch');
    expect(fieldValue(res.text, 'artist')).toBe('');
    expect(res.text).toContain(', lossless.');
    expect(res.text).not.toContain('/cover"');
  });

  it('when the confirmed form is refused, then it comes back with the file still shown, and nothing is added until it is right', async () => {
    const { agent, csrf, genre } = await setup();
    const read = await readFile(agent, csrf, taggedMp3(TAGS, { cover: jpegCover() }), 'velvet.mp3').expect(200);
    const refused = await confirm(agent, csrf, read.text, 0).expect(400);
    expect(refused.text).toContain('Genres: pick at least one genre');
    expect(refused.text).toContain('Read from <strong>velvet.mp3</strong>');
    expect(fieldValue(refused.text, 'title')).toBe('Velvet Porch');
    expect(fieldValue(refused.text, 'pending')).toBe(fieldValue(read.text, 'pending'));
    expect(await t.db('songs').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    await confirm(agent, csrf, refused.text, genre.genreId).expect(303);
    expect(await t.db('songs').first('title', 'cover')).toMatchObject({ title: 'Velvet Porch', cover: expect.stringMatching(/\.jpg$/) });
  });

  it('when the file read earlier is gone or was never there, then 400 on the audio field and no song', async () => {
    const { agent, csrf, genre } = await setup();
    const read = await readFile(agent, csrf, taggedMp3(TAGS), 'x.mp3').expect(200);
    for (const name of pendingFiles()) fs.rmSync(path.join(pendingDir, name));
    const gone = await confirm(agent, csrf, read.text, genre.genreId).expect(400);
    expect(gone.text).toContain('Audio file the file read earlier is gone: upload it again');
    const forged = await confirm(agent, csrf, read.text, genre.genreId, { pending: '../../etc/passwd' }).expect(400);
    expect(forged.text).toContain('Audio file is not a file read here: upload it again');
    expect(await t.db('songs').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('when the file at the upload step is not audio, then 415 on the upload step’s own field and nothing is kept', async () => {
    const { agent, csrf } = await setup();
    const before = pendingFiles().length;
    const res = await readFile(agent, csrf, Buffer.from('<!doctype html><script>alert(1)</script>'), 'song.mp3').expect(415);
    expect(res.text).toContain('id="field-read-audio-error">Audio file must be an audio file');
    expect(pendingFiles()).toHaveLength(before);
    await readFile(agent, csrf, Buffer.alloc(0), '').expect(400);
  });
});

describe('admin: lossless uploads are streamed compressed', () => {
  it('when a FLAC is added, then listeners stream its AAC copy, of the same length, and apps can still download the FLAC', async () => {
    const { app, agent, csrf, genre } = await setup();
    const flac = flacOf(demoWavAt('lsd-calm-04', -6));
    const read = await readFile(agent, csrf, flac, 'calm.flac').expect(200);
    await confirm(agent, csrf, read.text, genre.genreId, { artist: 'Prism Pilot' }).expect(303);
    const song = await t.db('songs').first();
    expect(song.url).toMatch(/^\/media\/uploads\/[0-9a-f]{32}\.flac$/);
    expect(song.stream_url).toBe(song.url.replace(/\.flac$/, '.m4a'));

    const api = await request(app).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(api.body.songs[0].url).toBe(song.stream_url);
    const copy = await bytesOf(request(app).get(song.stream_url)).expect(200);
    expect(copy.headers['content-type']).toBe('audio/mp4');
    const { format } = await parseBuffer(copy.body as Buffer, { mimeType: 'audio/mp4' }, { duration: true });
    expect(format.codec).toMatch(/AAC/);
    expect(format.duration).toBeCloseTo(Number(song.duration_seconds), 0);
    // 64 kbit/s for the demo's one channel.
    expect(format.bitrate! / 1000).toBeCloseTo(64, -1);
    const original = await bytesOf(request(app).get(song.url)).expect(200);
    expect((original.body as Buffer).equals(flac)).toBe(true);
  });

  it('when a song is deleted, then its upload, its compressed copy and its cover go with it', async () => {
    const { agent, csrf, genre } = await setup();
    const read = await readFile(agent, csrf, flacOf(demoWavAt('lsd-calm-05', 0)), 'calm.flac').expect(200);
    await confirm(agent, csrf, read.text, genre.genreId, { artist: 'Prism Pilot' }).expect(303);
    const song = await t.db('songs').first();
    const mp3 = await readFile(agent, csrf, taggedMp3(TAGS, { cover: jpegCover() }), 'x.mp3').expect(200);
    await confirm(agent, csrf, mp3.text, genre.genreId).expect(303);
    const covered = await t.db('songs').where('title', 'Velvet Porch').first();
    const files = [song.url, song.stream_url, covered.url].map((url: string) => path.join(testConfig.uploadDir, path.basename(url)));
    files.push(path.join(testConfig.uploadDir, covered.cover));
    expect(files.every((f) => fs.existsSync(f))).toBe(true);
    for (const id of [song.id, covered.id]) await agent.post(`/admin/songs/${id}/delete`).type('form').send({ _csrf: csrf }).expect(303);
    expect(files.filter((f) => fs.existsSync(f))).toEqual([]);
  });
});

describe('admin: without ffmpeg', () => {
  it('when ffmpeg is not installed, then uploads still work with their tags, figures and cover, and the admin sees loudness not measured', async () => {
    const { app, agent, csrf, genre } = await setup({ ffmpegPath: '/nonexistent/ffmpeg' });
    const read = await readFile(agent, csrf, taggedMp3(TAGS, { cover: jpegCover() }), 'velvet.mp3').expect(200);
    expect(read.text).toContain('ffmpeg is not installed here');
    await confirm(agent, csrf, read.text, genre.genreId).expect(303);
    const wav = await readFile(agent, csrf, demoWavAt('weed-chill-04', 0), 'wave.wav').expect(200);
    await confirm(agent, csrf, wav.text, genre.genreId, { artist: 'Couchlock' }).expect(303);
    const songs = await t.db('songs').orderBy('id').select('title', 'duration_seconds', 'bit_rate', 'size_bytes', 'loudness_lufs', 'stream_url', 'cover');
    expect(songs[0]).toMatchObject({ title: 'Velvet Porch', duration_seconds: 4, bit_rate: 128, loudness_lufs: null, stream_url: null });
    expect(songs[0].cover).toMatch(/\.jpg$/);
    expect(songs[1]).toMatchObject({ title: 'wave', loudness_lufs: null, stream_url: null, bit_rate: 353 });
    const list = await agent.get('/admin/songs').expect(200);
    expect(list.text).toContain('ffmpeg is not installed');
    expect(list.text.match(/<td data-loudness>loudness not measured<\/td>/g)).toHaveLength(2);
    const api = await request(app).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(api.body.songs.map((s: { gainDb: number | null }) => s.gainDb)).toEqual([null, null]);
  });
});
