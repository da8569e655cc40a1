import request from 'supertest';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { shuffled } from '../../src/random.js';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp } from '../helpers/app.js';
import { attributeValue, withoutTemplates } from '../helpers/html.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, seededRandom, createMemberships, insertSong } from '../helpers/factories.js';
import { csrfFrom, registerAs, uniqueName, type Agent } from '../helpers/session.js';

const t = useTestDb();

const XSS = '<script>alert("x")</script>';
const XSS_ESCAPED = '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;';

/** A form post with this agent's CSRF token (from a page that renders a form for it). */
async function post(agent: Agent, path: string, fields: Record<string, unknown> = {}) {
  const _csrf = await csrfFrom(agent, '/my/playlists');
  return agent
    .post(path)
    .type('form')
    .send({ _csrf, ...fields });
}

async function createPlaylist(agent: Agent, name = uniqueName('mix')): Promise<number> {
  const res = await post(agent, '/my/playlists', { name });
  expect(res.status).toBe(303);
  return Number(/^\/my\/playlists\/(\d+)$/.exec(res.headers.location!)![1]);
}

async function addSongs(agent: Agent, playlistId: number, songIds: number[]) {
  for (const songId of songIds) expect((await post(agent, `/my/playlists/${playlistId}/songs`, { songId })).status).toBe(303);
}

/** The playlist's rows in play order, as [songId, position]. */
const rows = async (playlistId: number): Promise<[songId: number, position: number][]> =>
  (await t.db('user_playlist_songs').where('playlist_id', playlistId).orderBy('position').select('song_id', 'position')).map(
    (r: { song_id: number; position: number }) => [Number(r.song_id), Number(r.position)] as [number, number],
  );
const order = async (playlistId: number) => (await rows(playlistId)).map(([songId]) => songId);
const expectDense = async (playlistId: number) => {
  const positions = (await rows(playlistId)).map(([, position]) => position);
  expect(positions).toEqual(positions.map((_, i) => i + 1));
};
const playlistRow = (id: number) => t.db('user_playlists').where('id', id).first();

/** The songs the player page will play, from its JSON block. */
function playerData(html: string): { api: string | null; songs: { id: number; title: string }[] } {
  const json = /<script type="application\/json" id="playlist-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('no player on this page');
  return JSON.parse(json);
}

async function setup(songCount = 6, options: { random?: () => number } = {}) {
  const app = createTestApp(t.db, options);
  const genre = await makeGenre(t.db);
  const songIds = await makeSongs(t.db, genre.genreId, songCount);
  const owner = await registerAs(app);
  return { app, genre, songIds, owner: owner.agent, ownerName: owner.username };
}

const makeAdmin = async (app: Express): Promise<Agent> => (await adminAgent(app, t.db)).agent;

