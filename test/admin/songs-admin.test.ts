import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { renderDemoTrack } from '../../src/media/demo-synth.js';
import { checkGenres } from '../../src/playlists/check.js';
import { createPlaylistRepository } from '../../src/playlists/playlist.repository.js';
import { createPlaylistService } from '../../src/playlists/playlist.service.js';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp, testConfig } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { csrfFrom, registerAs, type Agent } from '../helpers/session.js';

const t = useTestDb();
const uploadsOnDisk = () => (fs.existsSync(testConfig.uploadDir) ? fs.readdirSync(testConfig.uploadDir) : []);
const songCount = async () => Number((await t.db('songs').count({ n: '*' }).first())!.n);

async function setup() {
  const genre = await makeGenre(t.db);
  const other = await makeGenre(t.db, { drugId: genre.drugId });
  const app = createTestApp(t.db);
  const { agent } = await adminAgent(app, t.db);
  const csrf = await csrfFrom(agent, '/admin/songs/new');
  return { app, agent, csrf, genre, other };
}

const addByUrl = (agent: Agent, csrf: string, fields: Record<string, string | string[]>) =>
  agent
    .post('/admin/songs')
    .type('form')
    .send({ _csrf: csrf, source: 'url', ...fields });

function addByUpload(agent: Agent, csrf: string, genreId: number, file: Buffer, name: string) {
  return agent
    .post('/admin/songs')
    .field('_csrf', csrf)
    .field('title', 'Uploaded')
    .field('artist', 'Someone')
    .field('source', 'upload')
    .field('genreIds', String(genreId))
    .attach('audio', file, name);
}

describe('admin: roles', () => {
  it('when anyone but an admin opens an admin songs route, then anonymous → login and users → 403', async () => {
    const { app, genre } = await setup();
    const [songId] = await makeSongs(t.db, genre.genreId, 1);
    const { agent: user } = await registerAs(app);
    const userCsrf = await csrfFrom(user, '/account');
    const routes: [string, string][] = [
      ['get', '/admin/songs'],
      ['get', '/admin/songs/new'],
      ['post', '/admin/songs'],
      ['get', `/admin/songs/${songId}/edit`],
      ['post', `/admin/songs/${songId}`],
      ['get', `/admin/songs/${songId}/delete`],
      ['post', `/admin/songs/${songId}/delete`],
      ['get', '/admin/import'],
      ['post', '/admin/import'],
    ];
    for (const [method, path] of routes) {
      const anonymous = await (request(app) as unknown as Record<string, (p: string) => request.Test>)[method]!(path);
      expect([path, anonymous.status, anonymous.headers.location]).toEqual([path, 303, `/login?next=${encodeURIComponent(method === 'get' ? path : '/')}`]);
      const plain = await (user as unknown as Record<string, (p: string) => request.Test>)[method]!(path).type('form').send({ _csrf: userCsrf });
      expect([path, plain.status]).toEqual([path, 403]);
    }
    expect(await songCount()).toBe(1);
  });
});

