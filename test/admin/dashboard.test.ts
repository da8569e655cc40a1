import request from 'supertest';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { PLAYS_PER_MINUTE } from '../../src/plays/plays.service.js';
import { utcDay } from '../../src/lib/utc.js';
import { adminAgent } from '../helpers/admin.js';
import { storedDay } from '../helpers/days.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, createMemberships } from '../helpers/factories.js';
import { csrfFrom, registerAs, type Agent } from '../helpers/session.js';

const t = useTestDb();

const asAdmin = async (app: Express): Promise<Agent> => (await adminAgent(app, t.db)).agent;

const play = (app: Express, body: unknown) =>
  request(app)
    .post('/api/plays')
    .send(body as object);
const daysAgo = (n: number) => utcDay(new Date(Date.now() - n * 86_400_000));
/**
 * The day totals the server counted, summed over the days it counted them on (its clock decides
 * the day, and a run may cross midnight UTC); undefined when it counted nothing.
 */
async function countedStats(): Promise<{ playlists_started: number; songs_played: number } | undefined> {
  const rows = await t.db('daily_stats');
  if (rows.length === 0) return undefined;
  return {
    playlists_started: rows.reduce((sum, r) => sum + Number(r.playlists_started), 0),
    songs_played: rows.reduce((sum, r) => sum + Number(r.songs_played), 0),
  };
}
/** The number in a table cell after a row header, e.g. the plays of a song in #top-played. */
const cellAfter = (html: string, title: string) => new RegExp(`<strong>${title}</strong></td><td>[^<]*</td><td>([\\d,]+)</td>`).exec(html)?.[1];