describe('creating, renaming and deleting', () => {
  it('when a listener creates a playlist, then it is theirs, private, has an unguessable share token and is listed', async () => {
    const { owner } = await setup(0);
    const id = await createPlaylist(owner, 'Late night');
    const page = await owner.get(`/my/playlists/${id}`).expect(200);
    expect(page.text).toContain('Created “Late night”.');
    expect(page.text).toContain('Private: only you can see and play it.');
    const row = await playlistRow(id);
    expect(row.name).toBe('Late night');
    expect(Boolean(row.is_public)).toBe(false);
    expect(row.share_token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const other = await playlistRow(await createPlaylist(owner));
    expect(other.share_token).not.toBe(row.share_token);
    expect((await owner.get('/my/playlists').expect(200)).text).toContain('>Late night</a>');
  });

  it('when the owner renames it, then the new name is stored and shown', async () => {
    const { owner } = await setup(0);
    const id = await createPlaylist(owner, 'Before');
    const res = await post(owner, `/my/playlists/${id}/rename`, { name: '  After  ' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/my/playlists/${id}`);
    expect((await playlistRow(id)).name).toBe('After');
    expect((await owner.get(`/my/playlists/${id}`)).text).toContain('<h1>After</h1>');
  });

  it('when the owner confirms the deletion, then the playlist and its songs are gone and the songs stay in the catalog', async () => {
    const { owner, songIds } = await setup(2);
    const id = await createPlaylist(owner, 'Doomed');
    await addSongs(owner, id, songIds);
    const confirm = await owner.get(`/my/playlists/${id}/delete`).expect(200);
    expect(confirm.text).toContain(`action="/my/playlists/${id}/delete"`);
    expect(confirm.text).toContain('It holds 2 songs.');
    const res = await post(owner, `/my/playlists/${id}/delete`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/my/playlists');
    expect(await playlistRow(id)).toBeUndefined();
    expect(await rows(id)).toEqual([]);
    expect(await t.db('songs').whereIn('id', songIds).count({ n: '*' }).first()).toMatchObject({ n: 2 });
    expect((await owner.get('/my/playlists')).text).toContain('Deleted “Doomed”.');
  });

  it('when a playlist does not exist or the id is not a number, then 404', async () => {
    const { owner } = await setup(0);
    expect((await owner.get('/my/playlists/999999')).status).toBe(404);
    expect((await owner.get('/my/playlists/abc')).status).toBe(404);
    expect((await post(owner, '/my/playlists/999999/rename', { name: 'x' })).status).toBe(404);
  });
});

describe('songs in a playlist', () => {
  it('when songs are added, removed and moved, then the order follows and positions stay 1..n', async () => {
    const { owner, songIds } = await setup(5);
    const [a, b, c, d, e] = songIds as [number, number, number, number, number];
    const id = await createPlaylist(owner);
    await addSongs(owner, id, [a, b, c, d, e]);
    expect(await order(id)).toEqual([a, b, c, d, e]);
    await expectDense(id);

    const again = await post(owner, `/my/playlists/${id}/songs`, { songId: c });
    expect(again.status).toBe(303);
    expect(await order(id)).toEqual([a, b, c, d, e]);

    const move = (songId: number, fields: Record<string, string>) => post(owner, `/my/playlists/${id}/songs/${songId}/move`, fields);
    expect((await move(e, { direction: 'up' })).status).toBe(303);
    expect(await order(id)).toEqual([a, b, c, e, d]);
    await move(a, { direction: 'down' });
    expect(await order(id)).toEqual([b, a, c, e, d]);
    await move(b, { direction: 'up' }); // already first: nothing moves
    await move(d, { direction: 'down' }); // already last
    expect(await order(id)).toEqual([b, a, c, e, d]);
    await move(d, { position: '1' });
    expect(await order(id)).toEqual([d, b, a, c, e]);
    await move(d, { position: '99' }); // past the end: to the end
    expect(await order(id)).toEqual([b, a, c, e, d]);
    await expectDense(id);

    const removed = await post(owner, `/my/playlists/${id}/songs/${c}/remove`);
    expect(removed.status).toBe(303);
    expect(await order(id)).toEqual([b, a, e, d]);
    await expectDense(id);
    const page = await owner.get(`/my/playlists/${id}`);
    expect([...page.text.matchAll(/id="song-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([b, a, e, d]);
  });

  it('when many songs are added and moved at once, then every request succeeds and positions stay 1..n', async () => {
    const { owner, songIds } = await setup(8);
    const id = await createPlaylist(owner);
    const _csrf = await csrfFrom(owner, '/my/playlists');
    const add = (songId: number) => owner.post(`/my/playlists/${id}/songs`).type('form').send({ _csrf, songId });
    const adds = await Promise.all([...songIds, songIds[0]!, songIds[0]!].map(add));
    expect(adds.map((r) => r.status)).toEqual(Array(10).fill(303));
    expect((await order(id)).sort((x, y) => x - y)).toEqual([...songIds].sort((x, y) => x - y));
    await expectDense(id);
    const moves = await Promise.all(
      songIds.map((songId, i) =>
        owner
          .post(`/my/playlists/${id}/songs/${songId}/move`)
          .type('form')
          .send({ _csrf, direction: i % 2 ? 'up' : 'down' }),
      ),
    );
    expect(moves.map((r) => r.status)).toEqual(Array(8).fill(303));
    expect(await order(id)).toHaveLength(8);
    await expectDense(id);
  });

  it('when a move or a song is not valid, then 400 or 404 and nothing changes', async () => {
    const { owner, songIds } = await setup(3);
    const id = await createPlaylist(owner);
    await addSongs(owner, id, songIds.slice(0, 2));
    const before = await rows(id);
    expect((await post(owner, `/my/playlists/${id}/songs/${songIds[0]}/move`, { direction: 'sideways' })).status).toBe(400);
    expect((await post(owner, `/my/playlists/${id}/songs/${songIds[2]}/move`, { direction: 'up' })).status).toBe(404);
    expect((await post(owner, `/my/playlists/${id}/songs/${songIds[2]}/remove`)).status).toBe(404);
    expect((await post(owner, `/my/playlists/${id}/songs`, { songId: '99999999' })).status).toBe(404);
    expect((await post(owner, `/my/playlists/${id}/songs`, { songId: 'abc' })).status).toBe(400);
    expect(await rows(id)).toEqual(before);
  });

  it('when a song is deleted from the catalog, then it leaves every playlist and the rest keeps its order', async () => {
    const { owner, songIds } = await setup(4);
    const [a, b, c, d] = songIds as [number, number, number, number];
    const id = await createPlaylist(owner);
    await addSongs(owner, id, [a, b, c]);
    await createMemberships(t.db).deleteSong(b);
    expect(await order(id)).toEqual([a, c]);
    const data = playerData((await owner.get(`/my/playlists/${id}/play`).expect(200)).text);
    expect(data.songs.map((s) => s.id)).toEqual([a, c]);
    await addSongs(owner, id, [d]); // the next write closes the gap
    expect(await order(id)).toEqual([a, c, d]);
    await expectDense(id);
  });

  it('when a listener adds a track from the player, then it lands in the chosen playlist and they come back to the same mix', async () => {
    const { app, owner, genre, songIds } = await setup(3);
    const id = await createPlaylist(owner, 'From the player');
    const player = await owner.get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    const forms = withoutTemplates(player.text).match(/<form method="post" action="\/my\/playlists\/add"/g) ?? [];
    expect(forms).toHaveLength(3);
    expect(player.text).toContain(`<option value="${id}">From the player</option>`);
    const returnTo = attributeValue(/name="returnTo" value="([^"]+)"[\s\S]*?name="playlistId"/.exec(player.text)![1]!);
    expect(returnTo).toMatch(new RegExp(`^/playlist/${genre.drugSlug}/${genre.moodSlug}\\?songs=[\\d-]+&cursor=`));

    const res = await post(owner, '/my/playlists/add', { songId: songIds[1], playlistId: id, returnTo });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(returnTo);
    expect(await order(id)).toEqual([songIds[1]]);
    expect((await owner.get(returnTo)).text).toContain('Added “');

    const offsite = await post(owner, '/my/playlists/add', { songId: songIds[2], playlistId: id, returnTo: '//evil.example/x' });
    expect(offsite.headers.location).toBe(`/my/playlists/${id}`);

    // Anonymous visitors see no menu; a listener without playlists is offered a new one.
    const anonymous = await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(anonymous.text).not.toContain('action="/my/playlists/add"');
    const { agent: newcomer } = await registerAs(app);
    const theirs = (await newcomer.get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`)).text;
    expect(theirs).toContain('action="/my/playlists/add"');
    expect(theirs).toContain('<option value="new">New playlist…</option>');
  });

  it('when a listener adds from a script (Accept: JSON), then the answer says what was done and nothing redirects', async () => {
    const { owner, songIds } = await setup(2);
    const id = await createPlaylist(owner, 'Fetched');
    const csrf = await csrfFrom(owner, '/my/playlists');
    const add = () => owner.post('/my/playlists/add').set('Accept', 'application/json').type('form').send({ _csrf: csrf, songId: songIds[0], playlistId: id });
    const first = await add().expect(200);
    expect(first.body).toEqual({ playlist: { id, name: 'Fetched' }, song: { id: songIds[0], title: expect.any(String) }, added: true });
    expect((await add().expect(200)).body.added).toBe(false);
    expect(await order(id)).toEqual([songIds[0]]);
  });

  it('when a listener picks "New playlist…" for a song, then they name it, and it is made with the song in it and they come back', async () => {
    const { owner, genre, songIds } = await setup(2);
    const back = `/playlist/${genre.drugSlug}/${genre.moodSlug}`;
    const chosen = await post(owner, '/my/playlists/add', { songId: songIds[1], playlistId: 'new', returnTo: back });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.location).toBe(`/my/playlists/new?songId=${songIds[1]}&returnTo=${encodeURIComponent(back)}`);
    const page = await owner.get(chosen.headers.location!).expect(200);
    expect(page.text).toContain(`name="songId" value="${songIds[1]}"`);

    const refused = await post(owner, '/my/playlists', { name: '  ', songId: songIds[1], returnTo: back });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`name="songId" value="${songIds[1]}"`);
    expect(await t.db('user_playlists').count({ n: '*' }).first()).toMatchObject({ n: 0 });

    const made = await post(owner, '/my/playlists', { name: 'Late night', songId: songIds[1], returnTo: back });
    expect(made.status).toBe(303);
    expect(made.headers.location).toBe(back);
    const playlist = await t.db('user_playlists').where('name', 'Late night').first();
    expect(await order(playlist.id)).toEqual([songIds[1]]);
  });
});

