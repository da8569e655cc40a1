import request from 'supertest';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { createHistoryRepository, HISTORY_SIZE } from '../../src/history/history.repository.js';
import { createPlaysRepository } from '../../src/plays/plays.repository.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { statementsOf } from '../helpers/statements.js';
import { testDialectOf } from '../helpers/dialect.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { withoutTemplates } from '../helpers/html.js';
import { csrfFrom, registerAs, type Agent } from '../helpers/session.js';

const t = useTestDb();

/** A logged-in listener whose reports carry their token, as the player sends them. */
async function listener(app: Express): Promise<{ agent: Agent; userId: number; play: (body: object) => Promise<unknown> }> {
  const { agent, username } = await registerAs(app);
  const csrf = await csrfFrom(agent, '/account');
  const userId = Number((await t.db('users').where('username', username).first('id')).id);
  return { agent, userId, play: (body) => agent.post('/api/plays').set('x-csrf-token', csrf).send(body).expect(204) };
}

const historyOf = async (userId: number) =>
  (await t.db('listening_history').where('user_id', userId).orderBy('id', 'desc').select('song_id', 'genre_id')).map((r) => ({
    songId: Number(r.song_id),
    genreId: r.genre_id === null ? null : Number(r.genre_id),
  }));
/** The song ids of /me/history's rows, top to bottom. */
const listedIds = (html: string) => [...html.matchAll(/<li class="track" data-song-id="(\d+)">/g)].map((m) => Number(m[1]));
const titleOf = async (id: number) => String((await t.db('songs').where('id', id).first('title')).title);

