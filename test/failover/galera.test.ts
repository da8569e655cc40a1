// Losing a database node under load: a private 3-node Galera cluster behind HAProxy
// (scripts/galera/cluster.ts), the app as a real process on HAProxy's write port, and listeners,
// a hearting and playing crowd and an admin working all the while. Three faults in turn — the
// writer killed (SIGKILL), the writer frozen for 15 s (SIGSTOP), a rolling restart of all three —
// and after each: no listener read failed, at most a few writes failed and each was a 503 with
// Retry-After, writes worked again within 3 s, every acknowledged write is on every node, favorite
// counts equal their rows, every genre's numbering checks out on every node, the node is back,
// and the app logged the outage as its own one line (no driver stack traces).
// Run by `npm run test:failover` (its own vitest config), once, from .ci/run.
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { nodeQuery } from '../../scripts/galera/cluster.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGaleraCluster, type GaleraCluster, type GaleraNode } from '../../scripts/galera/cluster.js';
import { parseDatabaseUrl } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { createFavoritesRepository } from '../../src/favorites/favorites.repository.js';
import { checkGenres } from '../../src/playlists/check.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { makeGenre, makeSongs, type TestGenre } from '../helpers/factories.js';
import { csrfFrom, registerAs, type Agent } from '../helpers/session.js';
import { waitFor } from '../helpers/wait.js';

const DATABASE = 'stereodose_failover';
/** Writes must work again within this of the fault. */
const WRITES_BACK_WITHIN_MS = 3000;
/** At most this many writes may fail in one fault (each a 503 with Retry-After). */
const FEW_WRITES = 6;

interface Outcome {
  kind: 'draw' | 'page' | 'favorite' | 'play' | 'song';
  write: boolean;
  status: number;
  retryAfter?: string;
  startedAt: number;
  endedAt: number;
}