describe('plays API', () => {
  it('when an anonymous listener reports plays without a token, then they are counted per day, song and genre', async () => {
    const genre = await makeGenre(t.db);
    const [a, b] = await makeSongs(t.db, genre.genreId, 2);
    const app = createTestApp(t.db);
    const genrePath = `${genre.drugSlug}/${genre.moodSlug}`;
    await play(app, { songId: a, genre: genrePath, first: true }).expect(204);
    await play(app, { songId: b, genre: genrePath }).expect(204);
    await play(app, { songId: a }).expect(204);
    await play(app, { songId: b, genre: 'no-such/genre', first: true }).expect(204);

    expect(await countedStats()).toMatchObject({ playlists_started: 2, songs_played: 4 });
    const songPlays = await t.db('song_daily_plays').orderBy('song_id').select('song_id', 'plays');
    expect(songPlays.map((r) => [Number(r.song_id), Number(r.plays)])).toEqual([
      [a, 2],
      [b, 2],
    ]);
    expect(await t.db('genre_daily_plays').where('genre_id', genre.genreId).first()).toMatchObject({ playlists_started: 1, songs_played: 2 });
  });

  it('when a logged-in listener reports a play, then the token is accepted but not needed', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    const csrf = await csrfFrom(agent, '/account');
    await agent.post('/api/plays').set('x-csrf-token', csrf).send({ songId: song }).expect(204);
    await agent.post('/api/plays').send({ songId: song }).expect(204);
    expect(await countedStats()).toMatchObject({ songs_played: 2 });
  });

  it.each([
    [{}, 'songId'],
    [{ songId: 'abc' }, 'songId'],
    [{ songId: '5' }, 'songId'],
    [{ songId: 1.5 }, 'songId'],
    [{ songId: -1 }, 'songId'],
    [{ songId: 1, genre: 'no slash' }, 'genre'],
    [{ songId: 1, first: 'yes' }, 'first'],
  ])('when the body is %j, then 400 names %s and nothing is counted', async (body, field) => {
    const res = await play(createTestApp(t.db), body).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toHaveProperty(field);
    expect(await countedStats()).toBeUndefined();
  });

  it('when the song does not exist, then 404; when the body is not JSON, then 415', async () => {
    const app = createTestApp(t.db);
    expect((await play(app, { songId: 999999 })).status).toBe(404);
    const form = await request(app).post('/api/plays').type('form').send({ songId: '1' });
    expect(form.status).toBe(415);
    expect((await request(app).post('/api/plays').set('content-type', 'application/json').send('{"songId":')).status).toBe(400);
    expect(await countedStats()).toBeUndefined();
  });

  it('when many plays of one song arrive at once, then every one is counted', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    const body = { songId: song, genre: `${genre.drugSlug}/${genre.moodSlug}`, first: true };
    const results = await Promise.all(Array.from({ length: 20 }, () => play(app, body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(204));
    expect(await countedStats()).toMatchObject({ playlists_started: 20, songs_played: 20 });
    expect(await t.db('song_daily_plays').where('song_id', song!).first()).toMatchObject({ plays: 20 });
    expect(await t.db('genre_daily_plays').where('genre_id', genre.genreId).first()).toMatchObject({ playlists_started: 20, songs_played: 20 });
  });

  it('when another site posts a play, then it is refused with 403 and not counted', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const res = await request(createTestApp(t.db)).post('/api/plays').set('Sec-Fetch-Site', 'cross-site').send({ songId: song });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf');
    expect(await countedStats()).toBeUndefined();
    await request(createTestApp(t.db)).post('/api/plays').set('Sec-Fetch-Site', 'same-origin').send({ songId: song }).expect(204);
  });

  it(`when one IP reports more than ${PLAYS_PER_MINUTE} plays in a minute, then 429 with Retry-After`, async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    for (let i = 0; i < PLAYS_PER_MINUTE; i++) await play(app, { songId: song }).expect(204);
    const res = await play(app, { songId: song });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body.error.code).toBe('too_many_plays');
    expect(await countedStats()).toMatchObject({ songs_played: PLAYS_PER_MINUTE });
  }, 60_000);

  it('when a song or a mood is deleted, then its play counts go with it and the daily totals stay', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const empty = await makeGenre(t.db, { drugId: genre.drugId });
    const [other] = await makeSongs(t.db, empty.genreId, 1);
    const app = createTestApp(t.db);
    await play(app, { songId: song, genre: `${genre.drugSlug}/${genre.moodSlug}`, first: true }).expect(204);
    await play(app, { songId: other, genre: `${empty.drugSlug}/${empty.moodSlug}`, first: true }).expect(204);
    await createMemberships(t.db).deleteSong(other!);
    expect(await t.db('song_daily_plays').where('song_id', other!).first()).toBeUndefined();

    const agent = await asAdmin(app);
    const csrf = await csrfFrom(agent, '/admin/drugs');
    await agent.post(`/admin/drugs/${empty.drugId}/moods/${empty.genreId}/delete`).type('form').send({ _csrf: csrf }).expect(303);
    expect(await t.db('genre_daily_plays').where('genre_id', empty.genreId).first()).toBeUndefined();
    expect(await countedStats()).toMatchObject({ playlists_started: 2, songs_played: 2 });
  });
});