describe('playing', () => {
  it('when the owner plays in order, then the player holds the songs in order and fetches nothing more', async () => {
    const { owner, songIds } = await setup(5);
    const id = await createPlaylist(owner);
    const wanted = [songIds[3]!, songIds[0]!, songIds[4]!, songIds[1]!];
    await addSongs(owner, id, wanted);
    const page = await owner.get(`/my/playlists/${id}/play`).expect(200);
    const data = playerData(page.text);
    expect(data.api).toBeNull();
    expect(data.songs.map((s) => s.id)).toEqual(wanted);
  });

  it('when the owner plays shuffled, then the same songs come in a Fisher–Yates order', async () => {
    const { owner, songIds } = await setup(8, { random: seededRandom(7) });
    const id = await createPlaylist(owner);
    await addSongs(owner, id, songIds);
    const data = playerData((await owner.get(`/my/playlists/${id}/play?order=shuffled`).expect(200)).text);
    const ids = data.songs.map((s) => s.id);
    expect([...ids].sort((x, y) => x - y)).toEqual([...songIds].sort((x, y) => x - y));
    expect(ids).not.toEqual(songIds);
    expect((await owner.get(`/my/playlists/${id}/play?order=backwards`)).status).toBe(400);
  });

  it('when Fisher–Yates shuffles, then it returns a permutation and leaves the input alone', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const result = shuffled(input, seededRandom(1));
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...result].sort((x, y) => x - y)).toEqual(input);
    expect(shuffled(input, () => 0.999999)).toEqual(input); // j = i every time: nothing moves
    expect(shuffled([], Math.random)).toEqual([]);
  });

  it('when a playlist is private, then its share URL is 404 for everyone; once public, anyone can play it', async () => {
    const { app, owner, ownerName, songIds } = await setup(3);
    const id = await createPlaylist(owner, 'Shared mix');
    await addSongs(owner, id, songIds);
    const { share_token: token } = await playlistRow(id);
    const url = `/shared/playlists/${token}`;
    expect((await request(app).get(url)).status).toBe(404);
    expect((await owner.get(url)).status).toBe(404);

    expect((await post(owner, `/my/playlists/${id}/visibility`, { public: '1' })).status).toBe(303);
    const ownerPage = await owner.get(`/my/playlists/${id}`);
    expect(ownerPage.text).toContain(`/shared/playlists/${token}`);
    const shared = await request(app).get(url).expect(200);
    expect(playerData(shared.text).songs.map((s) => s.id)).toEqual(songIds);
    expect(playerData(shared.text).api).toBeNull();
    expect(shared.text).toContain(`a playlist by ${ownerName}`);
    expect(shared.text).not.toContain('action="/my/playlists');
    const shuffledShare = playerData((await request(app).get(`${url}?order=shuffled`).expect(200)).text);
    expect(shuffledShare.songs.map((s) => s.id).sort((x, y) => x - y)).toEqual([...songIds].sort((x, y) => x - y));

    await post(owner, `/my/playlists/${id}/visibility`, { public: '0' });
    expect((await request(app).get(url)).status).toBe(404);
    expect((await request(app).get('/shared/playlists/not-a-token')).status).toBe(404);
    expect((await post(owner, `/my/playlists/${id}/visibility`, { public: 'yes' })).status).toBe(400);
  });
});