describe('when a Galera node fails under load', () => {
  let cluster: GaleraCluster;
  let app: AppProcess;
  let base: string;
  let genre: TestGenre;
  let songIds: number[];
  let setup: Db;
  const listeners: { agent: Agent; csrf: string; userId: number; loved: Set<number> }[] = [];
  let admin: { agent: Agent; csrf: string };
  const addedSongs: string[] = [];
  let playsAcknowledged = 0;
  let plays = 0;
  const report: Record<string, unknown>[] = [];

  beforeAll(async () => {
    cluster = await startGaleraCluster();
    setup = await createDb(parseDatabaseUrl(cluster.url(DATABASE), ''), { poolMax: 2 });
    await migrateLatest(setup);
    genre = await makeGenre(setup);
    songIds = await makeSongs(setup, genre.genreId, 60);

    app = spawnApp({
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://127.0.0.1',
      SESSION_SECRET: 'failover-secret-failover-secret-failover-secret',
      PORT: '0',
      LOG_LEVEL: 'info',
      WEB_CONCURRENCY: '1',
      DATABASE_URL: cluster.url(DATABASE),
      DB_SYNC_WAIT: '1',
      DB_QUERY_TIMEOUT_MS: '3000',
      DB_ACQUIRE_TIMEOUT_MS: '2000',
      DB_READ_RETRY_MS: '10000',
      DB_NODE_CHECK_SECONDS: '1',
      PLAYS_FLUSH_MS: '500',
      TRUST_PROXY: 'loopback',
    });
    const line = await waitFor(() => app.logs.find((l) => typeof l.url === 'string' && /is playing on/.test(String(l.msg))), {
      timeoutMs: 60_000,
      why: app.stderr,
    });
    base = String(line.url);

    for (let i = 0; i < 3; i++) {
      const { agent, username } = await registerAs(base);
      const userId = Number((await setup('users').where('username', username).first('id')).id);
      listeners.push({ agent, csrf: await csrfFrom(agent, '/account'), userId, loved: new Set() });
    }
    const made = await registerAs(base);
    await setup('users').where('username', made.username).update({ is_admin: true });
    admin = { agent: made.agent, csrf: await csrfFrom(made.agent, '/admin/songs/new') };
  }, 300_000);

  afterAll(async () => {
    console.log(JSON.stringify({ failover: report }, null, 2));
    app?.child.kill('SIGKILL');
    await app?.exited;
    await setup?.destroy();
    await cluster?.destroy();
  }, 120_000);

  /** Runs the crowd until `stop()`; every request's outcome is kept. */
  function crowd() {
    const outcomes: Outcome[] = [];
    let running = true;
    const timed = async (kind: Outcome['kind'], write: boolean, send: () => Promise<request.Response>) => {
      const startedAt = Date.now();
      const res = await send();
      outcomes.push({ kind, write, status: res.status, retryAfter: res.headers['retry-after'], startedAt, endedAt: Date.now() });
      return res;
    };
    const loop = async (work: () => Promise<void>) => {
      while (running) {
        await work();
        await new Promise((resolve) => setTimeout(resolve, 20)); // each worker's pace: the load's shape
      }
    };
    const apiUrl = `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    const reader = async () => {
      let cursor: string | undefined;
      await loop(async () => {
        const res = await timed('draw', false, () => request(base).get(cursor ? `${apiUrl}?cursor=${encodeURIComponent(cursor)}` : apiUrl));
        cursor = res.status === 200 ? res.body.cursor : undefined;
        await timed('page', false, () => request(base).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).set('Accept', 'text/html'));
      });
    };
    const hearting = (listener: (typeof listeners)[number]) =>
      loop(async () => {
        const songId = songIds[Math.floor(Math.random() * songIds.length)]!;
        const loving = !listener.loved.has(songId);
        const res = await timed('favorite', true, () =>
          loving
            ? listener.agent.put(`/api/favorites/${songId}`).set('x-csrf-token', listener.csrf)
            : listener.agent.delete(`/api/favorites/${songId}`).set('x-csrf-token', listener.csrf),
        );
        if (res.status === 200) {
          if (loving) listener.loved.add(songId);
          else listener.loved.delete(songId);
        }
        const play = await timed('play', true, () =>
          // A new address per play: the per-IP play limit is not what this measures.
          request(base)
            .post('/api/plays')
            .set('X-Forwarded-For', `10.24.${(plays >> 8) & 255}.${plays++ & 255}`)
            .send({ songId, genre: `${genre.drugSlug}/${genre.moodSlug}` }),
        );
        if (play.status === 204) playsAcknowledged++;
      });
    const adding = () =>
      loop(async () => {
        const title = `Added ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
        const res = await timed('song', true, () =>
          admin.agent
            .post('/admin/songs')
            .type('form')
            .send({
              _csrf: admin.csrf,
              title,
              artist: 'Failover',
              source: 'url',
              url: `https://example.test/${title.replace(/\W/g, '')}.mp3`,
              genreIds: String(genre.genreId),
            }),
        );
        if (res.status === 303) addedSongs.push(title);
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
    const all = Promise.all([reader(), reader(), reader(), ...listeners.map(hearting), adding()]);
    return {
      outcomes,
      async stop() {
        running = false;
        await all;
      },
    };
  }

  /** Every node's copy of what the crowd was told was stored. */
  async function expectEverythingOnEveryNode() {
    for (const node of cluster.nodes) {
      const db = await createDb(parseDatabaseUrl(`mysql://root@127.0.0.1:${node.ports.client}/${DATABASE}`, ''), { poolMax: 2, syncWait: 1 });
      try {
        for (const listener of listeners) {
          const stored = (await db('favorites').where('user_id', listener.userId).pluck('song_id')).map(Number).sort((a, b) => a - b);
          expect(stored, `${node.name}: listener ${listener.userId}'s favorites`).toEqual([...listener.loved].sort((a, b) => a - b));
        }
        const titles = await db('songs').whereIn('title', addedSongs).pluck('title');
        expect(titles.length, `${node.name}: acknowledged songs`).toBe(addedSongs.length);
        const counts = await db('songs as s')
          .leftJoin('favorites as f', 'f.song_id', 's.id')
          .groupBy('s.id', 's.favorite_count')
          .select('s.id', 's.favorite_count', db.raw('count(f.user_id) as n'));
        for (const c of counts) expect(Number(c.favorite_count), `${node.name}: song ${c.id}'s favorite count`).toBe(Number(c.n));
        const copies = await db('genre_songs as gs')
          .join('songs as s', 's.id', 'gs.song_id')
          .whereRaw('gs.favorite_count <> s.favorite_count')
          .count({ n: '*' });
        expect(Number(copies[0]!.n), `${node.name}: genre_songs favorite counts`).toBe(0);
        // The last plays are batched in the app's memory until its next flush (about a second).
        const flushed = async () => Number((await db('daily_stats').sum({ n: 'songs_played' }))[0]!.n);
        await waitFor(async () => ((await flushed()) >= playsAcknowledged ? true : undefined), {
          timeoutMs: 10_000,
          why: () => `${node.name}: plays flushed, ${playsAcknowledged} acknowledged`,
        });
        expect(await checkGenres(db), `${node.name}: db:check`).toEqual([]);
      } finally {
        await db.destroy();
      }
    }
  }

  /** Runs the crowd around `fault`, then checks and reports what it saw. */
  async function underLoad(name: string, fault: () => Promise<void>) {
    const logsBefore = app.logs.length;
    const stderrBefore = app.stderr().length;
    const load = crowd();
    // The crowd runs 3 s before the fault and 3 s after the cluster is whole again: that is the
    // load under test, not a wait for something to happen.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const faultAt = Date.now();
    await fault();
    await cluster.synced(3, 180_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await load.stop();

    const { outcomes } = load;
    const readsFailed = outcomes.filter((o) => !o.write && o.status !== 200);
    const writes = outcomes.filter((o) => o.write);
    const writesFailed = writes.filter((o) => ![200, 204, 303].includes(o.status));
    // Writes that reach the database while answered (plays are counted in memory first).
    const firstOkAfter = writes
      .filter((o) => o.kind !== 'play' && o.startedAt >= faultAt && [200, 303].includes(o.status))
      .sort((a, b) => a.endedAt - b.endedAt)[0];
    const slowest = (kind: Outcome['write']) => Math.max(...outcomes.filter((o) => o.write === kind && o.status < 400).map((o) => o.endedAt - o.startedAt));
    const lines = app.logs.slice(logsBefore);
    const unavailable = lines.filter((l) => l.msg === 'database unavailable');
    const stderr = app.stderr().slice(stderrBefore);
    const seen = {
      fault: name,
      requests: outcomes.length,
      readsFailed: readsFailed.length,
      writes: writes.length,
      writesFailed: writesFailed.map((o) => `${o.kind} ${o.status} Retry-After ${o.retryAfter}`),
      writesBackAfterMs: firstOkAfter ? firstOkAfter.endedAt - faultAt : undefined,
      slowestReadMs: slowest(false),
      slowestWriteMs: slowest(true),
      unavailableLogLines: unavailable.length,
      driverLines: lines.filter((l) => /Connection lost|at Socket\./.test(JSON.stringify(l))).map((l) => JSON.stringify(l).slice(0, 800)),
      failedWriteLines: lines
        .filter((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 503 || l.msg === 'database unavailable')
        .map((l) => JSON.stringify(l).slice(0, 400)),
      errorLines: lines.filter((l) => Number(l.level) >= 50 && l.msg !== 'request errored').map((l) => JSON.stringify(l).slice(0, 600)),
    };
    report.push(seen);

    expect(
      readsFailed.map((o) => `${o.kind} ${o.status}`),
      'listener reads that failed',
    ).toEqual([]);
    expect(writesFailed.length, 'writes that failed').toBeLessThanOrEqual(FEW_WRITES);
    for (const o of writesFailed) {
      expect(o.status, `${o.kind}: a failed write is a 503`).toBe(503);
      expect(o.retryAfter, `${o.kind}: with Retry-After`).toBe('5');
    }
    expect(seen.writesBackAfterMs, 'writes work again within 3 s').toBeLessThanOrEqual(WRITES_BACK_WITHIN_MS);
    expect(unavailable.length, 'the outage is logged as one line').toBeLessThanOrEqual(1);
    expect(seen.errorLines, 'no other error logged').toEqual([]);
    expect(stderr, 'nothing on stderr (no driver stack traces)').not.toMatch(/Connection lost|at .*node_modules/);
    expect(JSON.stringify(lines), 'no driver stack traces in the log').not.toMatch(/Connection lost: The server closed|at Socket\./);
    await expectEverythingOnEveryNode();
  }

  it('when two nodes take writes to the same rows at once, then certification conflicts are retried like deadlocks and every write lands once', async () => {
    const pools = await Promise.all(
      cluster.nodes.slice(0, 2).map((node) => createDb(parseDatabaseUrl(`mysql://root@127.0.0.1:${node.ports.client}/${DATABASE}`, ''), { poolMax: 4 })),
    );
    const conflicts = async () => {
      let total = 0;
      for (const node of cluster.nodes.slice(0, 2)) {
        const rows = await nodeQuery<{ Value: string }>(
          node.ports.client,
          "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_cert_failures', 'wsrep_local_bf_aborts')",
        );
        for (const r of rows) total += Number(r.Value);
      }
      return total;
    };
    try {
      const songId = songIds[0]!;
      const users = await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const name = `certifier${i}${Date.now().toString(36)}`;
          const [id] = await setup('users').insert({ username: name, username_normalized: name, password_hash: '-' });
          return Number(id);
        }),
      );
      const before = Number((await setup('songs').where('id', songId).first('favorite_count')).favorite_count);
      const conflictsBefore = await conflicts();
      // Every favorite bumps the song's count and its genre_songs copy: the same rows, from two nodes.
      await Promise.all(users.map((userId, i) => createFavoritesRepository(pools[i % 2]!).add(userId, songId)));
      const conflicted = (await conflicts()) - conflictsBefore;
      report.push({ fault: 'two writers on one row', favorites: users.length, certificationConflictsRetried: conflicted });
      for (const db of pools) {
        const count = Number((await db('songs').where('id', songId).first('favorite_count')).favorite_count);
        const rows = Number((await db('favorites').where('song_id', songId).count({ n: '*' }))[0]!.n);
        expect(count).toBe(before + users.length);
        expect(rows).toBe(count);
      }
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
    }
  });

  it('when a node is not Synced (desynced), then /readyz of an app on that node answers 503, and 200 once it is Synced again', async () => {
    const node = cluster.nodes[2]!;
    const db = await createDb(parseDatabaseUrl(`mysql://root@127.0.0.1:${node.ports.client}/${DATABASE}`, ''), { poolMax: 2 });
    const direct = createApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), db });
    try {
      expect((await request(direct).get('/readyz')).status).toBe(200);
      await nodeQuery(node.ports.client, 'SET GLOBAL wsrep_desync = ON');
      await waitFor(async () => ((await node.state()) === 'Synced' ? undefined : true), { timeoutMs: 10_000 });
      const res = await request(direct).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('unavailable');
    } finally {
      await nodeQuery(node.ports.client, 'SET GLOBAL wsrep_desync = OFF');
    }
    await waitFor(async () => ((await request(direct).get('/readyz')).status === 200 ? true : undefined), { timeoutMs: 30_000 });
    await db.destroy();
  });

  it('when the writer is killed (SIGKILL), then listeners notice nothing, writes are back within 3 s, nothing acknowledged is lost, and the node rejoins', async () => {
    let victim: GaleraNode | undefined;
    await underLoad('SIGKILL the writer', async () => {
      victim = await cluster.writer();
      victim.signal('SIGKILL');
      await victim.exited();
      await new Promise((resolve) => setTimeout(resolve, 5000));
      await victim.start();
    });
    expect(await victim!.state()).toBe('Synced');
  }, 400_000);

  it('when the writer freezes for 15 s (SIGSTOP), then the same holds, and it rejoins after SIGCONT', async () => {
    let victim: GaleraNode | undefined;
    await underLoad('SIGSTOP the writer for 15 s', async () => {
      victim = await cluster.writer();
      victim.signal('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      victim.signal('SIGCONT');
    });
    expect(await victim!.state()).toBe('Synced');
  }, 400_000);

  it('when all three nodes restart one after another (the writer last), then the same holds', async () => {
    await underLoad('rolling restart of all three', async () => {
      const writer = await cluster.writer();
      // The others first: the writer changes once, when it goes last.
      for (const node of [...cluster.nodes.filter((n) => n !== writer), writer]) {
        await node.stop();
        await node.start();
        await cluster.synced(3, 180_000);
      }
    });
  }, 600_000);
});
