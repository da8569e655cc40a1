// Plays counted in each process and written in batches (PLAYS_FLUSH_MS > 0): the same answers as
// one transaction per play, the same totals a flush window later, a few upserts instead of one per
// play, and nothing lost when the process is stopped with SIGTERM.
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestDb();

const totals = async () => {
  const daily = await t.db('daily_stats').sum({ played: 'songs_played', started: 'playlists_started' }).first();
  const songs = await t.db('song_daily_plays').sum({ n: 'plays' }).first();
  const genres = await t.db('genre_daily_plays').sum({ n: 'songs_played' }).first();
  return { played: Number(daily?.played ?? 0), started: Number(daily?.started ?? 0), songs: Number(songs?.n ?? 0), genres: Number(genres?.n ?? 0) };
};

const spawned: AppProcess[] = [];
afterAll(async () => {
  for (const proc of spawned) {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await proc.exited;
  }
});

describe('plays written in batches', () => {
  it('when 40 plays arrive within a flush window, then each is answered 204 at once, and one flush writes them in a few upserts', async () => {
    const genre = await makeGenre(t.db);
    const songs = await makeSongs(t.db, genre.genreId, 4);
    const app = createTestApp(t.db, { config: { playsFlushMs: 300 } });
    const statements: string[] = [];
    const onQuery = (q: { sql: string }) => statements.push(q.sql);
    t.db.on('query', onQuery);
    try {
      for (let i = 0; i < 40; i++) {
        const res = await request(app)
          .post('/api/plays')
          .set('X-Forwarded-For', `10.0.0.${i}`)
          .send({ songId: songs[i % 4], genre: `${genre.drugSlug}/${genre.moodSlug}`, first: i % 10 === 0 });
        expect(res.status).toBe(204);
      }
      await waitFor(async () => ((await totals()).played === 40 ? true : undefined), { timeoutMs: 5000, why: () => 'for the flush' });
      expect(await totals()).toEqual({ played: 40, started: 4, songs: 40, genres: 40 });
      const perSong = await t.db('song_daily_plays').orderBy('song_id').pluck('plays');
      expect(perSong.map(Number)).toEqual([10, 10, 10, 10]);
      const upserts = statements.filter((sql) => /^insert into [`"]?(daily_stats|song_daily_plays|genre_daily_plays)/i.test(sql));
      expect(upserts.length).toBeLessThanOrEqual(6); // one per table per flush (two flushes at most)
    } finally {
      t.db.off('query', onQuery);
    }
  });

  it('when a play names a song that does not exist, then 404 as before, and nothing is counted', async () => {
    const app = createTestApp(t.db, { config: { playsFlushMs: 100 } });
    const res = await request(app).post('/api/plays').send({ songId: 987654 });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    // A play of a real song after it: once a flush has written that one, the refused one would be written too.
    const genre = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genre.genreId, 1);
    await request(app).post('/api/plays').send({ songId }).expect(204);
    await waitFor(async () => ((await totals()).played > 0 ? true : undefined), { timeoutMs: 5000, why: () => 'for the flush' });
    expect((await totals()).played).toBe(1);
  });

  it('when the process is stopped with SIGTERM before any flush is due, then every play it answered is written', async () => {
    const genre = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genre.genreId, 1);
    const url = t.config.client === 'sqlite' ? `sqlite:${t.config.filename}` : t.config.url;
    const proc = spawnApp({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'info', PLAYS_FLUSH_MS: '60000', TRUST_PROXY: 'loopback' });
    spawned.push(proc);
    const line = await waitFor(() => proc.logs.find((l) => /is playing on/.test(String(l.msg))), { timeoutMs: 60_000, why: proc.stderr });
    const base = String(line.url);
    let answered = 0;
    for (let i = 0; i < 25; i++) {
      const res = await request(base)
        .post('/api/plays')
        .set('X-Forwarded-For', `10.1.0.${i}`)
        .send({ songId, first: i === 0 });
      if (res.status === 204) answered++;
    }
    expect(answered).toBe(25);
    expect((await totals()).played).toBe(0); // still in the process's memory
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(await totals()).toEqual({ played: 25, started: 1, songs: 25, genres: 0 });
  }, 90_000);
});