describe('admin: songs', () => {
  it('when an admin adds a song by URL, then it is saved with its genres and can be drawn at once', async () => {
    const { app, agent, csrf, genre, other } = await setup();
    const res = await addByUrl(agent, csrf, {
      title: 'Brand New',
      artist: 'Fresh Band',
      album: 'Debut',
      year: '2024',
      url: 'https://cdn.example.com/new.mp3',
      genreIds: [String(genre.genreId), String(other.genreId)],
    });
    expect(res.status).toBe(303);
    const list = await agent.get(res.headers.location!).expect(200);
    expect(list.text).toContain('Added “Brand New”');
    const drawn = await request(app).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(drawn.body.songs.map((s: { title: string }) => s.title)).toEqual(['Brand New']);
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it.each([
    [{ url: 'javascript:alert(1)' }, 'Audio URL (http or https) must be an http:// or https:// URL'],
    [{ url: 'data:audio/wav;base64,AAAA' }, 'must be an http:// or https:// URL'],
    [{ url: '' }, 'Audio URL (http or https) is required'],
    [{ title: '' }, 'Title is required'],
    [{ genreIds: [] }, 'Genres: pick at least one genre'],
    [{ year: 'soon' }, 'Year (optional) must be a year'],
  ])('when the form holds %o, then it is shown again with the message and the values kept, and nothing is saved', async (bad, message) => {
    const { agent, csrf, genre } = await setup();
    const res = await addByUrl(agent, csrf, {
      title: 'Kept Title',
      artist: 'Kept Artist',
      url: 'https://cdn.example.com/ok.mp3',
      genreIds: [String(genre.genreId)],
      ...bad,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain('value="Kept Artist"');
    expect(await songCount()).toBe(0);
  });

  it('when an admin uploads a WAV, then it is stored under a generated name and served as audio with ranges', async () => {
    const { app, agent, csrf, genre } = await setup();
    const before = uploadsOnDisk().length;
    const res = await addByUpload(agent, csrf, genre.genreId, renderDemoTrack('lsd-calm-01'), '../../etc/passwd.wav');
    expect(res.status).toBe(303);
    const song = await t.db('songs').where('title', 'Uploaded').first();
    expect(song.url).toMatch(/^\/media\/uploads\/[0-9a-f]{32}\.wav$/);
    // The original, and the compressed copy listeners stream.
    expect(uploadsOnDisk().length).toBe(before + 2);
    expect(song.stream_url).toBe(song.url.replace(/\.wav$/, '.m4a'));
    const audio = await request(app).get(song.url).set('Range', 'bytes=0-11').expect(206);
    expect(audio.headers['content-type']).toMatch(/^audio\/(wav|x-wav|wave)/);
    expect(audio.headers['x-content-type-options']).toBe('nosniff');
    expect(audio.headers['content-range']).toMatch(/^bytes 0-11\//);
  });

  it('when the upload is HTML posing as audio, then 415 with a field error, and no song row and no file', async () => {
    const { agent, csrf, genre } = await setup();
    const before = uploadsOnDisk().length;
    const res = await addByUpload(agent, csrf, genre.genreId, Buffer.from('<!doctype html><script>alert(1)</script>'), 'song.mp3');
    expect(res.status).toBe(415);
    expect(res.text).toContain('Audio file must be an audio file');
    expect(await songCount()).toBe(0);
    expect(uploadsOnDisk().length).toBe(before);
  });

  it('when the upload is too large, then 413 and nothing is saved', async () => {
    const genre = await makeGenre(t.db);
    const app = createTestApp(t.db, { config: { uploadMaxBytes: 1024 } });
    const { agent } = await adminAgent(app, t.db);
    const csrf = await csrfFrom(agent, '/admin/songs/new');
    const res = await addByUpload(agent, csrf, genre.genreId, renderDemoTrack('weed-chill-01'), 'big.wav');
    expect(res.status).toBe(413);
    expect(await songCount()).toBe(0);
  });

  it('when an admin edits a song’s genres, then its memberships move and every genre stays numbered 1..N', async () => {
    const { agent, csrf, genre, other } = await setup();
    await makeSongs(t.db, genre.genreId, 5);
    const [songId] = await makeSongs(t.db, genre.genreId, 1);
    const form = await agent.get(`/admin/songs/${songId}/edit`).expect(200);
    expect(form.text).toMatch(new RegExp(`value="${genre.genreId}" checked`));
    const res = await agent
      .post(`/admin/songs/${songId}`)
      .type('form')
      .send({
        _csrf: csrf,
        title: 'Renamed',
        artist: 'Artist',
        source: 'keep',
        genreIds: String(other.genreId),
      });
    expect(res.status).toBe(303);
    const genres = await t.db('genre_songs').where('song_id', songId!).pluck('genre_id');
    expect(genres.map(Number)).toEqual([other.genreId]);
    expect((await t.db('songs').where('id', songId!).first()).title).toBe('Renamed');
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when an admin renames a song in two genres, then a draw of either shows the new title (the memberships’ copies follow in the same transaction)', async () => {
    const { agent, csrf, genre, other } = await setup();
    const [songId] = await makeSongs(t.db, genre.genreId, 1);
    await agent
      .post(`/admin/songs/${songId}`)
      .type('form')
      .send({
        _csrf: csrf,
        title: 'Renamed twice',
        artist: 'New Artist',
        album: 'New Album',
        year: '1999',
        source: 'keep',
        genreIds: [String(genre.genreId), String(other.genreId)],
      })
      .expect(303);
    const drawn = (await request(createTestApp(t.db)).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200)).body.songs;
    expect(drawn.find((s: { id: number }) => s.id === songId)).toMatchObject({ title: 'Renamed twice', artist: 'New Artist' });
    const copies = await t.db('genre_songs').where('song_id', songId!).orderBy('genre_id').select('genre_id', 'title', 'artist', 'album', 'year');
    expect(copies.map((c) => ({ ...c, genre_id: Number(c.genre_id), year: Number(c.year) }))).toEqual(
      [genre, other].map((g) => ({ genre_id: g.genreId, title: 'Renamed twice', artist: 'New Artist', album: 'New Album', year: 1999 })),
    );
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when an admin deletes an uploaded song after confirming, then the row and the file are gone', async () => {
    const { agent, csrf, genre } = await setup();
    await addByUpload(agent, csrf, genre.genreId, renderDemoTrack('weed-chill-02'), 'a.wav').expect(303);
    const song = await t.db('songs').where('title', 'Uploaded').first();
    const file = song.url.split('/').pop();
    expect(uploadsOnDisk()).toContain(file);
    const confirm = await agent.get(`/admin/songs/${song.id}/delete`).expect(200);
    expect(confirm.text).toContain('This cannot be undone');
    await agent.post(`/admin/songs/${song.id}/delete`).type('form').send({ _csrf: csrf }).expect(303);
    expect(await songCount()).toBe(0);
    expect(uploadsOnDisk()).not.toContain(file);
    expect(await checkGenres(t.db)).toEqual([]);
    // Gone, or never an id: either way the URL names no song.
    expect((await agent.get(`/admin/songs/${song.id}/edit`)).status).toBe(404);
    expect((await agent.get('/admin/songs/abc/edit')).status).toBe(404);
    expect((await agent.post('/admin/songs/0/delete').type('form').send({ _csrf: csrf })).status).toBe(404);
  });

  it('when songs are searched and filtered, then matches come back newest first, paginated', async () => {
    const { agent, genre, other } = await setup();
    await makeSongs(t.db, genre.genreId, 3, () => 'Zebra Crossing');
    await makeSongs(t.db, other.genreId, 55, () => 'Ant Colony');
    const zebra = await agent.get('/admin/songs').query({ q: 'zeb' }).expect(200);
    expect((zebra.text.match(/<tr id="song-/g) ?? []).length).toBe(3);
    const ants = await agent.get('/admin/songs').query({ genre: other.genreId }).expect(200);
    expect((ants.text.match(/<tr id="song-/g) ?? []).length).toBe(50);
    const nextLink = /href="(\/admin\/songs\?[^"]*after=\d+)"/.exec(ants.text)![1]!.replace(/&amp;/g, '&');
    const older = await agent.get(nextLink).expect(200);
    expect((older.text.match(/<tr id="song-/g) ?? []).length).toBe(5);
    expect((await agent.get('/admin/songs').query({ q: '%' })).text.match(/<tr id="song-/g)).toBeNull();
  });

  it('when an admin imports a CSV in the browser, then the report lists imported, present and rejected lines', async () => {
    const { agent, csrf, genre } = await setup();
    const csv = [
      'title,artist,url,drug,mood',
      `One,A,https://x.test/1.mp3,${genre.drugSlug},${genre.moodSlug}`,
      `Bad,B,javascript:x,${genre.drugSlug},${genre.moodSlug}`,
      `Lost,C,https://x.test/3.mp3,${genre.drugSlug},nope`,
    ].join('\n');
    const res = await agent.post('/admin/import').field('_csrf', csrf).attach('file', Buffer.from(csv), 'songs.csv').expect(200);
    expect(res.text).toMatch(/data-imported>1 \(1 new songs\)/);
    expect(res.text).toMatch(/data-rejected>2/);
    expect(res.text).toContain('<td>3</td><td>url must be an http(s) URL</td>');
    expect(res.text).toContain(`unknown drug/mood &#34;${genre.drugSlug}/nope&#34;`);
    const again = await agent.post('/admin/import').field('_csrf', csrf).attach('file', Buffer.from(csv), 'songs.csv').expect(200);
    expect(again.text).toMatch(/data-already-present>1/);
    const noFile = await agent.post('/admin/import').field('_csrf', csrf).expect(400);
    expect(noFile.text).toContain('File: choose a CSV');
  });

  it('when a multipart form comes without a CSRF token, then 403 and nothing is saved', async () => {
    const { agent, genre } = await setup();
    const res = await agent
      .post('/admin/songs')
      .field('title', 'X')
      .field('artist', 'Y')
      .field('source', 'url')
      .field('url', 'https://x.test/y.mp3')
      .field('genreIds', String(genre.genreId));
    expect(res.status).toBe(403);
    expect(await songCount()).toBe(0);
  });
});

describe('admin: an uploaded song’s file', () => {
  /** An admin, and a song they uploaded: its row and the path of its file under the upload folder. */
  async function uploadedSong() {
    const context = await setup();
    await addByUpload(context.agent, context.csrf, context.genre.genreId, renderDemoTrack('weed-chill-03'), 'a.wav').expect(303);
    const song = await t.db('songs').where('title', 'Uploaded').first();
    const file = path.join(testConfig.uploadDir, song.url.slice('/media/uploads/'.length));
    expect(fs.existsSync(file)).toBe(true);
    return { ...context, song, file };
  }
  const editFields = (genreId: number) => ({ title: 'Uploaded', artist: 'Someone', genreIds: String(genreId) });
  const storedUrl = async (id: number) => (await t.db('songs').where('id', id).first('url')).url;

  it('when an admin points an uploaded song at a URL, then its old file is removed from the upload folder', async () => {
    const { app, agent, csrf, genre, song, file } = await uploadedSong();
    const res = await agent
      .post(`/admin/songs/${song.id}`)
      .type('form')
      .send({ _csrf: csrf, ...editFields(genre.genreId), source: 'url', url: 'https://cdn.example.com/elsewhere.mp3' });
    expect(res.status).toBe(303);
    expect(await storedUrl(song.id)).toBe('https://cdn.example.com/elsewhere.mp3');
    expect(fs.existsSync(file)).toBe(false);
    expect((await request(app).get(song.url)).status).toBe(404);
  });

  it('when an admin uploads a new file for an uploaded song, then the new file replaces the old one on disk', async () => {
    const { agent, csrf, genre, song, file } = await uploadedSong();
    const fields = { ...editFields(genre.genreId), source: 'upload' };
    let post = agent.post(`/admin/songs/${song.id}`).field('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    expect((await post.attach('audio', renderDemoTrack('weed-chill-04'), 'b.wav')).status).toBe(303);
    const url = await storedUrl(song.id);
    expect(url).toMatch(/^\/media\/uploads\/[0-9a-f]{32}\.wav$/);
    expect(url).not.toBe(song.url);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(path.join(testConfig.uploadDir, url.slice('/media/uploads/'.length)))).toBe(true);
  });

  it.each([
    ['its new URL is already in the catalog', 409, 'taken'],
    ['its new URL is not http(s)', 400, 'javascript:alert(1)'],
  ])('when an edit of an uploaded song fails because %s, then the song keeps its URL and its file', async (_why, status, url) => {
    const { app, agent, csrf, genre, song, file } = await uploadedSong();
    const [otherId] = await makeSongs(t.db, genre.genreId, 1);
    const res = await agent
      .post(`/admin/songs/${song.id}`)
      .type('form')
      .send({ _csrf: csrf, ...editFields(genre.genreId), source: 'url', url: url === 'taken' ? await storedUrl(otherId!) : url });
    expect(res.status).toBe(status);
    expect(await storedUrl(song.id)).toBe(song.url);
    expect(fs.existsSync(file)).toBe(true);
    expect((await request(app).get(song.url)).status).toBe(200);
  });
});

describe('admin: concurrency', () => {
  it('when two admins edit the same genre at once, then db:check stays clean', async () => {
    const { app, agent, csrf, genre, other } = await setup();
    const second = await adminAgent(app, t.db);
    const secondCsrf = await csrfFrom(second.agent, '/admin/songs/new');
    const ids = await makeSongs(t.db, genre.genreId, 12);
    const edits = ids.map((id, i) => {
      const [who, token] = i % 2 ? [agent, csrf] : [second.agent, secondCsrf];
      const genreIds = i % 3 === 0 ? [String(other.genreId)] : [String(genre.genreId), String(other.genreId)];
      return who
        .post(`/admin/songs/${id}`)
        .type('form')
        .send({ _csrf: token, title: `T${i}`, artist: 'A', source: 'keep', genreIds });
    });
    const adds = Array.from({ length: 6 }, (_, i) =>
      addByUrl(i % 2 ? agent : second.agent, i % 2 ? csrf : secondCsrf, {
        title: `N${i}`,
        artist: 'B',
        url: `https://x.test/n${i}.mp3`,
        genreIds: [String(genre.genreId)],
      }),
    );
    const results = await Promise.all([...edits, ...adds]);
    expect(results.map((r) => r.status)).toEqual(Array(results.length).fill(303));
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when songs are deleted while listeners draw, then every playlist is still full and distinct', async () => {
    const { agent, csrf, genre } = await setup();
    const ids = await makeSongs(t.db, genre.genreId, 40);
    const repository = createPlaylistRepository(t.db);
    const engine = createPlaylistService({ repository });
    let stop = false;
    const problems: string[] = [];
    const reader = async () => {
      while (!stop) {
        const n = await repository.genreSize(genre.genreId);
        const batch = await engine.nextBatch(genre.genreId, n, { limit: 10 });
        const distinct = new Set(batch.songs.map((s) => s.id)).size;
        const floor = Math.min(10, n, await repository.genreSize(genre.genreId));
        if (distinct !== batch.songs.length || distinct < floor) problems.push(`${distinct}/${floor}`);
        // SQLite answers synchronously: yield to the event loop so the HTTP deletes get their turn.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const readers = [reader(), reader()];
    for (const id of ids.slice(0, 25)) await agent.post(`/admin/songs/${id}/delete`).type('form').send({ _csrf: csrf }).expect(303);
    stop = true;
    await Promise.all(readers);
    expect(problems).toEqual([]);
    expect(await checkGenres(t.db)).toEqual([]);
  });
});
