// The Subsonic API through a client nobody here wrote (the npm package subsonic-api), against the
// real server on a real port, and its XML answers read by a real XML parser; every answer is also
// checked against the schemas (helpers/subsonic-schema.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { SubsonicAPI } from 'subsonic-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { type Agent, csrfFrom, PASSWORD, registerAs } from '../helpers/session.js';
import { checkedFetch as fetch, useSubsonicSchemas } from '../helpers/subsonic-schema.js';

const t = useTestDb();
useSubsonicSchemas();
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Makes an app password on the account page, as a listener would; returns it as shown (once). */
async function makeAppPassword(agent: Agent, name = 'Phone — Symfonium'): Promise<string> {
  const res = await agent
    .post('/account/app-passwords')
    .type('form')
    .send({ _csrf: await csrfFrom(agent, '/account'), name });
  expect(res.status).toBe(201);
  return /<code class="app-password">([a-z0-9]+)<\/code>/.exec(res.text)![1]!;
}

async function setup() {
  const genre = await makeGenre(t.db);
  const ids = await makeSongs(t.db, genre.genreId, 12);
  const app = createTestApp(t.db);
  const { agent, username } = await registerAs(app);
  const appPassword = await makeAppPassword(agent);
  const server = http.createServer(app).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (auth: { username: string; password: string } | { apiKey: string }, post = false) => new SubsonicAPI({ url, auth, post, fetch });
  const genreName = `Drug ${genre.drugSlug} · Mood ${genre.moodSlug}`;
  return { genre, ids, agent, username, appPassword, url, client, api: client({ username, password: appPassword }), genreName };
}

/** The error of a failed answer (the client's types only describe success). */
const errorOf = (answer: unknown) => (answer as { error?: { code: number; message: string } }).error;

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