describe('access control', () => {
  it('when anonymous visitors, other listeners and admins use any playlist route, then only the owner gets through', async () => {
    const { app, owner, songIds } = await setup(4);
    const [a, b, c, d] = songIds as [number, number, number, number];
    const id = await createPlaylist(owner, 'Mine only');
    await addSongs(owner, id, [a, b, c]);
    const { agent: stranger } = await registerAs(app);
    const admin = await makeAdmin(app);
    const anonymous = request.agent(app);
    const anonymousCsrf = await csrfFrom(anonymous, '/login');

    type Route = [method: 'get' | 'post', path: string, fields?: Record<string, unknown>];
    const routes: Route[] = [
      ['get', `/my/playlists/${id}`],
      ['get', `/my/playlists/${id}/play`],
      ['get', `/my/playlists/${id}/play?order=shuffled`],
      ['post', `/my/playlists/${id}/rename`, { name: 'Taken over' }],
      ['post', `/my/playlists/${id}/visibility`, { public: '1' }],
      ['post', `/my/playlists/${id}/songs`, { songId: d }],
      ['post', '/my/playlists/add', { songId: d, playlistId: id }],
      ['post', `/my/playlists/${id}/songs/${a}/move`, { direction: 'down' }],
      ['post', `/my/playlists/${id}/songs/${b}/remove`],
      ['get', `/my/playlists/${id}/delete`],
      ['post', `/my/playlists/${id}/delete`],
    ];
    const snapshot = async () => ({
      playlists: await t.db('user_playlists').orderBy('id').select('id', 'user_id', 'name', 'is_public', 'share_token', 'updated_at'),
      songs: await t.db('user_playlist_songs').orderBy(['playlist_id', 'position']).select('playlist_id', 'song_id', 'position'),
    });
    const send = async (agent: Agent, [method, path, fields]: Route, csrf?: string) =>
      method === 'get'
        ? agent.get(path)
        : agent
            .post(path)
            .type('form')
            .send({ _csrf: csrf ?? (await csrfFrom(agent, '/my/playlists')), ...fields });

    for (const route of routes) {
      const before = await snapshot();
      const anon = await send(anonymous, route, anonymousCsrf);
      expect(anon.status, `anonymous ${route[1]}`).toBe(303);
      expect(anon.headers.location, `anonymous ${route[1]}`).toMatch(/^\/login\?next=/);
      if (route[0] === 'get') expect(anon.headers.location).toBe(`/login?next=${encodeURIComponent(route[1])}`);
      for (const [who, agent] of [
        ['another user', stranger],
        ['an admin', admin],
      ] as const) {
        const res = await send(agent, route);
        expect(res.status, `${who} ${route[0]} ${route[1]}`).toBe(403);
        expect(res.text).not.toContain('Mine only');
      }
      expect(await snapshot(), `nothing changed by ${route[1]}`).toEqual(before);
      const mine = await send(owner, route);
      expect(mine.status, `owner ${route[0]} ${route[1]}`).toBe(route[0] === 'get' ? 200 : 303);
    }
    expect(await playlistRow(id)).toBeUndefined(); // the owner's last request deleted it
  });

  it('when other listeners list or create playlists, then they see only their own', async () => {
    const { app, owner } = await setup(0);
    await createPlaylist(owner, 'Secret sauce');
    const { agent: stranger } = await registerAs(app);
    const strangersId = await createPlaylist(stranger, 'Public domain');
    const list = await stranger.get('/my/playlists').expect(200);
    expect(list.text).toContain('Public domain');
    expect(list.text).not.toContain('Secret sauce');
    expect((await playlistRow(strangersId)).user_id).not.toBe((await t.db('user_playlists').where('name', 'Secret sauce').first()).user_id);
    for (const path of ['/my/playlists']) {
      const anon = await request(app).get(path);
      expect(anon.status).toBe(303);
      expect(anon.headers.location).toBe('/login?next=%2Fmy%2Fplaylists');
    }
    const anonymous = request.agent(app);
    const _csrf = await csrfFrom(anonymous, '/login');
    const created = await anonymous.post('/my/playlists').type('form').send({ _csrf, name: 'Nope' });
    expect(created.status).toBe(303);
    expect(created.headers.location).toMatch(/^\/login\?next=/);
    expect(await t.db('user_playlists').where('name', 'Nope').first()).toBeUndefined();
  });

  it('when a form arrives without a CSRF token or with another session’s, then 403 and nothing changes', async () => {
    const { app, owner, songIds } = await setup(1);
    const id = await createPlaylist(owner, 'Guarded');
    const { agent: stranger } = await registerAs(app);
    const foreign = await csrfFrom(stranger, '/my/playlists');
    for (const _csrf of [undefined, foreign]) {
      expect((await owner.post(`/my/playlists/${id}/rename`).type('form').send({ _csrf, name: 'Hijacked' })).status).toBe(403);
      expect((await owner.post(`/my/playlists/${id}/delete`).type('form').send({ _csrf })).status).toBe(403);
      expect((await owner.post('/my/playlists/add').type('form').send({ _csrf, songId: songIds[0], playlistId: id })).status).toBe(403);
      expect((await owner.post('/my/playlists').type('form').send({ _csrf, name: 'Planted' })).status).toBe(403);
    }
    expect((await playlistRow(id)).name).toBe('Guarded');
    expect(await rows(id)).toEqual([]);
    expect(await t.db('user_playlists').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });
});

describe('forms and escaping', () => {
  it.each([
    ['empty', '', 'Name is required'],
    ['blank', '   ', 'Name is required'],
    ['101 characters', 'x'.repeat(101), 'Name must be at most 100 characters'],
  ])('when a new playlist name is %s, then the form comes back with the error and the value', async (_label, name, message) => {
    const { owner } = await setup(0);
    const res = await post(owner, '/my/playlists', { name });
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`value="${name}"`);
    expect(res.text).toContain('aria-invalid="true"');
    expect(await t.db('user_playlists').first()).toBeUndefined();
  });

  it.each([
    ['empty', '', 'Name is required'],
    ['101 characters', 'y'.repeat(101), 'Name must be at most 100 characters'],
  ])('when a playlist is renamed to something %s, then its page comes back with the error and the value', async (_label, name, message) => {
    const { owner } = await setup(0);
    const id = await createPlaylist(owner, 'Keep me');
    const res = await post(owner, `/my/playlists/${id}/rename`, { name });
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`value="${name}"`);
    expect((await playlistRow(id)).name).toBe('Keep me');
  });

  it('when a name is exactly 100 characters, then it is accepted', async () => {
    const { owner } = await setup(0);
    const id = await createPlaylist(owner, 'z'.repeat(100));
    expect((await playlistRow(id)).name).toBe('z'.repeat(100));
  });

  it('when playlist names, song titles and usernames carry script and quote payloads, then every page shows them escaped', async () => {
    const { app, owner, ownerName, genre } = await setup(0);
    const songId = await insertSong(t.db, { title: XSS, artist: `"><img src=x onerror=alert(1)>`, url: 'https://example.test/xss.mp3' });
    await createMemberships(t.db).add(genre.genreId, songId);
    const id = await createPlaylist(owner, XSS);
    await addSongs(owner, id, [songId]);
    await post(owner, `/my/playlists/${id}/visibility`, { public: '1' });
    await t.db('users').where('username', ownerName).update({ username: `<script>alert('u')</script>"` });
    const { share_token: token } = await playlistRow(id);

    const pages = [
      await owner.get('/my/playlists'),
      await owner.get(`/my/playlists/${id}`),
      await owner.get(`/my/playlists/${id}/delete`),
      await owner.get(`/my/playlists/${id}/play`),
      await owner.get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`),
      await request(app).get(`/shared/playlists/${token}`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).toContain(XSS_ESCAPED);
    }
    expect(pages[5]!.text).toContain('&lt;script&gt;alert(&#39;u&#39;)&lt;/script&gt;&#34;');
    expect(pages[4]!.text).toContain(`<option value="${id}">${XSS_ESCAPED}</option>`);
  });
});
