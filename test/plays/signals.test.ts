import request from 'supertest';
import type { Express } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/db/transaction.js';
import { utcDay } from '../../src/lib/utc.js';
import { applyMembershipChanges } from '../../src/playlists/membership.js';
import { createPlaysRepository } from '../../src/plays/plays.repository.js';
import { createPlaysService, EARLY_SKIP_SECONDS, PLAYS_PER_MINUTE } from '../../src/plays/plays.service.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { storedDay } from '../helpers/days.js';
import { makeGenre, makeSongs, type TestGenre, createMemberships } from '../helpers/factories.js';

const t = useTestDb();

const report = (app: Express, body: unknown) =>
  request(app)
    .post('/api/plays')
    .send(body as object);
const pathOf = (genre: TestGenre) => `${genre.drugSlug}/${genre.moodSlug}`;
/** Every song_daily_signals row as [day, genre, song, early, late, failures, hides], in key order. */
const signalRows = async () =>
  (await t.db('song_daily_signals').orderBy(['day', 'genre_id', 'song_id'])).map((r) => [
    storedDay(r.day),
    Number(r.genre_id),
    Number(r.song_id),
    Number(r.early_skips),
    Number(r.late_skips),
    Number(r.failures),
    Number(r.hides),
  ]);
const withoutDay = ([, ...counts]: unknown[]) => counts;
const playCounts = async () => ({
  daily: await t.db('daily_stats').first(),
  songs: await t.db('song_daily_plays').count({ n: '*' }).first(),
  genres: await t.db('genre_daily_plays').count({ n: '*' }).first(),
});

describe('skips and failures reported through POST /api/plays', () => {
  it(`when songs are skipped before and after ${EARLY_SKIP_SECONDS} s or fail to load, then each counts per day, genre and song, and none is a play`, async () => {
    const genre = await makeGenre(t.db);
    const other = await makeGenre(t.db, { drug: genre.drugSlug });
    const [a, b] = await makeSongs(t.db, genre.genreId, 2);
    await writeTransaction(t.db, (trx) => applyMembershipChanges(trx, { add: [[other.genreId, a!]] }));
    const app = createTestApp(t.db);
    for (const seconds of [0, 5, EARLY_SKIP_SECONDS - 1]) await report(app, { songId: a, genre: pathOf(genre), kind: 'skip', seconds }).expect(204);
    for (const seconds of [EARLY_SKIP_SECONDS, 200]) await report(app, { songId: a, genre: pathOf(genre), kind: 'skip', seconds }).expect(204);
    await report(app, { songId: a, genre: pathOf(genre), kind: 'failure' }).expect(204);
    await report(app, { songId: a, genre: pathOf(other), kind: 'skip', seconds: 1 }).expect(204);
    await report(app, { songId: b, genre: pathOf(genre), kind: 'failure' }).expect(204);
    await report(app, { songId: b, genre: pathOf(genre), kind: 'failure' }).expect(204);

    const [first, second] = genre.genreId < other.genreId ? [genre.genreId, other.genreId] : [other.genreId, genre.genreId];
    const expected = {
      [`${genre.genreId}:${a}`]: [genre.genreId, a, 3, 2, 1, 0],
      [`${genre.genreId}:${b}`]: [genre.genreId, b, 0, 0, 2, 0],
      [`${other.genreId}:${a}`]: [other.genreId, a, 1, 0, 0, 0],
    };
    // The day is the server's to choose (its clock), so only the counts are compared.
    expect((await signalRows()).map(withoutDay)).toEqual(
      [`${first}:${a}`, `${first}:${b}`, `${second}:${a}`, `${second}:${b}`].flatMap((key) => (expected[key] ? [expected[key]] : [])),
    );
    expect(await playCounts()).toEqual({ daily: undefined, songs: { n: 0 }, genres: { n: 0 } });
  });

  it('when the player reports a play with or without kind "play", then it is counted exactly as before and is no signal', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    await report(app, { songId: song, genre: pathOf(genre), first: true }).expect(204);
    await report(app, { songId: song, genre: pathOf(genre), kind: 'play' }).expect(204);
    expect(await t.db('daily_stats').first()).toMatchObject({ playlists_started: 1, songs_played: 2 });
    expect(await t.db('genre_daily_plays').first()).toMatchObject({ playlists_started: 1, songs_played: 2 });
    expect(await signalRows()).toEqual([]);
  });

  it('when a skip or failure comes without a genre, from an unknown genre or from one the song is not in, then it is accepted and stored nowhere; an unknown song is 404', async () => {
    const genre = await makeGenre(t.db);
    const elsewhere = await makeGenre(t.db, { drug: genre.drugSlug });
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    await report(app, { songId: song, kind: 'skip', seconds: 2 }).expect(204);
    await report(app, { songId: song, genre: 'no-such/genre', kind: 'failure' }).expect(204);
    await report(app, { songId: song, genre: pathOf(elsewhere), kind: 'skip', seconds: 2 }).expect(204);
    const missing = await report(app, { songId: 999999, genre: pathOf(genre), kind: 'failure' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect(await signalRows()).toEqual([]);
  });

  it.each([
    [{ songId: 1, kind: 'hide' }, 'kind'],
    [{ songId: 1, kind: 3 }, 'kind'],
    [{ songId: 1, kind: 'skip' }, 'seconds'],
    [{ songId: 1, kind: 'skip', seconds: -1 }, 'seconds'],
    [{ songId: 1, kind: 'skip', seconds: 2.5 }, 'seconds'],
    [{ songId: 1, kind: 'skip', seconds: '12' }, 'seconds'],
    [{ songId: 1, kind: 'skip', seconds: 10 ** 9 }, 'seconds'],
    [{ songId: 1, seconds: 4 }, 'seconds'],
    [{ songId: 1, kind: 'failure', seconds: 4 }, 'seconds'],
    [{ kind: 'skip', seconds: 4 }, 'songId'],
  ])('when the body is %j, then 400 names %s and nothing is stored', async (body, field) => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const res = await report(createTestApp(t.db), { ...body, ...('songId' in body && { songId: song }), genre: pathOf(genre) }).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
    expect(await signalRows()).toEqual([]);
    expect((await playCounts()).daily).toBeUndefined();
  });

  it(`when one IP sends more than ${PLAYS_PER_MINUTE} reports of any kind in a minute, then 429 and the rest is not stored`, async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const app = createTestApp(t.db);
    const half = PLAYS_PER_MINUTE / 2;
    for (let i = 0; i < half; i++) await report(app, { songId: song, genre: pathOf(genre) }).expect(204);
    for (let i = 0; i < half; i++) await report(app, { songId: song, genre: pathOf(genre), kind: 'skip', seconds: 1 }).expect(204);
    for (const body of [
      { songId: song, genre: pathOf(genre), kind: 'failure' },
      { songId: song, genre: pathOf(genre), kind: 'skip', seconds: 1 },
    ]) {
      const res = await report(app, body);
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('too_many_plays');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await signalRows()).map(withoutDay)).toEqual([[genre.genreId, song, half, 0, 0, 0]]);
    expect(await t.db('daily_stats').first()).toMatchObject({ songs_played: half });
  }, 60_000);
});

