// The app against a MariaDB server of its own, which the tests kill, restart, freeze and thaw
// while traffic flows. Runs in the MySQL pass only (it needs mariadbd, not the shared server).
// Each test brings the server into the state it needs and starts from a running, serving one
// (beforeEach undoes whatever the last test did), so any one of them runs alone or in any order.
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config.js';
import { isUnavailable } from '../../src/db/dialect.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { checkGenres } from '../../src/playlists/check.js';
import { createTestApp } from '../helpers/app.js';
import { usingMysql } from '../helpers/db.js';
import { makeGenre, makeSongs, type TestGenre, createMemberships } from '../helpers/factories.js';
import { startPrivateMariadb, type PrivateMariadb } from '../helpers/mariadb.js';
import { csrfFrom, registerAs, type Agent } from '../helpers/session.js';
import { waitFor } from '../helpers/wait.js';

const QUERY_TIMEOUT_MS = 1500;
const ACQUIRE_TIMEOUT_MS = 1000;
/** A request during an outage must be answered (503) within this. */
const ANSWER_WITHIN_MS = QUERY_TIMEOUT_MS + ACQUIRE_TIMEOUT_MS + 1000;

describe.skipIf(!usingMysql())('when the app’s own MariaDB dies, restarts, freezes and thaws', () => {
  let mariadb: PrivateMariadb | undefined;
  let db: Db | undefined;
  let app: Express;
  let genres: [TestGenre, TestGenre];
  let songIds: number[];
  /** This test's listener; their favorites are theirs alone. */
  let listener: { agent: Agent; csrf: string; userId: number; acknowledged: number[] };

  beforeAll(async () => {
    mariadb = await startPrivateMariadb();
    const config = parseDatabaseUrl(mariadb.url('stereodose_faults'), '');
    const setup = await createDb(config);
    try {
      await migrateLatest(setup);
      genres = [await makeGenre(setup), await makeGenre(setup)];
      songIds = await makeSongs(setup, genres[0].genreId, 40);
    } finally {
      await setup.destroy();
    }
    db = await createDb(config, {
      queryTimeoutMs: QUERY_TIMEOUT_MS,
      acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
      poolMax: 5,
      logger: createLogger('silent'), // knex warns about every refused or dropped connection
    });
    app = createTestApp(db);
  }, 90_000);

  beforeEach(async () => {
    await mariadb!.revive(); // whatever the last test left: a killed or a frozen server
    await expectServing();
    const registered = await registerAs(app);
    const userId = Number((await db!('users').where('username', registered.username).first('id')).id);
    listener = { agent: registered.agent, csrf: await csrfFrom(registered.agent, '/account'), userId, acknowledged: [] };
  }, 60_000);

  afterAll(async () => {
    await mariadb?.destroy(); // first: a frozen server would never let the pool say goodbye
    await db?.destroy().catch(() => {});
  }, 30_000);

  const apiUrl = () => `/api/playlists/${genres[0].drugSlug}/${genres[0].moodSlug}`;
  const pageUrl = () => `/playlist/${genres[0].drugSlug}/${genres[0].moodSlug}`;
  let moves = 0;

  /** Listening, a favorite and an admin's membership edit: all must succeed. */
  async function traffic() {
    const draw = await request(app).get(apiUrl());
    expect(draw.status).toBe(200);
    expect(draw.body.songs.length).toBeGreaterThan(0);
    expect((await listener.agent.get(pageUrl())).status).toBe(200);
    const songId = songIds[listener.acknowledged.length]!;
    const favorite = await listener.agent.put(`/api/favorites/${songId}`).set('x-csrf-token', listener.csrf);
    expect(favorite.status).toBe(200);
    listener.acknowledged.push(songId);
    const moving = songIds[songIds.length - 1]!;
    const both = moves++ % 2 === 0;
    await createMemberships(db!).setGenres(moving, both ? [genres[0].genreId, genres[1].genreId] : [genres[0].genreId]);
  }

  /** Every kind of request answers 503 (JSON for the API, a page otherwise) — quickly, never hanging. */
  async function expectOutage() {
    const timed = async <T>(work: PromiseLike<T>) => {
      const started = Date.now();
      const result = await work;
      return { result, ms: Date.now() - started };
    };
    const [api, page, favorite, ready, health, edit] = await Promise.all([
      timed(request(app).get(apiUrl())),
      timed(request(app).get(pageUrl()).set('Accept', 'text/html')),
      timed(listener.agent.put(`/api/favorites/${songIds[songIds.length - 2]}`).set('x-csrf-token', listener.csrf)),
      timed(request(app).get('/readyz')),
      timed(request(app).get('/healthz')),
      timed(
        createMemberships(db!)
          .setGenres(songIds[0]!, [genres[1].genreId])
          .then(
            () => 'changed',
            (err: unknown) => (isUnavailable(err) ? 'unavailable' : err),
          ),
      ),
    ]);
    expect(api.result.status).toBe(503);
    expect(api.result.headers['retry-after']).toBe('5');
    expect(api.result.body.error.code).toBe('busy');
    expect(page.result.status).toBe(503);
    expect(page.result.headers['content-type']).toMatch(/^text\/html/);
    expect(page.result.text).not.toMatch(/ECONN|PROTOCOL_|TimeoutError|QUERY_TIMEOUT|node_modules/);
    expect(favorite.result.status).toBe(503);
    expect(ready.result.status).toBe(503);
    expect(health.result.status).toBe(200);
    expect(edit.result).toBe('unavailable');
    for (const { ms } of [api, page, favorite, ready, health, edit]) expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
  }

  /** The same app object, never recreated, answers draws and /readyz with 200 (polled: its pool heals on its own). */
  async function expectServing() {
    let last = 0;
    await waitFor(
      async () => {
        last = (await request(app).get(apiUrl())).status;
        return last === 200 ? true : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, why: () => `for the app to serve draws again (last status ${last})` },
    );
    expect((await request(app).get('/readyz')).status).toBe(200);
  }

  /** Kills mariadbd outright and waits until it is gone. */
  async function kill() {
    mariadb!.signal('SIGKILL');
    await mariadb!.exited();
  }

  it('when traffic flows, then draws, favorites and membership edits succeed', async () => {
    await traffic();
    await traffic();
  });

  it('when mariadbd is SIGKILLed, then every request answers 503 within seconds and the process lives on', async () => {
    await kill();
    await expectOutage();
    await expectOutage(); // and again: nothing got stuck in the pool
  }, 30_000);

  it('when mariadbd restarts on the same datadir after a SIGKILL, then the same app serves 200 again', async () => {
    await kill();
    await expectOutage();
    await mariadb!.start();
    await expectServing();
    await traffic();
  }, 45_000);

  it('when mariadbd is frozen (SIGSTOP), then requests answer 503 within the query timeout', async () => {
    mariadb!.signal('SIGSTOP');
    await expectOutage();
    await expectOutage();
  }, 30_000);

  it('when mariadbd thaws (SIGCONT) after a freeze, then the app serves 200 again', async () => {
    mariadb!.signal('SIGSTOP');
    await expectOutage();
    mariadb!.signal('SIGCONT');
    await expectServing();
    await traffic();
  }, 45_000);

  it('when the server is killed and restarted, then frozen and thawed, then genre numbering is intact and every acknowledged favorite is stored', async () => {
    await traffic();
    await kill();
    await expectOutage();
    await mariadb!.start();
    await expectServing();
    await traffic();
    mariadb!.signal('SIGSTOP');
    await expectOutage();
    mariadb!.signal('SIGCONT');
    await expectServing();
    await traffic();

    expect(await checkGenres(db!)).toEqual([]);
    const stored = await db!('favorites').where('user_id', listener.userId).pluck('song_id');
    expect(stored.map(Number).sort((a, b) => a - b)).toEqual([...listener.acknowledged].sort((a, b) => a - b));
    expect(listener.acknowledged).toHaveLength(3);
  }, 90_000);
});
