import request from 'supertest';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { slugify } from '../../src/admin/catalog/catalog-admin.schemas.js';
import { checkGenres } from '../../src/playlists/check.js';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { csrfFrom, registerAs, type Agent } from '../helpers/session.js';

const t = useTestDb();

async function asAdmin(app: Express): Promise<{ agent: Agent; csrf: string }> {
  const { agent } = await adminAgent(app, t.db);
  return { agent, csrf: await csrfFrom(agent, '/admin/drugs') };
}

async function setup() {
  const app = createTestApp(t.db);
  return { app, ...(await asAdmin(app)) };
}

const post = (agent: Agent, csrf: string, path: string, fields: Record<string, string> = {}) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf, ...fields });

async function addDrug(agent: Agent, csrf: string, name: string, fields: Record<string, string> = {}) {
  const res = await post(agent, csrf, '/admin/drugs', { name, description: `About ${name}`, color: '#123abc', ...fields });
  expect(res.status).toBe(303);
  const drug = await t.db('drugs').where('name', name).orderBy('id', 'desc').first();
  return { id: Number(drug.id), slug: String(drug.slug) };
}

async function addMood(agent: Agent, csrf: string, drugId: number, name: string) {
  const res = await post(agent, csrf, `/admin/drugs/${drugId}/moods`, { name, description: `Feeling ${name}` });
  expect(res.status).toBe(303);
  const mood = await t.db('moods').where({ drug_id: drugId, name }).orderBy('id', 'desc').first();
  return { id: Number(mood.id), slug: String(mood.slug) };
}

type ApiDrug = { slug: string; name: string; color: string; moods: { slug: string; name: string; songCount: number }[] };
const genres = async (app: Express): Promise<ApiDrug[]> => (await request(app).get('/api/genres').expect(200)).body.drugs;
const positions = async (table: 'drugs' | 'moods', where: Record<string, unknown> = {}) =>
  (
    await t
      .db(table)
      .where(where)
      .orderBy([{ column: 'position' }, { column: 'id' }])
      .select('name', 'position')
  ).map((r) => [r.name, Number(r.position)]);

