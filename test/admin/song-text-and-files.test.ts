// Text that survives and files that tell: control characters are refused at every write (the song
// form, the import, renames) and cleaned from what was stored before; an uploaded song's length,
// size and bit rate are read from its file.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createImportRepository } from '../../src/import/import.repository.js';
import { runImport } from '../../src/import/import.service.js';
import { csvRows } from '../../src/import/import.sources.js';
import { demoTrackDuration, renderDemoTrack } from '../../src/media/demo-synth.js';
import { up as cleanControlCharacters } from '../../migrations/20261210000018_clean_control_characters.js';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { csrfFrom, registerAs } from '../helpers/session.js';

const t = useTestDb();

async function admin() {
  const genre = await makeGenre(t.db);
  const app = createTestApp(t.db);
  const { agent } = await adminAgent(app, t.db);
  return { app, agent, genre, csrf: await csrfFrom(agent, '/admin/songs/new') };
}

describe('control characters', () => {
  it.each([
    ['title', 'Bell\u0007 song'],
    ['artist', 'Tab\tArtist'],
    ['album', 'Line\nbreak'],
    ['title', 'Nul\u0000'],
  ])('when the song form’s %s holds a control character, then it is shown again with a clear message and nothing is saved', async (field, value) => {
    const { agent, csrf, genre } = await admin();
    const res = await agent
      .post('/admin/songs')
      .type('form')
      .send({
        _csrf: csrf,
        source: 'url',
        title: 'Fine',
        artist: 'Fine',
        url: 'https://cdn.example.com/a.mp3',
        genreIds: String(genre.genreId),
        [field]: value,
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain('must not contain control characters');
    expect(res.text).toContain('value="https://cdn.example.com/a.mp3"');
    expect(await t.db('songs').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('when an edit would put a control character in a title, then the song keeps its title', async () => {
    const { agent, csrf, genre } = await admin();
    const [id] = await makeSongs(t.db, genre.genreId, 1);
    const before = await t.db('songs').where('id', id!).first('title', 'url');
    const res = await agent
      .post(`/admin/songs/${id}`)
      .type('form')
      .send({ _csrf: csrf, source: 'keep', title: 'Esc\u001b[31m', artist: 'Someone', genreIds: String(genre.genreId) });
    expect(res.status).toBe(400);
    expect((await t.db('songs').where('id', id!).first('title')).title).toBe(before.title);
  });

  it('when an import line holds a control character, then that line is refused with the reason and the others land', async () => {
    const genre = await makeGenre(t.db);
    const csv = [
      'title,artist,url,drug,mood',
      `Clean,A,https://x.test/1.mp3,${genre.drugSlug},${genre.moodSlug}`,
      `"Dirty\u0001",B,https://x.test/2.mp3,${genre.drugSlug},${genre.moodSlug}`,
    ].join('\n');
    const report = await runImport(createImportRepository(t.db), csvRows(Readable.from([csv])));
    expect(report).toMatchObject({ imported: 1, rejected: 1 });
    expect(report.rejections[0]!.reason).toMatch(/title must not contain control characters/);
  });

  it('when a playlist is renamed with a control character, then the name is refused and kept', async () => {
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    const csrf = await csrfFrom(agent, '/my/playlists');
    await agent.post('/my/playlists').type('form').send({ _csrf: csrf, name: 'Mine' }).expect(303);
    const { id } = await t.db('user_playlists').first('id');
    const res = await agent.post(`/my/playlists/${id}/rename`).type('form').send({ _csrf: csrf, name: 'Mine\u0085 too' });
    expect(res.status).toBe(400);
    expect((await t.db('user_playlists').first('name')).name).toBe('Mine');
  });

  it('when stored text holds control characters from before, then the migration turns each run into a space and leaves clean rows alone', async () => {
    const genre = await makeGenre(t.db);
    const [dirty, clean, empty] = await makeSongs(t.db, genre.genreId, 3);
    await t.db('songs').where('id', dirty!).update({ title: 'Line\n\nbreak\u0007', artist: '\u001bAnsi', album: '\u0000' });
    await t.db('songs').where('id', empty!).update({ title: '\u0001\u0002' });
    const untouched = await t.db('songs').where('id', clean!).first('title', 'updated_at');
    await t.db('drugs').where('id', genre.drugId).update({ description: 'Tab\there' });
    await cleanControlCharacters(t.db);
    expect(await t.db('songs').where('id', dirty!).first('title', 'artist', 'album')).toEqual({ title: 'Line break', artist: 'Ansi', album: null });
    expect((await t.db('songs').where('id', empty!).first('title')).title).toBe('Untitled');
    expect(await t.db('songs').where('id', clean!).first('title', 'updated_at')).toEqual(untouched);
    expect((await t.db('drugs').where('id', genre.drugId).first('description')).description).toBe('Tab here');
  });
});

describe('an uploaded song’s file', () => {
  it('when an admin uploads audio, then its length, size and bit rate are read from the file and stored', async () => {
    const { agent, csrf, genre } = await admin();
    const wav = renderDemoTrack('lsd-calm-01');
    const res = await agent
      .post('/admin/songs')
      .field('_csrf', csrf)
      .field('title', 'Measured')
      .field('artist', 'Someone')
      .field('source', 'upload')
      .field('genreIds', String(genre.genreId))
      .attach('audio', wav, 'measured.wav');
    expect(res.status).toBe(303);
    const song = await t.db('songs').where('title', 'Measured').first('duration_seconds', 'size_bytes', 'bit_rate');
    expect(Number(song.size_bytes)).toBe(wav.length);
    expect(Number(song.duration_seconds)).toBe(demoTrackDuration('lsd-calm-01'));
    expect(Number(song.bit_rate)).toBe(353); // 22,050 Hz × 16 bits, one channel
  });
});
