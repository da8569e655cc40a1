// DATABASE_READ_URL: the listener's read-only pages read a replica, everything else the primary.
// The MySQL pass starts a private primary (binlog) and a private replica of it (read-only) — never
// the shared server — and shows which server answers what by pausing replication or writing to
// the replica alone.
import type { Express } from 'express';
import mysql from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { createReadReplica, type ReadReplica } from '../../src/db/read-replica.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { testConfig } from '../helpers/app.js';
import { usingMysql } from '../helpers/db.js';
import { makeGenre, makeSongs, seededRandom, type TestGenre, createMemberships, insertSong } from '../helpers/factories.js';
import { startPrivateMariadb, type PrivateMariadb } from '../helpers/mariadb.js';
import { csrfFrom, registerAs } from '../helpers/session.js';
import { waitFor } from '../helpers/wait.js';

describe('DATABASE_READ_URL', () => {
  const primary = 'mysql://root@127.0.0.1:3306/stereodose';

  it('when unset, then there is no read database', () => {
    expect(loadConfig({ DATABASE_URL: primary }).readDatabase).toBeUndefined();
  });

  it('when a mysql URL, then it is the read database', () => {
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://reader@10.0.0.2:3306/stereodose' }).readDatabase).toEqual({
      client: 'mysql',
      url: 'mysql://reader@10.0.0.2:3306/stereodose',
      database: 'stereodose',
    });
  });

  it.each([
    ['sqlite:data/replica.sqlite', primary, /DATABASE_READ_URL.*mysql:\/\//],
    ['mysql://root@127.0.0.1/bad-name;', primary, /DATABASE_READ_URL: needs a database name/],
    ['mysql://root@127.0.0.1/stereodose', undefined, /DATABASE_READ_URL: needs DATABASE_URL to be a mysql/],
  ])('when %s (DATABASE_URL %s), then a ConfigError names DATABASE_READ_URL', (read, url, message) => {
    const env = { DATABASE_READ_URL: read, ...(url && { DATABASE_URL: url }) };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

const DATABASE = 'stereodose_replication';

describe.skipIf(!usingMysql())('with a primary and a read replica (private mariadbd pair)', () => {
  let source: PrivateMariadb | undefined;
  let replica: PrivateMariadb | undefined;
  let primaryDb: Db | undefined;
  let replicaDb: Db | undefined;
  let reads: ReadReplica | undefined;
  let app: Express;
  let genre: TestGenre;

  /** One statement on one server, as root, over a connection of its own. */
  async function sql<T = Record<string, unknown>>(server: PrivateMariadb, statement: string, values: unknown[] = []): Promise<T[]> {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    try {
      const [rows] = await conn.query(statement, values);
      return rows as T[];
    } finally {
      await conn.end();
    }
  }

  /** Waits until the replica has applied everything the primary has logged so far. */
  async function caughtUp() {
    const [{ pos } = { pos: '' }] = await sql<{ pos: string }>(source!, 'SELECT @@gtid_binlog_pos AS pos');
    const [waited] = await sql<{ done: number }>(replica!, 'SELECT MASTER_GTID_WAIT(?, 20) AS done', [pos]);
    if (Number(waited?.done) !== 0) {
      const [status] = await sql(replica!, 'SHOW SLAVE STATUS');
      throw new Error(`the replica did not catch up with ${pos}: ${JSON.stringify(status)}`);
    }
  }
  const pauseReplication = () => sql(replica!, 'STOP SLAVE');
  const resumeReplication = () => sql(replica!, 'START SLAVE');

  const apiUrl = () => `/api/playlists/${genre.drugSlug}/${genre.moodSlug}?limit=100`;
  /** A whole genre in one draw (limit ≥ its size): the song ids, sorted. */
  async function drawnIds(): Promise<number[]> {
    const res = await request(app).get(apiUrl());
    expect(res.status).toBe(200);
    return (res.body.songs as { id: number }[]).map((s) => s.id).sort((a, b) => a - b);
  }
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  /** The genre's songs as the primary has them now: what a caught-up replica draws. */
  const onPrimary = async () => sorted((await primaryDb!('genre_songs').where('genre_id', genre.genreId).pluck('song_id')).map(Number));
  const newSong = (db: Db, title: string) => insertSong(db, { title, artist: 'Replicated', url: `https://example.test/${title}.mp3`, durationSeconds: 60 });

  beforeAll(async () => {
    const started = await Promise.allSettled([
      startPrivateMariadb({ args: ['--log-bin=primary-bin', '--server-id=1', '--binlog-format=ROW'] }),
      startPrivateMariadb({ args: ['--server-id=2', '--read-only', '--relay-log=replica-relay-bin'] }),
    ]);
    if (started[0].status === 'fulfilled') source = started[0].value;
    if (started[1].status === 'fulfilled') replica = started[1].value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;

    // Replication from the primary's first binlog event, so CREATE DATABASE and the migrations replicate.
    await sql(
      replica!,
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${source!.port}, MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos`,
    );
    await resumeReplication();

    const primaryConfig = parseDatabaseUrl(source!.url(DATABASE), '');
    const setup = await createDb(primaryConfig); // creates the database on the primary
    try {
      await migrateLatest(setup);
      genre = await makeGenre(setup);
      await makeSongs(setup, genre.genreId, 12);
    } finally {
      await setup.destroy();
    }
    await caughtUp(); // the replica has the database before its pool connects to it

    const options = { queryTimeoutMs: 3000, acquireTimeoutMs: 2000, poolMax: 4, logger: createLogger('silent') };
    primaryDb = await createDb(primaryConfig, options);
    // As root: createDb runs CREATE DATABASE IF NOT EXISTS, which a read_only server refuses to
    // every account without SUPER — even a SELECT-only one on an existing database.
    replicaDb = await createDb(parseDatabaseUrl(replica!.url(DATABASE), '', 'DATABASE_READ_URL'), options);
    reads = createReadReplica({ primary: primaryDb, replica: replicaDb, maxLagSeconds: 30, checkEveryMs: 200 });
    reads.start();
    app = createApp({ config: testConfig, db: primaryDb, readReplica: reads, random: seededRandom(7) });
  }, 90_000);

  // Every test starts from a replica that replicates and has caught up, whatever the last one did.
  beforeEach(async () => {
    await resumeReplication();
    await caughtUp();
  }, 30_000);

  afterAll(async () => {
    await Promise.allSettled([primaryDb?.destroy(), reads?.close()]);
    await Promise.allSettled([source?.destroy(), replica?.destroy()]);
  }, 30_000);

  it('when the catalog has replicated, then the pickers and a draw show it', async () => {
    const members = await onPrimary();
    expect(members.length).toBeGreaterThanOrEqual(12);
    expect(await drawnIds()).toEqual(members);
    const genres = await request(app).get('/api/genres');
    expect(genres.status).toBe(200);
    const drug = genres.body.drugs.find((d: { slug: string }) => d.slug === genre.drugSlug);
    expect(drug.moods[0]).toMatchObject({ slug: genre.moodSlug, songCount: members.length });
    expect((await request(app).get('/')).status).toBe(200);
    expect((await request(app).get(`/playlist/${genre.drugSlug}`)).status).toBe(200);
    expect((await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`)).status).toBe(200);
    expect((await request(app).get('/popular')).status).toBe(200);
  });

  it('when a song joins the genre on the primary, then draws skip it until it has replicated, and then include it', async () => {
    const before = await onPrimary();
    await pauseReplication();
    const songId = await newSong(primaryDb!, `added-on-primary-${Date.now()}`);
    await createMemberships(primaryDb!).setGenres(songId, [genre.genreId]);
    expect(Number((await primaryDb!('genre_counts').where('genre_id', genre.genreId).first('song_count')).song_count)).toBe(before.length + 1);

    // Draws, the genre's count and the player page all come from the (paused) replica.
    expect(await drawnIds()).toEqual(before);
    const genres = await request(app).get('/api/genres');
    expect(genres.body.drugs.find((d: { slug: string }) => d.slug === genre.drugSlug).moods[0].songCount).toBe(before.length);

    await resumeReplication();
    await caughtUp();
    expect(await drawnIds()).toEqual(sorted([...before, songId]));
  });

  it('when a listener registers and loves a song while the replica lags, then both land on the primary and the listener sees their own heart', async () => {
    const [loved, other] = await onPrimary();
    await pauseReplication();
    const { agent, username } = await registerAs(app);
    expect((await agent.get('/account')).status).toBe(200); // the session was read back from the primary
    const csrf = await csrfFrom(agent, '/account');
    const favorite = await agent.put(`/api/favorites/${loved!}`).set('x-csrf-token', csrf);
    expect(favorite.status).toBe(200);
    expect(favorite.body).toMatchObject({ songId: loved, favorited: true, favoriteCount: 1 });

    const user = await primaryDb!('users').where('username', username).first('id');
    expect(user).toBeDefined();
    expect(await primaryDb!('favorites').where({ user_id: user.id, song_id: loved }).first('song_id')).toBeDefined();
    expect(await replicaDb!('users').where('username', username).first('id')).toBeUndefined();

    // The mix is drawn from the replica, the hearts come from the primary.
    const page = await agent.get(`/playlist/${genre.drugSlug}/${genre.moodSlug}?limit=100`);
    expect(page.status).toBe(200);
    const heart = (songId: number) => new RegExp(`data-song-id="${songId}"[\\s\\S]*?aria-pressed="(true|false)"`).exec(page.text)?.[1];
    expect(heart(loved!)).toBe('true');
    expect(heart(other!)).toBe('false');
    const favorites = await agent.get('/favorites');
    expect(favorites.status).toBe(200);
    expect(favorites.text).toContain(`data-song-id="${loved}"`);

    await resumeReplication();
    await caughtUp();
    expect(await replicaDb!('favorites').where({ user_id: user.id, song_id: loved }).first('song_id')).toBeDefined();
  });

  it('when a song is written on the replica alone, then it is drawn: draws read the replica, not the primary', async () => {
    const members = await onPrimary();
    await pauseReplication();
    // read_only does not bind root (SUPER) on MariaDB, so the test can write where the app never does.
    const [onlyOnReplica] = await makeSongs(replicaDb!, genre.genreId, 1);
    try {
      expect(await primaryDb!('songs').where('id', onlyOnReplica!).first('id')).toBeUndefined();
      expect(await drawnIds()).toEqual(sorted([...members, onlyOnReplica!]));
    } finally {
      // The replica agrees with the primary again, for whatever test runs next.
      await createMemberships(replicaDb!).deleteSong(onlyOnReplica!);
    }
  });
  describe('when the replica fails, lags or freezes (REPLICA_MAX_LAG_SECONDS 2)', () => {
    let failing: ReadReplica;
    let failingApp: Express;
    beforeAll(async () => {
      const replicaPool = await createDb(parseDatabaseUrl(replica!.url(DATABASE), '', 'DATABASE_READ_URL'), {
        queryTimeoutMs: 2000,
        acquireTimeoutMs: 1500,
        poolMax: 4,
        logger: createLogger('silent'),
      });
      failing = createReadReplica({ primary: primaryDb!, replica: replicaPool, maxLagSeconds: 2, checkEveryMs: 200, checkTimeoutMs: 500 });
      failing.start();
      failingApp = createApp({ config: testConfig, db: primaryDb!, readReplica: failing, random: seededRandom(11) });
    }, 30_000);
    afterAll(() => failing?.close());

    /** SELECTs the replica's server has run so far: the monitor only runs SHOW, so these are reads. */
    const replicaSelects = async () => Number((await sql<{ Value: string }>(replica!, "SHOW GLOBAL STATUS LIKE 'Com_select'"))[0]!.Value);
    const readyz = async () => {
      const res = await request(failingApp).get('/readyz');
      expect(res.status).toBe(200); // the primary is up: ready, whatever the replica does
      return res.body.reads as { from: string; degraded?: boolean; reason?: string };
    };
    /** `count` draws, each answering 200 with the whole genre. */
    const drawsAnswer = async (count: number) => {
      const members = await onPrimary();
      for (let i = 0; i < count; i++) {
        const res = await request(failingApp).get(apiUrl());
        expect(res.status).toBe(200);
        expect(res.body.songs).toHaveLength(members.length);
      }
    };
    const until = (what: () => Promise<boolean>, timeoutMs = 20_000) =>
      waitFor(async () => ((await what()) ? true : undefined), { timeoutMs, intervalMs: 100 });
    /** Reads are back on the replica: readiness says so, and draws run SELECTs there. */
    const backOnReplica = async () => {
      await until(async () => (await readyz()).from === 'replica');
      const before = await replicaSelects();
      await drawsAnswer(3);
      expect(await replicaSelects()).toBeGreaterThan(before);
    };

    it('when the replica is killed, then draws keep answering 200 from the primary, and go back to the replica once it is up', async () => {
      await backOnReplica();
      replica!.signal('SIGKILL');
      await replica!.exited();
      try {
        await drawsAnswer(5);
        expect(await readyz()).toMatchObject({ from: 'primary', degraded: true });
      } finally {
        await replica!.revive();
      }
      await resumeReplication();
      await backOnReplica();
    }, 60_000);

    it('when the replica is frozen, then draws keep answering 200 from the primary, and go back to it once it thaws', async () => {
      await backOnReplica();
      replica!.signal('SIGSTOP');
      try {
        await drawsAnswer(5);
        const state = await readyz();
        expect(state).toMatchObject({ from: 'primary', degraded: true });
        expect(state.reason).toMatch(/no answer|unreachable|failed/);
      } finally {
        replica!.signal('SIGCONT');
      }
      await backOnReplica();
    }, 60_000);

    it('when its SQL thread stops, then it keeps the reads until it may be 2 s behind, then they go to the primary until it catches up', async () => {
      await backOnReplica();
      await sql(replica!, 'STOP SLAVE SQL_THREAD');
      try {
        const before = await replicaSelects();
        await drawsAnswer(1); // just stopped: not yet behind by more than the limit
        expect(await replicaSelects()).toBeGreaterThan(before);
        await until(async () => (await readyz()).degraded === true, 10_000);
        expect((await readyz()).reason).toMatch(/replication is stopped: up to \d+ s behind/);
        const whileLagging = await replicaSelects();
        await drawsAnswer(3);
        expect(await replicaSelects()).toBe(whileLagging);
      } finally {
        await sql(replica!, 'START SLAVE SQL_THREAD');
      }
      await backOnReplica();
    }, 60_000);
  });
});
