// The protocol's edges: answers no stored text can make ill-formed, limits that refuse the culprit
// with the spec's codes, requests too large answered in the envelope, binary methods by POST and
// their errors as text/xml, web clients on other origins, and writes that fail whole.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { csrfFrom, PASSWORD } from '../helpers/session.js';
import { formOf, subsonicListener } from '../helpers/subsonic.js';
import { checkAnswer, checkedFetch, useSubsonicSchemas } from '../helpers/subsonic-schema.js';

const t = useTestDb();
useSubsonicSchemas();

describe('answers that always parse', () => {
  it('when stored text and a parameter hold control characters, then every XML answer is well-formed and valid, the characters replaced', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 3);
    // As an older version could store them, before the forms refused them and the migration cleaned them.
    await t.db('songs').where('id', ids[0]!).update({ title: 'Bell\u0007 and NUL\u0000', artist: 'Esc\u001b Artist', album: 'Form\u000cfeed \uFFFF' });
    const app = await subsonicListener(t.db);
    const genreName = `Drug ${genre.drugSlug} · Mood ${genre.moodSlug}`;
    for (const [method, params] of [
      ['getSong', { id: ids[0] }],
      ['getRandomSongs', { size: 3, genre: genreName }],
      ['getArtists', {}],
      ['getIndexes', {}],
      ['search3', { query: '' }],
      ['search2', { query: 'Esc' }],
      ['getAlbumList2', { type: 'alphabeticalByName' }],
      ['getRandomSongs', { genre: 'Bad\u0001\u0008genre' }],
    ] as const) {
      const { text } = await app.call(method, params, { format: 'xml' });
      // No character XML 1.0 forbids: controls other than tab, newline and return, U+FFFE, U+FFFF.
      expect([...text].filter((c) => (c < ' ' && !'\t\n\r'.includes(c)) || c === '\uFFFE' || c === '\uFFFF')).toEqual([]);
    }
    const song = (await app.call('getSong', { id: ids[0] }, { format: 'xml' })).body.song;
    expect(song.title).toBe('Bell\uFFFD and NUL\uFFFD');
  });
});