describe('admin: drugs and moods', () => {
  it('when anyone but an admin opens a drugs and moods route, then anonymous → login and users → 403, and nothing changes', async () => {
    const app = createTestApp(t.db);
    const genre = await makeGenre(t.db);
    const drug = `/admin/drugs/${genre.drugId}`;
    const mood = `${drug}/moods/${genre.genreId}`;
    const gets = ['/admin/drugs', `${drug}/edit`, `${drug}/moods/new`, `${mood}/edit`];
    const posts: [string, Record<string, string>][] = [
      ['/admin/drugs', { name: 'Sneaky', color: '#000000' }],
      [drug, { name: 'Renamed', color: '#000000' }],
      [`${drug}/move`, { direction: 'down' }],
      [`${drug}/visibility`, { hidden: '1' }],
      [`${drug}/delete`, {}],
      [`${drug}/moods`, { name: 'Sneaky' }],
      [mood, { name: 'Renamed' }],
      [`${mood}/move`, { direction: 'down' }],
      [`${mood}/visibility`, { hidden: '1' }],
      [`${mood}/delete`, {}],
    ];
    const before = await genres(app);

    const anonymous = request.agent(app);
    const anonymousCsrf = await csrfFrom(anonymous, '/login');
    for (const path of gets) {
      const res = await anonymous.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location, path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const [path, fields] of posts) {
      const res = await post(anonymous, anonymousCsrf, path, fields);
      expect(res.status, path).toBe(303);
      expect(res.headers.location, path).toMatch(/^\/login\?next=/);
    }

    const { agent } = await registerAs(app);
    const csrf = await csrfFrom(agent, '/account');
    for (const path of gets) expect((await agent.get(path)).status, path).toBe(403);
    for (const [path, fields] of posts) expect((await post(agent, csrf, path, fields)).status, path).toBe(403);
    expect(await genres(app)).toEqual(before);
  });

  it('when an admin adds a drug and a mood, then the pickers and /api/genres show them at once', async () => {
    const { app, agent, csrf } = await setup();
    const res = await post(agent, csrf, '/admin/drugs', { name: 'Thug Life', description: 'Heavy beats', color: '#AA3300' });
    expect(res.status).toBe(303);
    const drug = await t.db('drugs').where('slug', 'thug-life').first();
    expect(res.headers.location).toBe(`/admin/drugs#drug-${drug.id}`);
    expect((await agent.get(res.headers.location!)).text).toContain('Added the drug “Thug Life”');
    expect(await genres(app)).toEqual([{ slug: 'thug-life', name: 'Thug Life', description: 'Heavy beats', color: '#aa3300', moods: [] }]);
    expect((await request(app).get('/').expect(200)).text).toContain('href="/playlist/thug-life"');

    const mood = await addMood(agent, csrf, drug.id, "Groovin'");
    expect(mood.slug).toBe('groovin');
    expect(await t.db('genre_counts').where('genre_id', mood.id).first()).toMatchObject({ song_count: 0 });
    expect((await genres(app))[0]!.moods).toEqual([{ slug: 'groovin', name: "Groovin'", description: "Feeling Groovin'", songCount: 0 }]);
    const picker = await request(app).get('/playlist/thug-life').expect(200);
    expect(picker.text).toContain('href="/playlist/thug-life/groovin"');
    const admin = await agent.get('/admin/drugs').expect(200);
    expect(admin.text).toContain('Groovin&#39;');
    expect(admin.text).toContain('class="admin-nav"');
  });

  it('when names repeat, then slugs stay unique with -2, -3… (moods only within their drug) and survive renaming', async () => {
    const { app, agent, csrf } = await setup();
    const first = await addDrug(agent, csrf, 'Thug Life');
    const second = await addDrug(agent, csrf, 'Thug  Life!');
    const third = await addDrug(agent, csrf, 'THUG LIFE');
    expect([first.slug, second.slug, third.slug]).toEqual(['thug-life', 'thug-life-2', 'thug-life-3']);
    const chill = await addMood(agent, csrf, first.id, 'Chill');
    const chillAgain = await addMood(agent, csrf, first.id, 'Chill');
    const chillElsewhere = await addMood(agent, csrf, second.id, 'Chill');
    expect([chill.slug, chillAgain.slug, chillElsewhere.slug]).toEqual(['chill', 'chill-2', 'chill']);

    await post(agent, csrf, `/admin/drugs/${first.id}`, { name: 'Gangsta', description: '', color: '#000000' }).expect(303);
    await post(agent, csrf, `/admin/drugs/${first.id}/moods/${chill.id}`, { name: 'Laid back', description: 'Slow' }).expect(303);
    expect(await t.db('drugs').where('id', first.id).first()).toMatchObject({ slug: 'thug-life', name: 'Gangsta' });
    const page = await request(app).get('/playlist/thug-life').expect(200);
    expect(page.text).toContain('Gangsta');
    expect(page.text).toContain('href="/playlist/thug-life/chill"');
    expect(page.text).toContain('Laid back');
  });

  it('when two admins add the same name at once, then each gets its own slug and place', async () => {
    const { app, agent, csrf } = await setup();
    const other = await asAdmin(app);
    const results = await Promise.all([
      post(agent, csrf, '/admin/drugs', { name: 'Twin', color: '#111111' }),
      post(other.agent, other.csrf, '/admin/drugs', { name: 'Twin', color: '#222222' }),
      post(agent, csrf, '/admin/drugs', { name: 'Twin', color: '#333333' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
    expect((await t.db('drugs').orderBy('slug').pluck('slug')).sort()).toEqual(['twin', 'twin-2', 'twin-3']);
    expect((await positions('drugs')).map(([, position]) => position)).toEqual([0, 1, 2]);
  });

  it.each([
    ["Groovin'", 'groovin'],
    ['Thug Life', 'thug-life'],
    ['  Café del Mar  ', 'cafe-del-mar'],
    ['Rock’n’Roll', 'rocknroll'],
    ['Lo-fi / Beats', 'lo-fi-beats'],
    ['!!!', 'mood'],
    ['夜', 'mood'],
    ['x'.repeat(64), 'x'.repeat(56)],
  ])('when a name is %j, then its slug is %j', (name, slug) => {
    expect(slugify(name, 'mood')).toBe(slug);
  });

  it('when drugs and moods move up and down, then the pickers follow and positions stay dense', async () => {
    const { app, agent, csrf } = await setup();
    const a = await addDrug(agent, csrf, 'Alpha');
    await addDrug(agent, csrf, 'Beta');
    const c = await addDrug(agent, csrf, 'Gamma');
    await post(agent, csrf, `/admin/drugs/${c.id}/move`, { direction: 'up' }).expect(303);
    expect((await genres(app)).map((d) => d.name)).toEqual(['Alpha', 'Gamma', 'Beta']);
    await post(agent, csrf, `/admin/drugs/${a.id}/move`, { direction: 'up' }).expect(303); // already first
    await post(agent, csrf, `/admin/drugs/${a.id}/move`, { direction: 'down' }).expect(303);
    expect(await positions('drugs')).toEqual([
      ['Gamma', 0],
      ['Alpha', 1],
      ['Beta', 2],
    ]);

    const one = await addMood(agent, csrf, a.id, 'One');
    await addMood(agent, csrf, a.id, 'Two');
    await addMood(agent, csrf, a.id, 'Three');
    await post(agent, csrf, `/admin/drugs/${a.id}/moods/${one.id}/move`, { direction: 'down' }).expect(303);
    await post(agent, csrf, `/admin/drugs/${a.id}/moods/${one.id}/move`, { direction: 'down' }).expect(303);
    await post(agent, csrf, `/admin/drugs/${a.id}/moods/${one.id}/move`, { direction: 'down' }).expect(303); // already last
    expect((await genres(app)).find((d) => d.name === 'Alpha')!.moods.map((m) => m.name)).toEqual(['Two', 'Three', 'One']);
    expect(await positions('moods', { drug_id: a.id })).toEqual([
      ['Two', 0],
      ['Three', 1],
      ['One', 2],
    ]);
    expect((await post(agent, csrf, `/admin/drugs/${a.id}/move`, { direction: 'sideways' })).status).toBe(400);
  });

  it('when a mood or a drug is hidden, then it vanishes from the pickers and the API until shown again', async () => {
    const { app, agent, csrf } = await setup();
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 2);
    const moodPath = `/admin/drugs/${genre.drugId}/moods/${genre.genreId}`;

    await post(agent, csrf, `${moodPath}/visibility`, { hidden: '1' }).expect(303);
    expect((await genres(app))[0]!.moods).toEqual([]);
    expect((await request(app).get(`/playlist/${genre.drugSlug}`)).text).not.toContain(genre.moodSlug);
    expect((await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`)).status).toBe(404);
    const admin = await agent.get('/admin/drugs').expect(200);
    expect(admin.text).toContain(genre.moodSlug);
    expect(admin.text).toContain('Hidden');

    await post(agent, csrf, `${moodPath}/visibility`, { hidden: '0' }).expect(303);
    expect((await genres(app))[0]!.moods.map((m) => m.slug)).toEqual([genre.moodSlug]);
    await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);

    await post(agent, csrf, `/admin/drugs/${genre.drugId}/visibility`, { hidden: '1' }).expect(303);
    expect(await genres(app)).toEqual([]);
    expect((await request(app).get('/')).text).not.toContain(`/playlist/${genre.drugSlug}`);
    expect((await request(app).get(`/playlist/${genre.drugSlug}`)).status).toBe(404);
    await post(agent, csrf, `/admin/drugs/${genre.drugId}/visibility`, { hidden: '0' }).expect(303);
    expect((await genres(app)).map((d) => d.slug)).toEqual([genre.drugSlug]);
  });

  it('when a mood still holds songs, then deleting it is refused with the count and nothing changes', async () => {
    const { app, agent, csrf } = await setup();
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 3);
    const before = await genres(app);
    const res = await post(agent, csrf, `/admin/drugs/${genre.drugId}/moods/${genre.genreId}/delete`);
    expect(res.status).toBe(409);
    expect(res.text).toContain('still holds 3 songs');
    expect(res.text).toContain('class="admin-table"');
    expect(await genres(app)).toEqual(before);
    expect(await t.db('genre_counts').where('genre_id', genre.genreId).first()).toMatchObject({ song_count: 3 });
    expect(await t.db('genre_songs').where('genre_id', genre.genreId).count({ n: '*' }).first()).toMatchObject({ n: 3 });

    const drug = await post(agent, csrf, `/admin/drugs/${genre.drugId}/delete`);
    expect(drug.status).toBe(409);
    expect(drug.text).toContain('still has 1 mood');
    expect(await t.db('drugs').where('id', genre.drugId).first()).toBeDefined();
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when an empty mood is deleted, then it goes with its genre_counts row, the rest renumbered, and the engine stays consistent', async () => {
    const { app, agent, csrf } = await setup();
    const drug = await addDrug(agent, csrf, 'Weed');
    const keep = await addMood(agent, csrf, drug.id, 'Chill');
    const gone = await addMood(agent, csrf, drug.id, 'Empty');
    const last = await addMood(agent, csrf, drug.id, 'Last');
    await makeSongs(t.db, keep.id, 2);

    const res = await post(agent, csrf, `/admin/drugs/${drug.id}/moods/${gone.id}/delete`);
    expect(res.status).toBe(303);
    expect((await agent.get(res.headers.location!)).text).toContain('Deleted the mood “Empty”');
    expect(await t.db('moods').where('id', gone.id).first()).toBeUndefined();
    expect(await t.db('genre_counts').where('genre_id', gone.id).first()).toBeUndefined();
    expect(await positions('moods', { drug_id: drug.id })).toEqual([
      ['Chill', 0],
      ['Last', 1],
    ]);
    expect((await genres(app))[0]!.moods.map((m) => m.slug)).toEqual(['chill', 'last']);
    expect(await checkGenres(t.db)).toEqual([]);

    await post(agent, csrf, `/admin/drugs/${drug.id}/moods/${last.id}/delete`).expect(303);
    expect((await post(agent, csrf, `/admin/drugs/${drug.id}/delete`)).status).toBe(409);
    expect((await post(agent, csrf, `/admin/drugs/${drug.id}/moods/${keep.id}/delete`)).status).toBe(409);
    const other = await addDrug(agent, csrf, 'Empty drug');
    await post(agent, csrf, `/admin/drugs/${other.id}/delete`).expect(303);
    expect(await t.db('drugs').where('id', other.id).first()).toBeUndefined();
    expect(await positions('drugs')).toEqual([['Weed', 0]]);
  });

  it('when a new mood gets songs, then its playlist plays them at once', async () => {
    const { app, agent, csrf } = await setup();
    const drug = await addDrug(agent, csrf, 'Ecstasy');
    const mood = await addMood(agent, csrf, drug.id, 'Peak Time');
    const ids = await makeSongs(t.db, mood.id, 4);
    const res = await request(app).get(`/api/playlists/${drug.slug}/peak-time?limit=10`).expect(200);
    expect(res.body.songs.map((s: { id: number }) => s.id).sort()).toEqual([...ids].sort());
    expect((await genres(app))[0]!.moods[0]!.songCount).toBe(4);
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it.each([
    [{ name: '', description: 'kept text', color: '#123456' }, 'Name is required'],
    [{ name: 'x'.repeat(65), description: 'kept text', color: '#123456' }, 'Name must be at most 64 characters'],
    [{ name: 'Fine', description: 'y'.repeat(256), color: '#123456' }, 'Description must be at most 255 characters'],
    [{ name: 'Fine', description: 'kept text', color: 'red' }, 'Colour must be a colour like #7c5cff'],
  ])('when a drug form holds %o, then it is shown again with the message and values, and nothing is added', async (fields, message) => {
    const { agent, csrf } = await setup();
    const res = await post(agent, csrf, '/admin/drugs', fields);
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`value="${fields.name}"`);
    expect(res.text).toContain('aria-invalid="true"');
    expect(await t.db('drugs').first()).toBeUndefined();
  });

  it('when a mood or drug edit form is wrong, then its own page comes back with the message; unknown ids are 404', async () => {
    const { agent, csrf } = await setup();
    const drug = await addDrug(agent, csrf, 'LSD');
    const mood = await addMood(agent, csrf, drug.id, 'Trippy');
    const moodRes = await post(agent, csrf, `/admin/drugs/${drug.id}/moods/${mood.id}`, { name: ' ', description: 'kept text' });
    expect(moodRes.status).toBe(400);
    expect(moodRes.text).toContain('Edit Trippy');
    expect(moodRes.text).toContain('value="kept text"');
    const newMood = await post(agent, csrf, `/admin/drugs/${drug.id}/moods`, { name: 'z'.repeat(70) });
    expect(newMood.status).toBe(400);
    expect(newMood.text).toContain('New mood for LSD');
    expect((await agent.get(`/admin/drugs/${drug.id}/edit`).expect(200)).text).toContain('value="#123abc"');
    expect((await agent.get(`/admin/drugs/${drug.id}/moods/${mood.id}/edit`).expect(200)).text).toContain('value="Trippy"');

    const other = await addDrug(agent, csrf, 'Weed');
    expect((await agent.get(`/admin/drugs/${other.id}/moods/${mood.id}/edit`)).status).toBe(404);
    expect((await post(agent, csrf, `/admin/drugs/${other.id}/moods/${mood.id}/delete`)).status).toBe(404);
    expect((await agent.get('/admin/drugs/999999/edit')).status).toBe(404);
    expect((await agent.get('/admin/drugs/abc/edit')).status).toBe(404);
    expect((await post(agent, csrf, '/admin/drugs/999999/moods', { name: 'Ghost' })).status).toBe(404);
    expect(await t.db('moods').where('name', 'Trippy').first()).toMatchObject({ slug: 'trippy' });
  });
});

describe('the way to the admin area', () => {
  it('when an admin browses the site, then the header links to /admin; a listener and a visitor see no such link', async () => {
    const { app, agent } = await setup();
    expect((await agent.get('/')).text).toMatch(/<a href="\/admin">Admin<\/a>/);
    const { agent: listener } = await registerAs(app);
    expect((await listener.get('/')).text).not.toContain('href="/admin"');
    expect((await request(app).get('/')).text).not.toContain('href="/admin"');
  });
});