describe('listening history', () => {
  it('when a logged-in listener plays songs, then /me/history lists them newest first with time, genre, audio and heart', async () => {
    const genre = await makeGenre(t.db);
    const [a, b] = await makeSongs(t.db, genre.genreId, 2);
    const app = createTestApp(t.db);
    const { agent, userId, play } = await listener(app);
    const genrePath = `${genre.drugSlug}/${genre.moodSlug}`;
    await play({ songId: a, genre: genrePath, first: true });
    await play({ songId: b }); // from the favorites' player: no genre
    await play({ songId: a, genre: genrePath });

    expect(await historyOf(userId)).toEqual([
      { songId: a, genreId: genre.genreId },
      { songId: b, genreId: null },
      { songId: a, genreId: genre.genreId },
    ]);
    const res = await agent.get('/me/history').expect(200);
    expect(listedIds(res.text)).toEqual([a, b, a]);
    const rows = withoutTemplates(res.text).split('<li class="track"').slice(1);
    const genreLink = `<a href="/playlist/${genre.drugSlug}/${genre.moodSlug}">Drug ${genre.drugSlug} · Mood ${genre.moodSlug}</a>`;
    expect(rows[0]).toContain(genreLink);
    expect(rows[1]).not.toContain('/playlist/');
    for (const row of rows) {
      const time = /<time datetime="([^"]+)">(\d{4}-\d\d-\d\d \d\d:\d\d) UTC<\/time>/.exec(row);
      expect(time).not.toBeNull();
      expect(Math.abs(Date.parse(time![1]!) - Date.now())).toBeLessThan(60_000);
      expect(time![1]!.slice(0, 16).replace('T', ' ')).toBe(time![2]);
      expect(row).toMatch(/<audio class="track-audio" controls preload="none" src="https:\/\/example\.test\/[^"]+\.mp3"><\/audio>/);
      expect(row).toContain('data-favorite-form');
    }
    expect(res.text).toContain(await titleOf(a!));
    expect(res.text).toContain('<a href="/me/history" aria-current="page">History</a>');
  });

  it(`when a listener has played ${HISTORY_SIZE + 5} songs, then only the last ${HISTORY_SIZE} are kept and listed`, async () => {
    const genre = await makeGenre(t.db);
    const songs = await makeSongs(t.db, genre.genreId, 7);
    const app = createTestApp(t.db);
    const { agent, userId, play } = await listener(app);
    const plays = createPlaysRepository(t.db);
    const start = Date.now() - 3_600_000;
    const played: number[] = [];
    for (let i = 0; i < HISTORY_SIZE + 3; i++) {
      played.push(songs[i % 7]!);
      await plays.record({ songId: songs[i % 7]!, genreId: genre.genreId, first: false, userId }, new Date(start + i * 1000));
    }
    // The last two through the API, as the player sends them.
    for (const songId of [songs[0]!, songs[1]!]) {
      played.push(songId);
      await play({ songId, genre: `${genre.drugSlug}/${genre.moodSlug}` });
    }

    const kept = await t.db('listening_history').where('user_id', userId).orderBy('id').select('song_id', 'played_at');
    expect(kept).toHaveLength(HISTORY_SIZE);
    expect(kept.map((r) => Number(r.song_id))).toEqual(played.slice(5));
    const newestFirst = played.slice(5).reverse();
    expect(listedIds((await agent.get('/me/history').expect(200)).text)).toEqual(newestFirst);
  });

  it('when two listeners play, then each sees only their own history and one never prunes the other', async () => {
    const genre = await makeGenre(t.db);
    const [a, b] = await makeSongs(t.db, genre.genreId, 2);
    const app = createTestApp(t.db);
    const first = await listener(app);
    const second = await listener(app);
    const plays = createPlaysRepository(t.db);
    for (let i = 0; i < HISTORY_SIZE; i++) await plays.record({ songId: a!, first: false, userId: first.userId });
    await second.play({ songId: b });
    await second.play({ songId: b });

    expect(await t.db('listening_history').where('user_id', first.userId).count({ n: '*' }).first()).toMatchObject({ n: HISTORY_SIZE });
    expect(listedIds((await second.agent.get('/me/history').expect(200)).text)).toEqual([b, b]);
    const firstPage = listedIds((await first.agent.get('/me/history').expect(200)).text);
    expect(firstPage).toHaveLength(HISTORY_SIZE);
    expect(firstPage).not.toContain(b);
  });

  it(`when a listener with a full history reports plays at once, then exactly the newest ${HISTORY_SIZE} are kept`, async () => {
    const genre = await makeGenre(t.db);
    const songs = await makeSongs(t.db, genre.genreId, 11);
    const app = createTestApp(t.db);
    const { userId, play } = await listener(app);
    const plays = createPlaysRepository(t.db);
    for (let i = 0; i < HISTORY_SIZE; i++) await plays.record({ songId: songs[0]!, first: false, userId });
    await Promise.all(songs.slice(1).map((songId) => play({ songId })));

    const kept = await historyOf(userId);
    expect(kept).toHaveLength(HISTORY_SIZE);
    expect(new Set(kept.slice(0, 10).map((r) => r.songId))).toEqual(new Set(songs.slice(1)));
  });

  it('when anonymous listeners play, then the plays are counted and no history row is stored', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    await request(app)
      .post('/api/plays')
      .send({ songId: song, genre: `${genre.drugSlug}/${genre.moodSlug}`, first: true })
      .expect(204);
    await request(app).post('/api/plays').send({ songId: song }).expect(204);
    expect(await t.db('daily_stats').first()).toMatchObject({ songs_played: 2 });
    expect(await t.db('listening_history').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('when a logged-in play comes without the listener’s CSRF token, then it is counted but not added to their history', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    const { agent, userId } = await listener(app);
    await agent.post('/api/plays').send({ songId: song }).expect(204);
    await agent.post('/api/plays').set('x-csrf-token', 'not-the-token').send({ songId: song }).expect(204);
    expect(await t.db('daily_stats').first()).toMatchObject({ songs_played: 2 });
    expect(await historyOf(userId)).toEqual([]);
  });

  it('when a logged-in listener skips or cannot load a song, then nothing is added to their history', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    const { userId, play } = await listener(app);
    const genrePath = `${genre.drugSlug}/${genre.moodSlug}`;
    await play({ songId: song, genre: genrePath, kind: 'skip', seconds: 3 });
    await play({ songId: song, genre: genrePath, kind: 'failure' });
    expect(await historyOf(userId)).toEqual([]);
  });

  it('when the genre is hidden or deleted later, then the history names a hidden one without a link and keeps the play without a deleted one', async () => {
    const genre = await makeGenre(t.db);
    const empty = await makeGenre(t.db, { drug: genre.drugSlug });
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    const { agent, userId, play } = await listener(app);
    await play({ songId: song, genre: `${empty.drugSlug}/${empty.moodSlug}` });
    await play({ songId: song, genre: `${genre.drugSlug}/${genre.moodSlug}` });
    await t.db('moods').where('id', genre.genreId).update({ hidden: true });
    await t.db('moods').where('id', empty.genreId).del();

    expect(await historyOf(userId)).toEqual([
      { songId: song, genreId: genre.genreId },
      { songId: song, genreId: null },
    ]);
    const rows = withoutTemplates((await agent.get('/me/history').expect(200)).text)
      .split('<li class="track"')
      .slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`</time> · Drug ${genre.drugSlug} · Mood ${genre.moodSlug}</span>`);
    expect(rows[0]).not.toContain('/playlist/');
    expect(rows[1]).toMatch(/UTC<\/time><\/span>/);
  });

  it('when an anonymous visitor opens /me/history, then they are sent to log in, and the header has no History link', async () => {
    const app = createTestApp(t.db);
    const res = await request(app).get('/me/history');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fme%2Fhistory');
    expect((await request(app).get('/').expect(200)).text).not.toContain('/me/history');
  });

  it('when a listener has played nothing yet, then the page says so', async () => {
    const { agent } = await listener(createTestApp(t.db));
    const res = await agent.get('/me/history').expect(200);
    expect(res.text).toContain('Nothing played yet.');
    expect(listedIds(res.text)).toEqual([]);
  });
});

