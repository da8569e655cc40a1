// What apps learn of a song's audio: its OpenSubsonic replayGain (track gain and peak), its track
// number, figures for every held song, the compressed copy `stream` sends (and `download`'s
// original), and its own cover as getCoverArt draws it — every answer checked against the schemas.
import { describe, expect, it } from 'vitest';
import { adminAgent } from '../helpers/admin.js';
import { demoWavAt, flacOf, jpegCover, taggedMp3 } from '../helpers/audio-files.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { csrfFrom } from '../helpers/session.js';
import { subsonicListener } from '../helpers/subsonic.js';
import { useSubsonicSchemas } from '../helpers/subsonic-schema.js';

const t = useTestDb();
useSubsonicSchemas();

async function setup() {
  const genre = await makeGenre(t.db);
  const app = await subsonicListener(t.db);
  const { agent } = await adminAgent(app.app, t.db);
  const csrf = await csrfFrom(agent, '/admin/songs/new');
  const upload = (file: Buffer, name: string, fields: Record<string, string>) =>
    agent
      .post('/admin/songs')
      .field({ _csrf: csrf, source: 'upload', genreIds: String(genre.genreId), ...fields })
      .attach('audio', file, name)
      .expect(303);
  return { genre, app, upload };
}

const pngWidth = (png: Buffer) => png.readUInt32BE(16);

/** getCoverArt's PNG, as bytes. */
async function coverArt(app: { url: string; username: string; appPassword: string }, id: string, size: number): Promise<Buffer> {
  const res = await fetch(`${app.url}/rest/getCoverArt?u=${app.username}&p=${app.appPassword}&v=1.16.1&c=test&id=${encodeURIComponent(id)}&size=${size}`);
  expect(res.headers.get('content-type')).toBe('image/png');
  return Buffer.from(await res.arrayBuffer());
}

describe('Subsonic: loudness, figures and covers', () => {
  it('when a measured song with a cover and a track number is asked for, then apps get its replayGain, track, figures and own cover', async () => {
    const { app, upload } = await setup();
    await upload(taggedMp3({ title: 'Covered', artist: 'Lo Tide', album: 'Tapes', year: 2020, track: 3 }, { seconds: 5, cover: jpegCover() }), 'c.mp3', {
      title: 'Covered',
      artist: 'Lo Tide',
      album: 'Tapes',
      track: '3',
    });
    const row = await t.db('songs').where('title', 'Covered').first();
    const song = (await app.both('getSong', { id: row.id })).song;
    expect(song).toMatchObject({
      id: String(row.id),
      track: 3,
      duration: 5,
      bitRate: 128,
      size: Number(row.size_bytes),
      suffix: 'mp3',
      coverArt: String(row.id),
      replayGain: {
        trackGain: Math.round((-18 - Number(row.loudness_lufs)) * 100) / 100,
        trackPeak: expect.closeTo(10 ** (Number(row.true_peak_db) / 20), 5),
      },
    });
    expect(song).not.toHaveProperty('transcodedSuffix');

    // The cover is the song's own picture, drawn at the size asked; its album shows it too.
    const own = await coverArt(app, song.coverArt, 100);
    expect(pngWidth(own)).toBe(100);
    expect(own.equals(await coverArt(app, 'drug-default', 100))).toBe(false);
    const album = (await app.both('getAlbum', { id: song.albumId })).album;
    expect((await coverArt(app, album.coverArt, 100)).equals(own)).toBe(true);
  });

  it('when a FLAC with its compressed copy is streamed, then stream sends the AAC and download the FLAC, as transcodedSuffix says', async () => {
    const { app, upload } = await setup();
    const flac = flacOf(demoWavAt('lsd-calm-06', -3));
    await upload(flac, 'calm.flac', { title: 'Lossless', artist: 'Prism Pilot' });
    const row = await t.db('songs').where('title', 'Lossless').first();
    const song = (await app.both('search3', { query: 'Lossless' })).searchResult3.song[0];
    expect(song).toMatchObject({
      suffix: 'flac',
      contentType: 'audio/flac',
      transcodedSuffix: 'm4a',
      transcodedContentType: 'audio/mp4',
      size: flac.length,
      duration: Number(row.duration_seconds),
      replayGain: { trackGain: expect.any(Number), trackPeak: expect.any(Number) },
    });
    const auth = `u=${app.username}&p=${app.appPassword}&v=1.16.1&c=test`;
    const streamed = await fetch(`${app.url}/rest/stream?${auth}&id=${row.id}`);
    expect(streamed.headers.get('content-type')).toBe('audio/mp4');
    expect((await streamed.arrayBuffer()).byteLength).toBeLessThan(flac.length);
    const downloaded = await fetch(`${app.url}/rest/download?${auth}&id=${row.id}`);
    expect(downloaded.headers.get('content-type')).toMatch(/^audio\/(x-)?flac$/);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(flac)).toBe(true);
  });

  it('when a song was never measured (hosted elsewhere), then its replayGain is there and empty, and its cover is its drug’s', async () => {
    const { app, genre } = await setup();
    const [id] = await makeSongs(t.db, genre.genreId, 1);
    for (const format of ['json', 'xml'] as const) {
      const answer = await app.call('getSong', { id }, { format });
      if (format === 'json') expect(answer.body.song).toMatchObject({ replayGain: {}, coverArt: `drug-${genre.drugSlug}` });
      else expect(answer.text).toMatch(/<song [^>]*><replayGain\/><\/song>/);
    }
    expect(pngWidth(await coverArt(app, `drug-${genre.drugSlug}`, 64))).toBe(64);
  });
});
