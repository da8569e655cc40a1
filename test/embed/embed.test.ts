// The embeddable players and oEmbed over real HTTP and a real database: who may frame what, which
// songs an embed plays, and what oEmbed answers for every kind of address.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createUsersRepository } from '../../src/accounts/users.repository.js';
import { createUserPlaylistsRepository } from '../../src/user-playlists/user-playlists.repository.js';
import { createUserPlaylistsService } from '../../src/user-playlists/user-playlists.service.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { uniqueName } from '../helpers/session.js';

const t = useTestDb();

const playerData = (html: string) =>
  JSON.parse(/<script type="application\/json" id="playlist-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { api: string | null; songs: { id: number }[] };
const cspOf = (res: request.Response) => String(res.headers['content-security-policy']);

async function sharedPlaylist(songIds: number[], isPublic = true) {
  const userId = (await createUsersRepository(t.db).insert({ username: uniqueName(), passwordHash: 'x' }))!;
  const playlists = createUserPlaylistsService({ repository: createUserPlaylistsRepository(t.db, { maxSongs: 100 }) });
  const playlist = await playlists.create(userId, 'Night bus');
  for (const songId of songIds) await playlists.addSong(userId, playlist.id, songId);
  return isPublic ? playlists.setPublic(userId, playlist.id, true) : playlist;
}

const oembed = (app: ReturnType<typeof createTestApp>, query: Record<string, string>) => request(app).get('/oembed').query(query);

describe('the embeddable player', () => {
  it("when a genre's embed is fetched, then any site may frame it, it sets no cookie and lists the genre's first batch", async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 40);
    const app = createTestApp(t.db);
    const res = await request(app).get(`/embed/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(cspOf(res)).toContain('frame-ancestors *');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    const data = playerData(res.text);
    expect(data.songs).toHaveLength(30);
    expect(data.api).toBe(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`);
    expect(res.text).toMatch(new RegExp(`href="http://127\\.0\\.0\\.1:\\d+/playlist/${genre.drugSlug}/${genre.moodSlug}" target="_blank"`));

    const page = await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(cspOf(page)).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBeUndefined(); // one framing policy: CSP's alone
  });

  it('when a mix is embedded with ?dose=, then it plays the same songs as that mix', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 50);
    const app = createTestApp(t.db);
    const mix = (await request(app).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200)).body;
    const res = await request(app).get(`/embed/${genre.drugSlug}/${genre.moodSlug}?dose=${mix.dose}`).expect(200);
    expect(playerData(res.text).songs.map((s) => s.id)).toEqual(mix.songs.map((s: { id: number }) => s.id));
    expect(res.text).toContain('a shared mix');
  });

  it('when a list shared as it played is embedded (?songs=&cursor=), then it plays those songs in order and goes on with that walk', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 50);
    const app = createTestApp(t.db);
    const batch = (await request(app).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).query({ limit: 5 }).expect(200)).body;
    const ids = batch.songs.map((s: { id: number }) => s.id).reverse();
    const res = await request(app)
      .get(`/embed/${genre.drugSlug}/${genre.moodSlug}`)
      .query({ songs: ids.join('-'), cursor: batch.cursor })
      .expect(200);
    const data = playerData(res.text) as { songs: { id: number }[]; cursor?: string };
    expect(data.songs.map((s) => s.id)).toEqual(ids);
    expect(data.cursor).toBe(batch.cursor);
    expect(res.text).toContain('a shared mix');
    // A cursor this server never made is a 404, never a 500.
    await request(app)
      .get(`/embed/${genre.drugSlug}/${genre.moodSlug}`)
      .query({ songs: ids.join('-'), cursor: 'nope' })
      .expect(404);
  });

  it('when a public playlist is embedded, then it plays in order and ends; a private one is 404', async () => {
    const genre = await makeGenre(t.db);
    const songIds = await makeSongs(t.db, genre.genreId, 4);
    const app = createTestApp(t.db);
    const shared = await sharedPlaylist(songIds);
    const res = await request(app).get(`/embed/shared/playlists/${shared.shareToken}`).expect(200);
    expect(playerData(res.text)).toMatchObject({ api: null, songs: songIds.map((id) => ({ id })) });
    expect(cspOf(res)).toContain('frame-ancestors *');
    const hidden = await sharedPlaylist(songIds, false);
    expect((await request(app).get(`/embed/shared/playlists/${hidden.shareToken}`)).status).toBe(404);
  });

  it('when an embed names no genre, then a 404 page answers, framable too', async () => {
    const res = await request(createTestApp(t.db)).get('/embed/no-such/drug');
    expect(res.status).toBe(404);
    expect(cspOf(res)).toContain('frame-ancestors *');
    expect((await request(createTestApp(t.db)).get('/embed/weed/groovin?dose=NOT!A!DOSE')).status).toBe(404);
  });
});