describe('admin dashboard', () => {
  it('when anyone but an admin opens /admin, then anonymous → login and users → 403', async () => {
    const app = createTestApp(t.db);
    const anonymous = await request(app).get('/admin');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fadmin');
    const { agent } = await registerAs(app);
    expect((await agent.get('/admin')).status).toBe(403);
  });

  it('when the catalog is empty, then the dashboard still renders with zeroes', async () => {
    const app = createTestApp(t.db);
    const res = await (await asAdmin(app)).get('/admin').expect(200);
    expect(res.text).toContain('No genres yet');
    expect(res.text).toContain('Playlists started: 0');
    expect(res.text).toContain('<svg');
  });

  it('when listeners play and love songs, then the dashboard charts and lists show the numbers', async () => {
    const genre = await makeGenre(t.db);
    const second = await makeGenre(t.db, { drugId: genre.drugId });
    const ids = await makeSongs(t.db, genre.genreId, 12);
    await makeSongs(t.db, second.genreId, 3);
    const app = createTestApp(t.db);
    const genrePath = `${genre.drugSlug}/${genre.moodSlug}`;
    await play(app, { songId: ids[0], genre: genrePath, first: true }).expect(204);
    for (let i = 0; i < 4; i++) await play(app, { songId: ids[1], genre: genrePath }).expect(204);
    await play(app, { songId: ids[0], first: true }).expect(204);
    // The day the server counted these plays on, by its clock.
    const today = storedDay((await t.db('daily_stats').first('day')).day);
    // Earlier days come from the rollup: one inside the 30-day window, one outside it.
    await t.db('daily_stats').insert([
      { day: daysAgo(10), playlists_started: 7, songs_played: 40 },
      { day: daysAgo(45), playlists_started: 900, songs_played: 9000 },
    ]);
    await t.db('song_daily_plays').insert([
      { day: daysAgo(10), song_id: ids[2], plays: 3 },
      { day: daysAgo(45), song_id: ids[3], plays: 500 },
    ]);
    const { agent: fan } = await registerAs(app);
    const fanCsrf = await csrfFrom(fan, '/account');
    await fan.put(`/api/favorites/${ids[5]}`).set('x-csrf-token', fanCsrf).expect(200);
    const song = async (id: number) => (await t.db('songs').where('id', id).first()).title as string;

    const res = await (await asAdmin(app)).get('/admin').expect(200);
    const html = res.text;
    // Charts: server-rendered SVG with a title each, and tables behind <details>.
    expect(html.match(/<svg viewBox="[^"]+" width="\d+" height="\d+" role="img"/g)).toHaveLength(3);
    expect(html).toContain('<title id="genre-chart-title">Songs per genre</title>');
    expect(html).toContain('<title id="started-chart-title">Playlists started per day, last 30 days</title>');
    expect(html).toContain('<title id="played-chart-title">Songs played per day, last 30 days</title>');
    expect(html.match(/<details>/g)).toHaveLength(2);
    expect(html).not.toMatch(/style=/);
    // Songs per genre: 12 and 3, as bars and in the table.
    expect(html).toContain(`Mood ${genre.moodSlug}: 12 songs</title></rect>`);
    expect(html).toContain(`Mood ${second.moodSlug}: 3 songs</title></rect>`);
    expect(html).toContain(`<td>Mood ${genre.moodSlug}</td><td>12</td>`);
    // Last 30 days: today 2 playlists / 6 songs, plus 7 / 40 ten days ago; 45 days ago is left out.
    expect(html).toContain('Playlists started: 9');
    expect(html).toContain('Songs played: 46');
    expect(html).toContain(`<time datetime="${today}">${today}</time></td><td>2</td><td>6</td>`);
    expect(html).toContain(`<time datetime="${daysAgo(10)}">${daysAgo(10)}</time></td><td>7</td><td>40</td>`);
    expect(html).not.toContain(daysAgo(45));
    expect(html).toMatch(/<rect [^>]+><title>[^<]+: 6 songs played<\/title><\/rect>/);
    // Top played (30 days), most started genre, most favorited, recent additions.
    const top = html.slice(html.indexOf('id="top-played"'), html.indexOf('</table>', html.indexOf('id="top-played"')));
    expect(cellAfter(top, await song(ids[1]!))).toBe('4');
    expect(cellAfter(top, await song(ids[2]!))).toBe('3');
    expect(cellAfter(top, await song(ids[0]!))).toBe('2');
    expect(top).not.toContain(await song(ids[3]!));
    expect(html).toContain(`Mood ${genre.moodSlug}</td><td>1</td><td>5</td>`);
    expect(cellAfter(html.slice(html.indexOf('id="most-favorited"')), await song(ids[5]!))).toBe('1');
    const recent = html.slice(html.indexOf('id="recent-songs"'));
    expect(recent.slice(0, recent.indexOf('</table>')).match(/<time datetime=/g)).toHaveLength(10);
  });
});
