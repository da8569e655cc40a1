import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { attributeValue, trackTitles, withoutTemplates } from '../helpers/html.js';
import { testDialectOf } from '../helpers/dialect.js';
import { makeGenre, makeSongs, createMemberships } from '../helpers/factories.js';
import { csrfFrom, registerAs, type Agent } from '../helpers/session.js';

const t = useTestDb();
const favoriteCount = async (songId: number) => Number((await t.db('songs').where('id', songId).first()).favorite_count);
const favoriteRows = async (songId: number) => Number((await t.db('favorites').where('song_id', songId).count({ n: '*' }).first())!.n);

async function setup(songs = 5) {
  const genre = await makeGenre(t.db);
  const ids = await makeSongs(t.db, genre.genreId, songs);
  const app = createTestApp(t.db);
  const { agent } = await registerAs(app);
  const csrf = await csrfFrom(agent, '/account');
  return { genre, ids, app, agent, csrf };
}
const heart = (agent: Agent, csrf: string, songId: number, remove = false) =>
  agent
    .post(`/favorites/${songId}${remove ? '/remove' : ''}`)
    .type('form')
    .send({ _csrf: csrf, returnTo: '/favorites' });

describe('favorites', () => {
  it('when an anonymous listener clicks a heart, then it leads to login and back to the same mix', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 3);
    const res = await request(createTestApp(t.db)).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    const link = attributeValue(/<a class="heart" href="([^"]+)"/.exec(res.text)![1]!);
    expect(decodeURIComponent(link)).toMatch(new RegExp(`^/login\\?next=/playlist/${genre.drugSlug}/${genre.moodSlug}\\?songs=[\\d-]+&cursor=[^&]+$`));
    expect((await request(createTestApp(t.db)).get('/favorites')).headers.location).toBe('/login?next=%2Ffavorites');
  });

  it('when a listener hearts a song with the plain form, then it is saved, counted, marked and listed', async () => {
    const { ids, agent, csrf, genre } = await setup();
    const res = await heart(agent, csrf, ids[0]!);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/favorites');
    expect(await favoriteCount(ids[0]!)).toBe(1);
    const list = await agent.get('/favorites').expect(200);
    expect(list.text).toContain('1 song you love');
    const player = await agent.get(`/playlist/${genre.drugSlug}/${genre.moodSlug}?limit=5`).expect(200);
    expect(player.text).toMatch(new RegExp(`action="/favorites/${ids[0]}/remove"[\\s\\S]*?aria-pressed="true"`));
    await heart(agent, csrf, ids[0]!, true).expect(303);
    expect(await favoriteCount(ids[0]!)).toBe(0);
    expect(await favoriteRows(ids[0]!)).toBe(0);
  });

  it('when the same heart is clicked many times at once, then one row, a count of 1 and no error', async () => {
    const { ids, agent, csrf } = await setup(1);
    const results = await Promise.all(Array.from({ length: 8 }, () => heart(agent, csrf, ids[0]!)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(303));
    expect(await favoriteRows(ids[0]!)).toBe(1);
    expect(await favoriteCount(ids[0]!)).toBe(1);
    const removals = await Promise.all(Array.from({ length: 5 }, () => heart(agent, csrf, ids[0]!, true)));
    expect(removals.map((r) => r.status)).toEqual(Array(5).fill(303));
    expect(await favoriteCount(ids[0]!)).toBe(0);
  });

  it('when fetch sends PUT and DELETE with the CSRF header, then JSON reports the new state', async () => {
    const { ids, agent, csrf } = await setup(1);
    const put = await agent.put(`/api/favorites/${ids[0]}`).set('x-csrf-token', csrf).expect(200);
    expect(put.body).toEqual({ songId: ids[0], favorited: true, favoriteCount: 1 });
    const del = await agent.delete(`/api/favorites/${ids[0]}`).set('x-csrf-token', csrf).expect(200);
    expect(del.body).toEqual({ songId: ids[0], favorited: false, favoriteCount: 0 });
    expect((await agent.put(`/api/favorites/${ids[0]}`)).status).toBe(403);
    expect((await agent.put('/api/favorites/999999').set('x-csrf-token', csrf)).status).toBe(404);
    expect((await agent.put('/api/favorites/abc').set('x-csrf-token', csrf)).status).toBe(404);
  });

  it('when two listeners love songs, then each sees and changes only their own favorites', async () => {
    const { ids, app, agent, csrf } = await setup(3);
    const other = await registerAs(app);
    const otherCsrf = await csrfFrom(other.agent, '/account');
    await heart(agent, csrf, ids[0]!);
    await heart(other.agent, otherCsrf, ids[1]!);
    await heart(other.agent, otherCsrf, ids[0]!, true); // removes nothing of the first listener's
    expect(await favoriteCount(ids[0]!)).toBe(1);
    expect((await other.agent.get('/favorites')).text).toContain('1 song you love');
    expect(await favoriteCount(ids[1]!)).toBe(1);
  });

  it('when a listener has 55 favorites, then they are paginated 50 per page', async () => {
    const { ids, agent, csrf } = await setup(55);
    for (const id of ids) await heart(agent, csrf, id);
    const first = await agent.get('/favorites').expect(200);
    const second = await agent.get('/favorites?page=2').expect(200);
    const count = (html: string) => (withoutTemplates(html).match(/class="track"/g) ?? []).length;
    expect(count(first.text)).toBe(50);
    expect(count(second.text)).toBe(5);
    expect(second.text).toContain('Page 2 of 2');
    expect((await agent.get('/favorites?page=0')).status).toBe(400);
  });

  it('when a listener plays their favorites, then the shuffle continues past the first batch without repeats', async () => {
    const { ids, agent, csrf } = await setup(25);
    for (const id of ids.slice(0, 22)) await heart(agent, csrf, id);
    const page = await agent.get('/favorites/play').expect(200);
    expect(page.text).toContain('My favorites · shuffled');
    const first = (await agent.get('/api/favorites/playlist?limit=10').expect(200)).body;
    const second = (await agent.get('/api/favorites/playlist').query({ limit: 10, cursor: first.cursor })).body;
    const third = (await agent.get('/api/favorites/playlist').query({ limit: 10, cursor: second.cursor })).body;
    const played = [...first.songs, ...second.songs, ...third.songs.slice(0, 2)].map((s: { id: number }) => s.id);
    expect(new Set(played).size).toBe(22);
    expect(played.every((id) => ids.slice(0, 22).includes(id))).toBe(true);
  });

  it('when songs are favorited, then the most favorited lists rank them overall and per genre from an index', async () => {
    const { ids, app, agent, csrf, genre } = await setup(4);
    const other = await registerAs(app);
    const otherCsrf = await csrfFrom(other.agent, '/account');
    await heart(agent, csrf, ids[2]!);
    await heart(other.agent, otherCsrf, ids[2]!);
    await heart(agent, csrf, ids[1]!);
    const titles = async (url: string) => trackTitles((await request(app).get(url).expect(200)).text);
    const songTitle = async (id: number) => (await t.db('songs').where('id', id).first()).title;
    expect(await titles('/popular')).toEqual([await songTitle(ids[2]!), await songTitle(ids[1]!)]);
    expect(await titles(`/popular/${genre.drugSlug}/${genre.moodSlug}`)).toEqual([await songTitle(ids[2]!), await songTitle(ids[1]!)]);

    const dialect = testDialectOf(t.db);
    const perGenre = t
      .db('genre_songs as gs')
      .join('songs as s', 's.id', 'gs.song_id')
      .where('gs.genre_id', genre.genreId)
      .andWhere('gs.favorite_count', '>', 0)
      .orderBy('gs.favorite_count', 'desc')
      .limit(20)
      .select('s.id')
      .toSQL();
    const plan = (await dialect.explain(t.db, perGenre.sql, perGenre.bindings)).join('\n');
    expect(plan).toMatch(/genre_songs_genre_favorites_index|genre_songs_genre_row_unique|PRIMARY|genre_songs_pkey/);
    expect(plan).not.toMatch(/favorites_pkey|favorites_song_index/);
  });

  it('when a song that is someone’s favorite is deleted, then the favorite goes with it', async () => {
    const { ids, agent, csrf } = await setup(2);
    await heart(agent, csrf, ids[0]!);
    await createMemberships(t.db).deleteSong(ids[0]!);
    expect(await favoriteRows(ids[0]!)).toBe(0);
    expect((await agent.get('/favorites')).text).toContain('0 songs you love');
  });
});