describe('limits that hit the culprit', () => {
  it('when an app keeps guessing a password, then it is refused with code 40 and Retry-After, and the account page is named', async () => {
    await makeGenre(t.db);
    const app = await subsonicListener(t.db);
    const wrong = await app.both('ping', {}, { auth: { p: PASSWORD } });
    expect(wrong.error).toMatchObject({ code: 40, helpUrl: expect.stringMatching(/\/account#app-passwords$/) });
    expect(wrong.error.message).toMatch(/app password made on your account page/);
    for (let i = 0; i < 5; i++) await app.call('ping', {}, { auth: { p: `guess${i}` } });
    const locked = await app.call('ping', {}, { auth: { p: 'still-guessing' } });
    expect(locked.body.error).toMatchObject({ code: 40, message: expect.stringMatching(/Too many attempts/) });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right app password waits: the limit is this account's from this address.
    expect((await app.call('ping')).body.error.code).toBe(40);
  });

  it('when someone tries wrong API keys from an address, then that key is refused with 44 and other keys from there still work', async () => {
    const app = await subsonicListener(t.db);
    for (let i = 0; i < 7; i++) expect((await app.call('ping', {}, { auth: { u: undefined, p: undefined, apiKey: 'wrong-key' } })).body.error.code).toBe(44);
    expect((await app.call('ping', {}, { auth: { u: undefined, p: undefined, apiKey: 'wrong-key' } })).body.error.message).toMatch(/Too many attempts/);
    expect((await app.call('ping', {}, { auth: { u: undefined, p: undefined, apiKey: app.appPassword } })).body.status).toBe('ok');
  });

  it('when a listener mistypes the website login until it is locked, then their apps still play', async () => {
    const app = await subsonicListener(t.db);
    const web = request.agent(app.app);
    for (let i = 0; i < 6; i++)
      await web
        .post('/login')
        .type('form')
        .send({ _csrf: await csrfFrom(web), username: app.username, password: `wrong${i}` });
    expect((await app.call('ping')).body.status).toBe('ok');
  });

  it('when a request is larger than the limits, then it is answered in the envelope with 413, in the format its query asks', async () => {
    const app = await subsonicListener(t.db);
    const big = formOf({ u: app.username, p: app.appPassword, id: Array.from({ length: 120 }, (_, i) => i + 1) });
    const many = await request(app.app).post('/rest/savePlayQueue.view?f=json').type('form').send(big.toString());
    expect(many.status).toBe(413);
    checkAnswer('savePlayQueue', String(many.headers['content-type']), many.text, 'too many fields');
    expect(many.body['subsonic-response']).toMatchObject({ status: 'failed', error: { code: 0, message: expect.stringMatching(/too large/) } });
    const heavy = await request(app.app)
      .post('/rest/createPlaylist.view?f=xml')
      .type('form')
      .send(`u=${app.username}&p=${app.appPassword}&name=${'x'.repeat(17_000)}`);
    expect(heavy.status).toBe(413);
    expect(heavy.headers['content-type']).toMatch(/^text\/xml/);
    checkAnswer('createPlaylist', String(heavy.headers['content-type']), heavy.text, 'too large a body');
  });
});

describe('binary methods', () => {
  it('when an app streams or downloads by a POSTed form, then it gets the audio; an error of either is XML as text/xml', async () => {
    const genre = await makeGenre(t.db);
    const [id] = await makeSongs(t.db, genre.genreId, 1);
    await t.db('songs').where('id', id!).update({ url: '/media/demo/weed-groovin-07.wav' });
    const app = await subsonicListener(t.db);
    for (const method of ['stream', 'download']) {
      const form = formOf({ u: app.username, p: app.appPassword, v: '1.16.1', c: 'test', id: id! });
      const res = await checkedFetch(`${app.url}/rest/${method}.view`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      expect(res.status, method).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 4)
          .toString(),
      ).toBe('RIFF');
      const missing = await app.call(method, { id: 999_999 }, { format: 'xml', post: true });
      expect(missing.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(missing.body).toMatchObject({ status: 'failed', error: { code: '70' } });
    }
    expect((await app.call('getCoverArt', { id: 'nothing' }, { format: 'xml' })).headers.get('content-type')).toMatch(/^text\/xml/);
  });
});

describe('web clients on other origins', () => {
  it('when a page elsewhere calls /rest, then answers, audio and artwork allow it; the rest of the site does not', async () => {
    const genre = await makeGenre(t.db);
    const [id] = await makeSongs(t.db, genre.genreId, 1);
    const app = await subsonicListener(t.db);
    const origin = { Origin: 'https://player.example' };
    for (const path of ['ping.view', `getCoverArt?id=drug-${genre.drugSlug}`, `getSong?id=${id}&f=json`]) {
      const res = await checkedFetch(`${app.url}/rest/${path}&u=${app.username}&p=${app.appPassword}`.replace('.view&', '.view?'), { headers: origin });
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy'), path).toBe('cross-origin');
    }
    const preflight = await request(app.app).options('/rest/getAlbumList2').set(origin).set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    for (const path of ['/', '/account', '/api/genres', '/static/css/site.css']) {
      const res = await request(app.app).get(path).set(origin);
      expect(res.headers['access-control-allow-origin'], path).toBeUndefined();
      expect(res.headers['cross-origin-resource-policy'], path).toBe('same-origin');
    }
  });

  it('when getOpenSubsonicExtensions is asked without credentials, then it answers, as OpenSubsonic requires; other methods do not', async () => {
    const app = createTestApp(t.db);
    const res = await request(app).get('/rest/getOpenSubsonicExtensions.view?f=json');
    checkAnswer('getOpenSubsonicExtensions', String(res.headers['content-type']), res.text, 'anonymous');
    expect(res.body['subsonic-response'].openSubsonicExtensions.map((e: { name: string }) => e.name)).toEqual([
      'apiKeyAuthentication',
      'formPost',
      'songLyrics',
    ]);
    expect((await request(app).get('/rest/ping.view?f=json')).body['subsonic-response'].error.code).toBe(10);
  });
});

describe('writes that fail whole', () => {
  it('when a playlist is made or changed with an unknown song, then error 70 and nothing is made or changed', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 2);
    const app = await subsonicListener(t.db);
    const made = await app.both('createPlaylist', { name: 'Half', songId: [ids[0]!, 999_999] });
    expect(made.error.code).toBe(70);
    expect(await t.db('user_playlists').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    const real = (await app.call('createPlaylist', { name: 'Whole', songId: [ids[0]!] })).body.playlist;
    expect((await app.call('updatePlaylist', { playlistId: real.id, name: 'Renamed', songIdToAdd: 999_999 })).body.error.code).toBe(70);
    expect((await app.call('getPlaylist', { id: real.id })).body.playlist).toMatchObject({ name: 'Whole', songCount: 1 });
    expect((await app.call('createPlaylist', { playlistId: real.id, songId: [ids[1]!, 424_242] })).body.error.code).toBe(70);
    expect((await app.call('getPlaylist', { id: real.id })).body.playlist.entry.map((s: { id: string }) => Number(s.id))).toEqual([ids[0]]);
  });
});