describe('listening history query plans', () => {
  it('when the page is read and a play prunes, then both read a range of listening_history_user_index, never the whole table', async () => {
    const genre = await makeGenre(t.db);
    const songs = await makeSongs(t.db, genre.genreId, 20);
    const app = createTestApp(t.db);
    const listeners = [await listener(app), await listener(app), await listener(app)];
    // As in production, the table holds far more than one listener's history.
    const others = Array.from({ length: 2000 }, (_, i) => ({
      user_id: listeners[i % 2 === 0 ? 0 : 2]!.userId,
      song_id: songs[i % 20]!,
      played_at: new Date(Date.now() - (3000 - i) * 1000),
    }));
    await t.db.batchInsert('listening_history', others, 250);
    const plays = createPlaysRepository(t.db);
    for (let i = 0; i < 50; i++) await plays.record({ songId: songs[i % 20]!, first: false, userId: listeners[1]!.userId });
    await testDialectOf(t.db).analyze(t.db, ['listening_history', 'songs']);

    const statements = await statementsOf(t.db, async () => {
      await createHistoryRepository(t.db).recent(listeners[1]!.userId);
      await plays.record({ songId: songs[0]!, first: false, userId: listeners[1]!.userId });
    });
    const reads = statements.filter((s) => /^select\b/i.test(s.sql) && s.sql.includes('listening_history'));
    expect(reads).toHaveLength(2); // the page, and the play's cut-off
    for (const { sql, bindings } of reads) {
      const plan = (await testDialectOf(t.db).explain(t.db, sql, bindings)).join('\n');
      expect(plan).toContain('listening_history_user_index');
      expect(plan).not.toMatch(/SCAN (h|listening_history)\b(?! USING)/);
      expect(plan).not.toMatch(/table=(h|listening_history) type=(ALL|index)\b/);
    }
  });
});