describe('recordHide', () => {
  const service = () => createPlaysService({ plays: createPlaysRepository(t.db), limiter: new RateLimiterMemory({ points: 1, duration: 60 }) });

  it('when listeners hide a song from a genre on two days, then each day counts its hides, beside that day’s skips', async () => {
    const genre = await makeGenre(t.db);
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    const plays = service();
    await report(createTestApp(t.db), { songId: song, genre: pathOf(genre), kind: 'skip', seconds: 3 }).expect(204);
    // The skip's day is the server's (its clock); the hides are recorded at times on that day and the one before.
    const [[day]] = (await signalRows()) as [[string]];
    const noon = Date.parse(`${day}T12:00:00Z`);
    await plays.recordHide(song!, genre.genreId, new Date(noon - 86_400_000));
    await plays.recordHide(song!, genre.genreId, new Date(noon));
    await plays.recordHide(song!, genre.genreId, new Date(noon + 3_600_000));
    expect(await signalRows()).toEqual([
      [utcDay(new Date(noon - 86_400_000)), genre.genreId, song, 0, 0, 0, 1],
      [day, genre.genreId, song, 1, 0, 0, 2],
    ]);
    expect((await playCounts()).daily).toBeUndefined();
  });

  it('when the song does not exist, then recordHide throws NotFound and stores nothing; a song not in the genre is not counted', async () => {
    const genre = await makeGenre(t.db);
    const elsewhere = await makeGenre(t.db, { drug: genre.drugSlug });
    const [song] = await makeSongs(t.db, genre.genreId, 1);
    await expect(service().recordHide(999999, genre.genreId)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await service().recordHide(song!, elsewhere.genreId);
    expect(await signalRows()).toEqual([]);
  });

  it('when a song or its mood is deleted, then its signals go with it', async () => {
    const genre = await makeGenre(t.db);
    const other = await makeGenre(t.db, { drug: genre.drugSlug });
    const [kept, gone] = await makeSongs(t.db, genre.genreId, 2);
    await writeTransaction(t.db, (trx) => applyMembershipChanges(trx, { add: [[other.genreId, kept!]] }));
    for (const [songId, genreId] of [
      [kept!, genre.genreId],
      [gone!, genre.genreId],
      [kept!, other.genreId],
    ]) {
      await service().recordHide(songId!, genreId!);
    }
    await createMemberships(t.db).deleteSong(gone!);
    expect((await signalRows()).map((r) => [r[1], r[2]])).toEqual(
      [
        [genre.genreId, kept],
        [other.genreId, kept],
      ].sort((x, y) => x[0]! - y[0]!),
    );
    await writeTransaction(t.db, (trx) => applyMembershipChanges(trx, { remove: [[other.genreId, kept!]] }));
    await t.db('moods').where('id', other.genreId).del();
    expect((await signalRows()).map((r) => [r[1], r[2]])).toEqual([[genre.genreId, kept]]);
  });
});
