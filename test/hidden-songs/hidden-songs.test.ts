// "Not for this vibe": a listener hides a song from a genre; it never comes back in their draws of
// that genre, the batch stays full, others still hear it, and /me/hidden takes it back.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPlaylistRepository } from '../../src/playlists/playlist.repository.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { type Agent, csrfFrom, registerAs } from '../helpers/session.js';

const t = useTestDb();

async function setup(songs = 20) {
  const genre = await makeGenre(t.db);
  const ids = await makeSongs(t.db, genre.genreId, songs);
  const app = createTestApp(t.db);
  const { agent } = await registerAs(app);
  const csrf = await csrfFrom(agent, '/account');
  return { genre, ids, app, agent, csrf, api: `/api/playlists/${genre.drugSlug}/${genre.moodSlug}` };
}

const hide = (agent: Agent, csrf: string, genreId: number, songId: number) => agent.put(`/api/me/hidden/${genreId}/${songId}`).set('x-csrf-token', csrf);
const drawnIds = async (agent: Agent | ReturnType<typeof request>, url: string) =>
  ((await (agent as Agent).get(url).query({ limit: 100 }).expect(200)).body.songs as { id: number }[]).map((s) => s.id).sort((a, b) => a - b);

describe('hiding a song from a genre', () => {
  it('when a listener hides songs, then their draws of that genre have every other song and none of those; others still hear them', async () => {
    const { genre, ids, app, agent, csrf, api } = await setup(20);
    for (const id of ids.slice(0, 5)) expect((await hide(agent, csrf, genre.genreId, id)).body).toEqual({ songId: id, genreId: genre.genreId, hidden: true });
    expect(await drawnIds(agent, api)).toEqual(ids.slice(5));
    expect(await drawnIds(request(app), api)).toEqual(ids);
    // The player page and a shared mix pass over them too.
    const page = await agent.get(`/playlist/${genre.drugSlug}/${genre.moodSlug}?limit=100&dose=sharedmix01`);
    for (const id of ids.slice(0, 5)) expect(page.text).not.toContain(`data-song-id="${id}"`);
  });

  it("when a browser asks which of its saved songs may still play, then the listener's hidden ones and those gone from the mood are left out, in the order asked", async () => {
    const { genre, ids, app, agent, csrf, api } = await setup(6);
    await hide(agent, csrf, genre.genreId, ids[1]!);
    await t.db('genre_songs').where({ genre_id: genre.genreId, song_id: ids[4]! }).del();
    const asked = [ids[5], ids[4], ids[1], ids[0], 999999].join('-');
    const kept = async (who: Agent | ReturnType<typeof request>) =>
      ((await (who as Agent).get(`${api}/songs`).query({ ids: asked }).expect(200)).body.songs as { id: number }[]).map((s) => s.id);
    expect(await kept(agent)).toEqual([ids[5], ids[0]]);
    expect(await kept(request(app))).toEqual([ids[5], ids[1], ids[0]]);
    const bad = await request(app).get(`${api}/songs`).query({ ids: 'a-b' }).expect(400);
    expect(bad.body.error.fields).toHaveProperty('ids');
    await request(app).get(`/api/playlists/nope/nope/songs`).query({ ids: '1' }).expect(404);
  });

  it('when a listener has hidden most of a genre, then a batch still holds every song left, each once', async () => {
    const { genre, ids, agent, csrf, api } = await setup(12);
    for (const id of ids.slice(0, 9)) await hide(agent, csrf, genre.genreId, id);
    const batch = (await agent.get(api).query({ limit: 10 }).expect(200)).body.songs.map((s: { id: number }) => s.id);
    expect([...batch].sort((a: number, b: number) => a - b)).toEqual(ids.slice(9));
  });

  it('when a listener hides a song, then the curators see one more hide of it in that genre today', async () => {
    const { genre, ids, agent, csrf } = await setup(3);
    await hide(agent, csrf, genre.genreId, ids[2]!).expect(200);
    expect(await t.db('song_daily_signals').where({ genre_id: genre.genreId, song_id: ids[2] }).first('hides')).toMatchObject({ hides: 1 });
  });

  it('when the same song is hidden twice, then it is hidden once; when undone on /me/hidden, then it plays again', async () => {
    const { genre, ids, agent, csrf, api } = await setup(6);
    await hide(agent, csrf, genre.genreId, ids[0]!).expect(200);
    await hide(agent, csrf, genre.genreId, ids[0]!).expect(200);
    expect(await t.db('hidden_songs').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    const list = await agent.get('/me/hidden');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`data-song-id="${ids[0]}"`);
    const undone = await agent.post(`/me/hidden/${genre.genreId}/${ids[0]}/remove`).type('form').send({ _csrf: csrf });
    expect(undone.status).toBe(303);
    expect(await drawnIds(agent, api)).toEqual(ids);
    expect((await agent.get('/me/hidden')).text).not.toContain(`data-song-id="${ids[0]}"`);
  });

  it('when the form is posted without JavaScript, then the song is hidden and the listener comes back to the page', async () => {
    const { genre, ids, agent, csrf } = await setup(4);
    const res = await agent
      .post('/me/hidden')
      .type('form')
      .send({ _csrf: csrf, songId: String(ids[1]), genreId: String(genre.genreId), returnTo: '/playlist/x/y?dose=abcdef12' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/playlist/x/y?dose=abcdef12');
    expect(await t.db('hidden_songs').pluck('song_id')).toEqual([ids[1]]);
  });

  it('when the song is not in that genre, or an id is no id, then 404 and nothing is hidden', async () => {
    const { genre, agent, csrf } = await setup(2);
    const other = await makeGenre(t.db);
    const [elsewhere] = await makeSongs(t.db, other.genreId, 1);
    expect((await hide(agent, csrf, genre.genreId, elsewhere!)).status).toBe(404);
    expect((await agent.put(`/api/me/hidden/${genre.genreId}/abc`).set('x-csrf-token', csrf)).status).toBe(404);
    expect(await t.db('hidden_songs').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('when a visitor tries, then nothing is hidden; the player offers them the log-in instead', async () => {
    const { genre, ids, app } = await setup(3);
    // A visitor has no CSRF token, so the request is refused before anything else looks at it.
    expect((await request(app).put(`/api/me/hidden/${genre.genreId}/${ids[0]}`)).status).toBe(403);
    expect((await request(app).get('/me/hidden')).headers.location).toBe('/login?next=%2Fme%2Fhidden');
    expect(await t.db('hidden_songs').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    const page = await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`);
    expect(page.text).toMatch(/<a class="icon-button hide-song" href="\/login\?next=[^"]*" title="Not for this vibe">/);
  });

  it('when no hidden song falls in a draw, then the draw is still one statement', async () => {
    const { genre, ids, agent, csrf } = await setup(40);
    await hide(agent, csrf, genre.genreId, ids[0]!);
    const repository = createPlaylistRepository(t.db);
    let statements = 0;
    const count = () => statements++;
    t.db.on('query', count);
    try {
      // Numbers that do not hold the hidden song: one statement, every song found.
      const row = Number((await t.db('genre_songs').where({ genre_id: genre.genreId, song_id: ids[0] }).first('row_id_per_genre')).row_id_per_genre);
      const others = Array.from({ length: 40 }, (_, i) => i + 1)
        .filter((n) => n !== row)
        .slice(0, 30);
      statements = 0;
      const userId = Number((await t.db('users').first('id')).id);
      statements = 0;
      const draw = await repository.draw(genre.genreId, others, userId);
      expect(statements).toBe(1);
      expect(draw?.songs.size).toBe(30);
      expect((await repository.draw(genre.genreId, [row], userId))?.songs.size).toBe(0);
    } finally {
      t.db.off('query', count);
    }
  });
});
