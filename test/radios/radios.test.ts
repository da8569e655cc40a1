// A listener's radio continues across visits and devices: the player page draws from where the
// listener's last batch left the walk, so no song comes back before the whole mood has played.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { type Agent, loginAs, PASSWORD, registerAs } from '../helpers/session.js';

const t = useTestDb();

/** The song ids of a player page, in order, and whether it says the radio continued. */
async function playerPage(agent: Agent | ReturnType<typeof request>, url: string) {
  const res = await (agent as Agent).get(url);
  expect(res.status).toBe(200);
  const data = JSON.parse(/<script type="application\/json" id="playlist-data">([\s\S]*?)<\/script>/.exec(res.text)![1]!.replace(/\\u003c/g, '<'));
  const continuing = /<p class="radio-note" data-radio-note>/.test(res.text);
  return { ids: (data.songs as { id: number }[]).map((s) => s.id), cursor: data.cursor as string, radio: data.radio, continuing };
}

async function setup(songs = 50) {
  const genre = await makeGenre(t.db);
  const ids = await makeSongs(t.db, genre.genreId, songs);
  const app = createTestApp(t.db);
  const page = `/playlist/${genre.drugSlug}/${genre.moodSlug}?limit=10`;
  const api = `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
  return { genre, ids, app, page, api };
}

const radios = () => t.db('listener_radios').select('user_id', 'genre_id', 'cursor');

describe('the radio of a logged-in listener', () => {
  it('when they come back to a mood again and again, then no song repeats until every song of it has played', async () => {
    const { ids, app, page } = await setup(50);
    const { agent } = await registerAs(app);
    const first = await playerPage(agent, page);
    expect(first.continuing).toBe(false);
    const heard = [...first.ids];
    for (let visit = 1; visit < 5; visit++) {
      const next = await playerPage(agent, page);
      expect(next.continuing).toBe(true);
      heard.push(...next.ids);
    }
    expect(heard.sort((a, b) => a - b)).toEqual(ids);
  });

  it('when the player fetches the next batch as a radio, then the next visit continues after that batch', async () => {
    const { app, page, api } = await setup(50);
    const { agent } = await registerAs(app);
    const first = await playerPage(agent, page);
    const more = await agent.get(api).query({ cursor: first.cursor, radio: '1', limit: 10 }).expect(200);
    const again = await playerPage(agent, page);
    const heard = [...first.ids, ...more.body.songs.map((s: { id: number }) => s.id), ...again.ids];
    expect(new Set(heard).size).toBe(30);
    expect((await radios())[0]).toMatchObject({ cursor: again.cursor });
  });

  it('when they log in on another device, then that device continues the same radio', async () => {
    const { app, page } = await setup(40);
    const { agent, username } = await registerAs(app);
    const onPhone = await playerPage(agent, page);
    const laptop = await loginAs(app, username, PASSWORD);
    const onLaptop = await playerPage(laptop, page);
    expect(onLaptop.continuing).toBe(true);
    expect(onLaptop.radio.continuedFrom).toBe(onPhone.cursor);
    expect(onLaptop.ids.filter((id) => onPhone.ids.includes(id))).toEqual([]);
  });

  it('when they start fresh, then a new walk begins, and the visits after continue that one', async () => {
    const { app, page } = await setup(50);
    const { agent } = await registerAs(app);
    const before = await playerPage(agent, page);
    const fresh = await playerPage(agent, `${page}&fresh=1`);
    expect(fresh.continuing).toBe(false);
    expect(fresh.radio.fresh).toBe(true);
    expect(fresh.cursor.split('.')[0]).not.toBe(before.cursor.split('.')[0]); // another dose
    const after = await playerPage(agent, page);
    expect(after.radio.continuedFrom).toBe(fresh.cursor);
  });

  it('when they play a shared mix, then their radio is left where it was', async () => {
    const { app, page, genre } = await setup(50);
    const { agent } = await registerAs(app);
    const mine = await playerPage(agent, page);
    const shared = await playerPage(agent, `/playlist/${genre.drugSlug}/${genre.moodSlug}?dose=sharedmix01&limit=10`);
    expect(shared.radio).toBeNull();
    const back = await playerPage(agent, page);
    expect(back.radio.continuedFrom).toBe(mine.cursor);
  });

  it('when two listeners play the same mood, then each has a radio of their own', async () => {
    const { app, page } = await setup(30);
    const a = await registerAs(app);
    const b = await registerAs(app);
    await playerPage(a.agent, page);
    const bFirst = await playerPage(b.agent, page);
    expect(bFirst.continuing).toBe(false);
    expect(await radios()).toHaveLength(2);
  });
});

describe('the radio of a visitor', () => {
  it('when a visitor opens a mood, then nothing is stored for them: the page starts a walk their browser will keep', async () => {
    const { app, page, api } = await setup(30);
    const first = await playerPage(request(app), page);
    expect(first.continuing).toBe(false);
    expect(first.radio).toMatchObject({ continuedFrom: null, fresh: false });
    // Their browser continues the walk through the API, which stores nothing either.
    const more = await request(app).get(api).query({ cursor: first.cursor, radio: '1', limit: 10 }).expect(200);
    expect(more.body.songs.filter((s: { id: number }) => first.ids.includes(s.id))).toEqual([]);
    expect(await radios()).toEqual([]);
  });

  it.each([
    ['fresh=yes', 'fresh'],
    ['radio=2', 'radio'],
  ])('when the query has %s, then 400 naming %s', async (query, field) => {
    const { app, api } = await setup(5);
    const res = await request(app).get(`${api}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty(field);
  });
});

describe('the home page of a returning listener', () => {
  it('when a listener played two moods and has a playlist, then "Continue your … radio" names the latest first, then the other mood and the playlist', async () => {
    const { genre, app } = await setup(5);
    const other = await makeGenre(t.db);
    await makeSongs(t.db, other.genreId, 5);
    const { agent } = await registerAs(app);
    expect((await agent.get('/').expect(200)).text).not.toContain('Continue your');
    await agent.get(`/playlist/${other.drugSlug}/${other.moodSlug}`).expect(200);
    // Saved a moment later, so the order of the two is certain whatever the clock's resolution.
    await t.db('listener_radios').update({ updated_at: new Date(Date.now() - 60_000) });
    await agent.get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec((await agent.get('/my/playlists')).text)![1];
    await agent.post('/my/playlists').type('form').send({ _csrf: csrf, name: 'Sunday' }).expect(303);

    const home = (await agent.get('/').expect(200)).text;
    const first = home.indexOf(`Continue your Drug ${genre.drugSlug} · Mood ${genre.moodSlug} radio`);
    expect(first).toBeGreaterThan(0);
    expect(home.indexOf(`href="/playlist/${other.drugSlug}/${other.moodSlug}"`)).toBeGreaterThan(first);
    expect(home).toMatch(/href="\/my\/playlists\/\d+\/play">Sunday</);
    // A visitor's page leaves the place for this browser's own radios, which its script fills in.
    expect((await request(app).get('/').expect(200)).text).toContain('class="intro-lead" data-continue');
  });
});