describe('oEmbed', () => {
  it("when asked about a mood's page, then it answers a rich embed with the iframe, sized within maxwidth and maxheight", async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 3);
    const app = createTestApp(t.db, { config: { publicUrl: 'https://stereodose.example' } });
    const page = `https://stereodose.example/playlist/${genre.drugSlug}/${genre.moodSlug}`;
    const res = await oembed(app, { url: page, format: 'json', maxwidth: '400', maxheight: '160' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      version: '1.0',
      type: 'rich',
      provider_name: 'Stereodose',
      provider_url: 'https://stereodose.example/',
      width: 400,
      height: 160,
    });
    expect(res.body.title).toMatch(/ — a fresh random playlist$/);
    expect(res.body.html).toMatch(
      new RegExp(`^<iframe src="https://stereodose\\.example/embed/${genre.drugSlug}/${genre.moodSlug}" width="400" height="160" title="Stereodose: [^"]+"`),
    );
    expect(res.body.thumbnail_url).toBeUndefined(); // 1200×630 does not fit in 400×160
    const unbounded = await oembed(app, { url: page }).expect(200);
    expect(unbounded.body).toMatchObject({ width: 480, height: 200, thumbnail_width: 1200, thumbnail_height: 630 });
    expect(unbounded.body.thumbnail_url).toBe(`https://stereodose.example/previews/${genre.drugSlug}/${genre.moodSlug}.png`);
    const thumbnail = await request(app).get(`/previews/${genre.drugSlug}/${genre.moodSlug}.png`).expect(200);
    expect(thumbnail.headers['content-type']).toBe('image/png');

    const mix = await oembed(app, { url: `${page}?dose=abc123` }).expect(200);
    expect(mix.body.html).toContain(`/embed/${genre.drugSlug}/${genre.moodSlug}?dose=abc123"`);
    const ofEmbed = await oembed(app, { url: `https://stereodose.example/embed/${genre.drugSlug}/${genre.moodSlug}` }).expect(200);
    expect(ofEmbed.body.html).toBe(unbounded.body.html);
  });

  it('when asked about a public playlist, then the title names it and its owner', async () => {
    const genre = await makeGenre(t.db);
    const shared = await sharedPlaylist(await makeSongs(t.db, genre.genreId, 2));
    const app = createTestApp(t.db);
    const origin = 'http://stereodose.test';
    const res = await oembed(app, { url: `${origin}/shared/playlists/${shared.shareToken}` })
      .set('Host', 'stereodose.test')
      .expect(200);
    expect(res.body.title).toMatch(/^Night bus · a playlist by /);
    expect(res.body.html).toContain(`src="${origin}/embed/shared/playlists/${shared.shareToken}"`);
  });

  it.each([
    [{}, 400, 'url'],
    [{ url: 'http://127.0.0.1/playlist/weed/groovin', maxwidth: '12' }, 400, 'maxwidth'],
    [{ url: 'http://127.0.0.1/playlist/weed/groovin', maxheight: 'tall' }, 400, 'maxheight'],
    [{ url: 'http://127.0.0.1/playlist/weed/groovin', format: 'yaml' }, 400, 'format'],
  ])('when the query is %o, then a JSON %i names the field %s', async (query, status, field) => {
    const res = await oembed(createTestApp(t.db), query).set('Host', '127.0.0.1');
    expect(res.status).toBe(status);
    expect(res.body.error.fields).toHaveProperty(field);
  });

  it('when the address is another site, no player, an unknown mood, or XML is asked for, then it answers 404 or 501 in JSON', async () => {
    const app = createTestApp(t.db);
    const ask = (query: Record<string, string>) => oembed(app, query).set('Host', 'stereodose.test');
    expect((await ask({ url: 'http://elsewhere.example/playlist/weed/groovin' })).body.error.code).toBe('not_found');
    expect((await ask({ url: 'http://stereodose.test/popular' })).status).toBe(404);
    expect((await ask({ url: 'not a url' })).status).toBe(404);
    expect((await ask({ url: 'http://stereodose.test/playlist/no-such/mood' })).status).toBe(404);
    const xml = await ask({ url: 'http://stereodose.test/playlist/weed/groovin', format: 'xml' });
    expect(xml.status).toBe(501);
    expect(xml.body.error.code).toBe('format_not_supported');
  });

  it('when a mood page, a mix or a public playlist is shown, then it carries the discovery link and the Embed snippet; the home page does not', async () => {
    const genre = await makeGenre(t.db);
    const songIds = await makeSongs(t.db, genre.genreId, 3);
    const app = createTestApp(t.db);
    const shared = await sharedPlaylist(songIds);
    for (const path of [
      `/playlist/${genre.drugSlug}/${genre.moodSlug}`,
      `/playlist/${genre.drugSlug}/${genre.moodSlug}?dose=abc123`,
      `/shared/playlists/${shared.shareToken}`,
    ]) {
      const html = (await request(app).get(path).set('Host', 'stereodose.test').expect(200)).text;
      const page = `http://stereodose.test${path}`;
      expect(html).toContain(
        `<link rel="alternate" type="application/json+oembed" href="http://stereodose.test/oembed?url=${encodeURIComponent(page)}&amp;format=json"`,
      );
      expect(html).toContain(`id="embed-code"`);
      expect(html).toContain(`&lt;iframe src=&#34;http://stereodose.test${path.replace('/playlist/', '/embed/').replace('/shared/', '/embed/shared/')}`);
    }
    expect((await request(app).get('/').expect(200)).text).not.toContain('json+oembed');
  });
});