describe('the Subsonic API', () => {
  it('when an app pings with an app password token, then the envelope says ok, OpenSubsonic, Stereodose', async () => {
    const { api } = await setup();
    expect(await api.ping()).toMatchObject({ status: 'ok', version: '1.16.1', type: 'stereodose', openSubsonic: true });
    expect((await api.getLicense()).license).toMatchObject({ valid: true });
    expect((await api.getOpenSubsonicExtensions()).openSubsonicExtensions.map((e) => e.name)).toContain('apiKeyAuthentication');
    expect((await api.getMusicFolders()).musicFolders.musicFolder).toEqual([{ id: 1, name: 'Stereodose' }]);
  });

  it('when an app asks for the genres and random songs of one, then every drug · mood is a genre and the engine draws them', async () => {
    const { api, genreName, ids } = await setup();
    const genres = (await api.getGenres()).genres.genre ?? [];
    expect(genres).toContainEqual(expect.objectContaining({ value: genreName, songCount: 12 }));

    let draws = 0;
    const count = (q: { sql: string }) => {
      if (q.sql.includes('row_id_per_genre')) draws++;
    };
    t.db.on('query', count);
    const random = await api.getRandomSongs({ genre: genreName, size: 5 });
    t.db.off('query', count);
    const songs = random.randomSongs.song ?? [];
    expect(songs).toHaveLength(5);
    expect(new Set(songs.map((s) => s.id)).size).toBe(5);
    for (const s of songs) expect(ids).toContain(Number(s.id));
    expect(songs[0]).toMatchObject({ genre: genreName, isDir: false, type: 'music' });
    expect(draws).toBe(1); // one engine statement, as on the web

    const all = (await api.getRandomSongs({ size: 8 })).randomSongs.song ?? [];
    expect(all).toHaveLength(8);
    const byGenre = (await api.getSongsByGenre({ genre: genreName, count: 5, offset: 10 })).songsByGenre.song ?? [];
    expect(byGenre).toHaveLength(2);
    const one = await api.getSong({ id: songs[0]!.id });
    expect(one.song).toMatchObject({ id: songs[0]!.id, title: songs[0]!.title, genre: genreName });
  });

  it('when an app streams a demo song with a Range, then it gets those bytes; a song hosted elsewhere is a redirect to it', async () => {
    const { genre, url, username, appPassword } = await setup();
    const [local] = await makeSongs(t.db, genre.genreId, 1);
    await t.db('songs').where('id', local!).update({ url: '/media/demo/weed-groovin-07.wav' });
    const auth = `u=${username}&p=${appPassword}&v=1.16.1&c=test`;
    const part = await fetch(`${url}/rest/stream.view?${auth}&id=${local}`, { headers: { Range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('audio/wav');
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const elsewhere = await t.db('songs').whereNot('id', local!).first('id', 'url');
    const redirect = await fetch(`${url}/rest/download?${auth}&id=${elsewhere.id}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(elsewhere.url);
  });

  it('when the credentials are wrong, then error 40 (44 for an API key); an account password never opens /rest', async () => {
    const { client, username, appPassword } = await setup();
    expect(errorOf(await client({ username, password: PASSWORD }).ping())).toMatchObject({ code: 40 });
    expect(errorOf(await client({ username, password: 'nonsense' }).ping())).toMatchObject({ code: 40 });
    expect((await client({ apiKey: appPassword }).ping()).status).toBe('ok');
    expect(errorOf(await client({ apiKey: 'not-a-key' }).ping())).toMatchObject({ code: 44 });
    expect((await client({ username, password: appPassword }, true).ping()).status).toBe('ok'); // a POSTed form
  });

  it('when the username is unknown or the app password wrong, then the answer is the same and so are the statements run', async () => {
    const { url, username } = await setup();
    const statements: string[] = [];
    const record = (q: { sql: string }) => statements.push(q.sql);
    const attempt = async (u: string) => {
      statements.length = 0;
      t.db.on('query', record);
      const body = await (await fetch(`${url}/rest/ping.view?f=json&u=${u}&p=not-it`)).json();
      t.db.off('query', record);
      return { body, statements: [...statements] };
    };
    const known = await attempt(username);
    const unknown = await attempt(`${username}x`);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.statements).toEqual(known.statements);
  });

  it('when parameters are missing or clash, then errors 10 and 43; an unknown method is an envelope, not a page', async () => {
    const { url, username, appPassword } = await setup();
    const get = async (path: string) => (await (await fetch(`${url}/rest/${path}`)).json())['subsonic-response'];
    expect((await get('ping.view?f=json&v=1.16.1&c=t')).error).toMatchObject({ code: 10 });
    expect((await get(`ping.view?f=json&u=${username}&p=${appPassword}&apiKey=${appPassword}`)).error).toMatchObject({ code: 43 });
    expect((await get(`getSong.view?f=json&u=${username}&p=${appPassword}`)).error).toMatchObject({ code: 10 });
    expect((await get(`getSong.view?f=json&u=${username}&p=${appPassword}&id=999999`)).error).toMatchObject({ code: 70 });
    expect((await get(`noSuchMethod?f=json&u=${username}&p=enc:${Buffer.from(appPassword).toString('hex')}`)).error).toMatchObject({ code: 0 });
  });

  it('when an app asks for XML, then the answer is the same as the JSON, as elements and attributes', async () => {
    const { url, username, appPassword, genreName } = await setup();
    const auth = `u=${username}&p=${appPassword}&v=1.16.1&c=test`;
    const body = await (await fetch(`${url}/rest/getGenres.view?${auth}`)).text();
    const parsed = xml.parse(body)['subsonic-response'];
    expect(parsed).toMatchObject({ xmlns: 'http://subsonic.org/restapi', status: 'ok', version: '1.16.1', openSubsonic: 'true' });
    const genres = [parsed.genres.genre].flat();
    const json = (await (await fetch(`${url}/rest/getGenres.view?${auth}&f=json`)).json())['subsonic-response'].genres.genre;
    expect(genres.map((g: { '#text': string; songCount: string }) => ({ value: g['#text'], songCount: Number(g.songCount) }))).toEqual(
      json.map((g: { value: string; songCount: number }) => ({ value: g.value, songCount: g.songCount })),
    );
    expect(genres.map((g: { '#text': string }) => g['#text'])).toContain(genreName);
  });

  it('when an app password is revoked, then apps using it are refused', async () => {
    const { agent, api } = await setup();
    const id = Number((await t.db('app_passwords').first('id')).id);
    const res = await agent
      .post(`/account/app-passwords/${id}/revoke`)
      .type('form')
      .send({ _csrf: await csrfFrom(agent, '/account') });
    expect(res.status).toBe(303);
    expect(errorOf(await api.ping())).toMatchObject({ code: 40 });
  });

  it('when an app makes more requests than the login limits allow attempts, then none is refused: only failures count', async () => {
    const { api } = await setup();
    // The per-IP limit is 50 attempts in 15 minutes; an app asks far more often than that.
    for (let i = 0; i < 60; i++) expect((await api.ping()).status).toBe('ok');
  });

  it('when an app keeps guessing, then it is refused like the web form, with Retry-After', async () => {
    const { url, username } = await setup();
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) last = await fetch(`${url}/rest/ping.view?f=json&u=${username}&p=guess${i}`);
    const answer = (await last!.json())['subsonic-response'];
    expect(answer.status).toBe('failed');
    expect(answer.error.message).toMatch(/Too many attempts/);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("when an app stars, lists and unstars songs, then they are the listener's favorites on the web too", async () => {
    const { api, agent, ids } = await setup();
    expect((await api.star({ id: [String(ids[0]), String(ids[1])] } as never)).status).toBe('ok');
    expect((await api.getStarred2()).starred2.song?.map((s) => Number(s.id)).sort()).toEqual([ids[0], ids[1]].sort());
    expect((await agent.get('/favorites')).text).toContain(`data-song-id="${ids[0]}"`);
    await api.unstar({ id: String(ids[0]) } as never);
    expect((await api.getStarred()).starred.song?.map((s) => Number(s.id))).toEqual([ids[1]]);
  });

  it('when an app scrobbles a finished song, then it counts as a play; "now playing" counts nothing', async () => {
    const { api, ids } = await setup();
    await api.scrobble({ id: String(ids[0]), submission: false });
    expect(await t.db('daily_stats').first('songs_played')).toBeUndefined();
    await api.scrobble({ id: String(ids[0]) });
    expect(await t.db('daily_stats').first('songs_played')).toMatchObject({ songs_played: 1 });
    expect(await t.db('listening_history').pluck('song_id')).toEqual([ids[0]]);
  });

  it('when an app reads a user, then only its own: another listener is error 50', async () => {
    const { api, username } = await setup();
    expect((await api.getUser({ username })).user).toMatchObject({ username, streamRole: true, adminRole: false });
    const other = await registerAs(createTestApp(t.db));
    expect(errorOf(await api.getUser({ username: other.username }))).toMatchObject({ code: 50 });
  });

  it("when an app asks for a song's cover art, then it gets its drug's artwork as a PNG", async () => {
    const { api, genreName } = await setup();
    const [song] = (await api.getRandomSongs({ genre: genreName, size: 1 })).randomSongs.song ?? [];
    const art = await api.getCoverArt({ id: song!.coverArt! });
    expect(art.status).toBe(200);
    expect(art.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await art.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it("when an app browses artists and albums, then each artist's songs form their albums (songs on no album: Singles)", async () => {
    const { api, ids } = await setup();
    await t.db('songs').where('id', ids[0]!).update({ album: 'Green Room' });
    const index = (await api.getArtists()).artists.index ?? [];
    const artists = index.flatMap((i) => i.artist ?? []);
    const artist0 = artists.find((a) => a.name === 'Artist 0')!;
    expect(artist0).toMatchObject({ albumCount: 2 }); // Green Room, and their Singles
    expect((await api.getIndexes()).indexes.index?.flatMap((i) => i.artist ?? []).map((a) => a.name)).toContain('Artist 0');
    const page = (await api.getArtist({ id: artist0.id })).artist;
    const names = (page.album ?? []).map((a) => a.name).sort();
    expect(names).toEqual(['Green Room', 'Singles']);
    const green = (page.album ?? []).find((a) => a.name === 'Green Room')!;
    const album = (await api.getAlbum({ id: green.id })).album;
    expect(album.song?.map((s) => Number(s.id))).toEqual([ids[0]]);
    expect(errorOf(await api.getArtist({ id: 'ar-bm9ib2R5' }))).toMatchObject({ code: 70 });
  });

  it('when an app searches, then songs, artists and albums starting with the query come back; an empty query lists songs', async () => {
    const { api, ids } = await setup();
    const title = String((await t.db('songs').where('id', ids[3]!).first('title')).title);
    const bySong = (await api.search3({ query: title, artistCount: 0, albumCount: 0 })).searchResult3;
    expect(bySong.song?.map((s) => Number(s.id))).toEqual([ids[3]]);
    const byArtist = (await api.search3({ query: 'Artist 1', songCount: 0 })).searchResult3;
    expect(byArtist.artist?.map((a) => a.name)).toEqual(['Artist 1']);
    const all = (await api.search3({ query: '', songCount: 50 })).searchResult3;
    expect(all.song).toHaveLength(12);
  });

  it("when an app makes and edits a playlist, then it is the listener's own playlist on the web; another listener's is error 50", async () => {
    const { api, agent, ids } = await setup();
    const made = (await api.createPlaylist({ name: 'Road trip', songId: [String(ids[0]), String(ids[1]), String(ids[2])] } as never)).playlist;
    expect(made).toMatchObject({ name: 'Road trip', songCount: 3, public: false });
    const id = made.id;
    expect((await api.getPlaylists()).playlists.playlist?.map((p) => p.name)).toEqual(['Road trip']);
    await api.updatePlaylist({ playlistId: id, name: 'Long road', songIndexToRemove: 0, songIdToAdd: String(ids[5]) } as never);
    const after = (await api.getPlaylist({ id })).playlist;
    expect(after.name).toBe('Long road');
    expect(after.entry?.map((s) => Number(s.id))).toEqual([ids[1], ids[2], ids[5]]);
    expect((await agent.get(`/my/playlists/${id}`)).text).toContain('Long road');

    const other = await setup();
    expect(errorOf(await other.api.getPlaylist({ id }))).toMatchObject({ code: 50 });
    expect(errorOf(await other.api.deletePlaylist({ id }))).toMatchObject({ code: 50 });
    expect((await api.deletePlaylist({ id })).status).toBe('ok');
    expect(errorOf(await api.getPlaylist({ id }))).toMatchObject({ code: 70 });
  });

  it('when an app reads songs and errors as XML, then they are the elements and attributes of the spec', async () => {
    const { url, username, appPassword, genreName } = await setup();
    const auth = `u=${username}&p=${appPassword}&v=1.16.1&c=test`;
    const random = xml.parse(await (await fetch(`${url}/rest/getRandomSongs?${auth}&size=3&genre=${encodeURIComponent(genreName)}`)).text())[
      'subsonic-response'
    ];
    const songs = [random.randomSongs.song].flat();
    expect(songs).toHaveLength(3);
    expect(songs[0]).toMatchObject({
      isDir: 'false',
      type: 'music',
      genre: genreName,
      artist: expect.any(String),
      title: expect.any(String),
      id: expect.any(String),
    });
    const failed = xml.parse(await (await fetch(`${url}/rest/getSong.view?${auth}&id=424242`)).text())['subsonic-response'];
    expect(failed).toMatchObject({ status: 'failed', error: { code: '70', message: expect.any(String) } });
    const jsonp = await (await fetch(`${url}/rest/ping.view?${auth}&f=jsonp&callback=handle`)).text();
    expect(jsonp).toMatch(/^handle\(\{"subsonic-response":\{"status":"ok"/);
  });
});
