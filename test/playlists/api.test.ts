import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, seededRandom } from '../helpers/factories.js';

const t = useTestDb();

describe('GET /api/playlists/:drug/:mood', () => {
  it('when asked with no limit, then it returns 30 distinct songs of the genre in the documented shape', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 45);
    const res = await request(createTestApp(t.db)).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(res.body.drug).toEqual({ slug: genre.drugSlug, name: `Drug ${genre.drugSlug}` });
    expect(res.body.mood).toEqual({ slug: genre.moodSlug, name: `Mood ${genre.moodSlug}` });
    expect(res.body.songs).toHaveLength(30);
    expect(new Set(res.body.songs.map((s: { id: number }) => s.id)).size).toBe(30);
    expect(Object.keys(res.body.songs[0]).sort()).toEqual(['artist', 'artwork', 'duration', 'favoriteCount', 'gainDb', 'id', 'title', 'url']);
    expect(res.body.songs.every((s: { id: number }) => ids.includes(s.id))).toBe(true);
    expect(typeof res.body.cursor).toBe('string');
    expect(res.body.dose).toMatch(/^[a-z0-9]{10}$/);
  });

  it('when called twice, then the playlists differ', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 60);
    const app = createTestApp(t.db);
    const url = `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    const [a, b] = [(await request(app).get(url)).body, (await request(app).get(url)).body];
    expect(a.songs.map((s: { id: number }) => s.id)).not.toEqual(b.songs.map((s: { id: number }) => s.id));
  });

  it('when following the cursor, then the next batch continues the walk with no repeats', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 25);
    const app = createTestApp(t.db, { random: seededRandom(4) });
    const url = `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    const first = (await request(app).get(url).query({ limit: 10 }).expect(200)).body;
    const second = (await request(app).get(url).query({ limit: 10, cursor: first.cursor }).expect(200)).body;
    const third = (await request(app).get(url).query({ limit: 10, cursor: second.cursor }).expect(200)).body;
    const played = [...first.songs, ...second.songs, ...third.songs.slice(0, 5)].map((s: { id: number }) => s.id);
    expect(new Set(played).size).toBe(25);
  });

  it.each([
    ['0', 'limit'],
    ['101', 'limit'],
    ['abc', 'limit'],
    ['2.5', 'limit'],
  ])('when limit=%s, then 400 names the field', async (limit, field) => {
    const genre = await makeGenre(t.db);
    const res = await request(createTestApp(t.db)).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).query({ limit });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
  });

  it('when limit is repeated, then 400 names limit instead of crashing', async () => {
    const genre = await makeGenre(t.db);
    const res = await request(createTestApp(t.db)).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}?limit=5&limit=6`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('limit');
  });

  it('when the cursor or dose is not one we gave out, then 400 names it', async () => {
    const genre = await makeGenre(t.db);
    const url = `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    const app = createTestApp(t.db);
    expect((await request(app).get(url).query({ cursor: 'nope' })).body.error.fields).toHaveProperty('cursor');
    expect((await request(app).get(url).query({ dose: '../../x' })).body.error.fields).toHaveProperty('dose');
  });

  it('when the limit is within 1..100, then min(limit, N) songs come back', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 12);
    const app = createTestApp(t.db);
    const url = `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    expect((await request(app).get(url).query({ limit: 1 })).body.songs).toHaveLength(1);
    expect((await request(app).get(url).query({ limit: 100 })).body.songs).toHaveLength(12);
  });

  it('when the drug or mood is unknown, then 404 JSON', async () => {
    const genre = await makeGenre(t.db);
    const app = createTestApp(t.db);
    const res = await request(app).get(`/api/playlists/${genre.drugSlug}/nope`).expect(404);
    expect(res.body.error.code).toBe('not_found');
    await request(app).get(`/api/playlists/nope/${genre.moodSlug}`).expect(404);
  });
});

describe('GET /api/genres', () => {
  it('when drugs and moods exist, then it lists each drug with its moods and song counts', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 3);
    const second = await makeGenre(t.db, { drugId: genre.drugId });
    const res = await request(createTestApp(t.db)).get('/api/genres').expect(200);
    expect(res.body.drugs).toHaveLength(1);
    expect(res.body.drugs[0].slug).toBe(genre.drugSlug);
    expect(res.body.drugs[0].moods.map((m: { slug: string; songCount: number }) => [m.slug, m.songCount])).toEqual([
      [genre.moodSlug, 3],
      [second.moodSlug, 0],
    ]);
  });
});
