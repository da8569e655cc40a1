// The HTTP load test: `npm run bench:http` (MySQL/MariaDB only; loopback only).
// Loads a catalog (default 1M songs over 24 genres, one holding ~25%) through the importer's bulk
// path into its own database `<DATABASE_URL database>_httpbench` (kept between runs: a rerun that
// finds the same number of songs skips the load), starts the real app in-process with
// startServer() on an ephemeral 127.0.0.1 port, and beside it a bare Express app serving the same
// answers from memory: one fixed 30-song JSON body, and the same EJS view `player` rendered from
// the same views dir with fixed data (the genre and batch drawn once from the database). Then, with
// autocannon run as a child process (so the load generator does not share the servers' event loop):
//   (a) GET /api/playlists/<drug>/<big mood> on the app   (b) the same URL on the bare twin
//   (c) GET /playlist/<drug>/<big mood> on the app        (d) the same URL on the bare twin
// followed by a burst of 10× the connections on (a), with the process RSS before, right after and
// some seconds after it, and the same burst on (b) for comparison. Prints a table, PASS/FAIL per
// target and a markdown table for the README.
//
// Flags: --songs=1000000  --seconds=10  --connections=50  --warmup=2 (seconds, not counted)
//        --burst-connections=500  --burst-seconds=30  --settle-seconds=10
//        --pool=10 (the app's knex pool; 10 is the app's default)  --env=production|development
import { BIG_SHARE, createGenres, DRUGS, MOODS_PER_DRUG, songRows } from './bench-catalog.js';
import { seededRandom } from '../src/random.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type autocannon from 'autocannon';
import express from 'express';
import type { Knex } from 'knex';
import { harmReductionFor } from '../src/catalog/harm-reduction.js';
import { loadConfig, type DatabaseConfig } from '../src/config.js';
import { createDb, dropMysqlDatabase } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { scriptJson } from '../src/http/script-json.js';
import { importSongs } from '../src/import/import.service.js';
import { createLogger } from '../src/logger.js';
import { useEjsViews } from '../src/http/views.js';
import { createGenreDirectory } from '../src/catalog/genre-directory.js';
import { createPlaylistRepository } from '../src/playlists/playlist.repository.js';
import { toApiSong } from '../src/catalog/catalog.types.js';
import { createPlaylistService } from '../src/playlists/playlist.service.js';
import { startServer } from '../src/server.js';

// ---------------------------------------------------------------------------------------------
// Settings (the catalog's shape is bench/playlist.bench.ts's)

const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/stereodose';
const PLAYLIST = 30;
const BATCH_SIZE = 5000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const TARGET_API_RATIO = 0.5;
const TARGET_PAGE_RATIO = 0.4;
const TARGET_P99_MS = 50;
const TARGET_RSS_GROWTH = 1.5;

interface Options {
  songs: number;
  seconds: number;
  connections: number;
  warmup: number;
  burstConnections: number;
  burstSeconds: number;
  settleSeconds: number;
  pool: number;
  env: 'production' | 'development';
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    songs: 1_000_000,
    seconds: 10,
    connections: 50,
    warmup: 2,
    burstConnections: 500,
    burstSeconds: 30,
    settleSeconds: 10,
    pool: 10,
    env: 'production',
  };
  for (const arg of argv) {
    const [flag, value = ''] = arg.split('=', 2) as [string, string?];
    const number = (max: number, min = 1) => {
      const n = Number(value.replace(/_/g, ''));
      if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${flag}: "${value}" must be a number from ${min} to ${max}`);
      return n;
    };
    if (flag === '--songs') o.songs = Math.round(number(10_000_000, PLAYLIST * DRUGS * MOODS_PER_DRUG));
    else if (flag === '--seconds') o.seconds = number(600);
    else if (flag === '--connections') o.connections = Math.round(number(1000));
    else if (flag === '--warmup') o.warmup = number(60, 0);
    else if (flag === '--burst-connections') o.burstConnections = Math.round(number(5000));
    else if (flag === '--burst-seconds') o.burstSeconds = number(600);
    else if (flag === '--settle-seconds') o.settleSeconds = number(600, 0);
    else if (flag === '--pool') o.pool = Math.round(number(500));
    else if (flag === '--env' && (value === 'production' || value === 'development')) o.env = value;
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'npm run bench:http -- [--songs=1000000] [--seconds=10] [--connections=50] [--warmup=2] [--burst-connections=500]\n' +
          '                      [--burst-seconds=30] [--settle-seconds=10] [--pool=10] [--env=production|development]',
      );
      process.exit(0);
    } else throw new Error(`unknown flag ${arg} (try --help)`);
  }
  return o;
}

/** `<database>_httpbench` on the MySQL server DATABASE_URL names (default: local stereodose) — loopback only. */
function benchTarget(): { database: Extract<DatabaseConfig, { client: 'mysql' }>; url: string } {
  const given = loadConfig().database;
  const base = given.client === 'mysql' ? given : (loadConfig({ DATABASE_URL: DEFAULT_DATABASE_URL }).database as Extract<DatabaseConfig, { client: 'mysql' }>);
  const url = new URL(base.url);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`bench:http only talks to a database on loopback, not ${url.hostname}`);
  url.pathname = `/${base.database}_httpbench`;
  const database = loadConfig({ DATABASE_URL: url.toString() }).database;
  if (database.client !== 'mysql') throw new Error('could not derive the bench database');
  return { database, url: url.toString() };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const log = (line = '') => console.log(line);
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const ms = (x: number) => (!Number.isFinite(x) ? 'n/a' : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));
const sizeLabel = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

// ---------------------------------------------------------------------------------------------
// The catalog (as bench/playlist.bench.ts loads it)

/** Loads `songs` songs unless the database already holds exactly that catalog. Returns the big genre. */
async function ensureCatalog(target: Extract<DatabaseConfig, { client: 'mysql' }>, songs: number): Promise<{ drug: string; mood: string; loaded: string }> {
  const big = { drug: 'benchdrug1', mood: 'mood1' };
  let db = await createDb(target);
  try {
    await migrateLatest(db);
    const count = Number(((await db('songs').count({ n: '*' }).first()) as { n: unknown }).n);
    const hasGenres = Boolean(await db('moods as m').join('drugs as d', 'd.id', 'm.drug_id').where({ 'd.slug': big.drug, 'm.slug': big.mood }).first('m.id'));
    if (count === songs && hasGenres) return { ...big, loaded: `kept: ${target.database} already holds ${int(count)} songs` };
    if (count > 0 || hasGenres) {
      await db.destroy();
      await dropMysqlDatabase(target);
      db = await createDb(target);
      await migrateLatest(db);
    }
    const genres = await createGenres(db);
    const t0 = performance.now();
    let lastShown = t0;
    const report = await importSongs(db, songRows(genres, 1, songs, seededRandom(20261126)), {
      batchSize: BATCH_SIZE,
      onProgress: (done) => {
        const now = performance.now();
        if (now - lastShown > 15_000) {
          lastShown = now;
          log(`  … ${int(done)} / ${int(songs)} songs (${int(done / ((now - t0) / 1000))} songs/s)`);
        }
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    if (report.rejected || report.newSongs !== songs) {
      throw new Error(`import went wrong: ${JSON.stringify({ ...report, rejections: report.rejections.slice(0, 3) })}`);
    }
    return { ...big, loaded: `loaded ${int(songs)} songs in ${seconds.toFixed(1)} s (${int(songs / seconds)} songs/s, batches of ${BATCH_SIZE})` };
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Load generation: autocannon's CLI in a child process, JSON out, bounded in time

type Result = autocannon.Result;

const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

function assertLoopback(url: string): void {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to load ${url}: loopback only`);
}

async function fire(url: string, connections: number, seconds: number): Promise<Result> {
  assertLoopback(url);
  const child = spawn(process.execPath, [autocannonCli, '--json', '-c', String(connections), '-d', String(seconds), '-t', '10', url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // Bounded: the run takes `seconds`; give it 30 s more, then end it (our own child, by its pid).
  const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(killer);
  const line = out.trim().split('\n').filter(Boolean).pop();
  if (code !== 0 || !line) throw new Error(`autocannon exited ${String(code)}: ${err.slice(-500)}`);
  return JSON.parse(line) as Result;
}

/** What the serving process and the database did during a run. */
interface Probe {
  /** Event-loop utilisation of this process's main thread (where both servers run). */
  elu: number;
  /** CPU of this process, as a share of one core. */
  cpu: number;
  /** CPU of the database server's process (all its clients, not only ours), as a share of one core (NaN when unknown). */
  dbCpu: number;
  poolMaxUsed: number;
  poolMaxPending: number;
}

interface Pool {
  numUsed(): number;
  numPendingAcquires(): number;
}

/** utime+stime (clock ticks) of the database server's process, from /proc (read only; nothing is signalled). */
function processTicks(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

/** The PID of the server we talk to, from its @@pid_file (when it is on this machine and readable). */
async function databasePid(db: Knex): Promise<number | undefined> {
  try {
    const result = (await db.raw('SELECT @@pid_file AS f')) as [{ f: string }[]];
    const file = result[0][0]?.f;
    const pid = file ? Number(fs.readFileSync(file, 'utf8').trim()) : NaN;
    return Number.isInteger(pid) && fs.existsSync(`/proc/${pid}/stat`) ? pid : undefined;
  } catch {
    return undefined;
  }
}
const TICKS_PER_SECOND = 100;

async function measure(
  url: string,
  connections: number,
  seconds: number,
  pool: Pool | undefined,
  dbPid: number | undefined,
): Promise<{ result: Result; probe: Probe }> {
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const db0 = processTicks(dbPid);
  const t0 = performance.now();
  let poolMaxUsed = 0;
  let poolMaxPending = 0;
  const sampler = setInterval(() => {
    if (!pool) return;
    poolMaxUsed = Math.max(poolMaxUsed, pool.numUsed());
    poolMaxPending = Math.max(poolMaxPending, pool.numPendingAcquires());
  }, 50);
  try {
    const result = await fire(url, connections, seconds);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const probe: Probe = {
      elu: performance.eventLoopUtilization(elu0).utilization,
      cpu: (cpu.user + cpu.system) / 1e6 / wall,
      dbCpu: (processTicks(dbPid) - db0) / TICKS_PER_SECOND / wall,
      poolMaxUsed,
      poolMaxPending,
    };
    return { result, probe };
  } finally {
    clearInterval(sampler);
  }
}

const failures = (r: Result) => r.errors + r.timeouts + r.non2xx;

// ---------------------------------------------------------------------------------------------
// The bare twin: the same answers, from memory, with nothing but Express and the view

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function get(url: string): Promise<{ status: number; body: string }> {
  assertLoopback(url);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const o = parseArgs(process.argv.slice(2));
  const { database: target, url: targetUrl } = benchTarget();

  log(`Stereodose HTTP load test — Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${loadAverage()}`);
  log(`  database ${target.database}; ${sizeLabel(o.songs)} songs over ${DRUGS * MOODS_PER_DRUG} genres (one ~${BIG_SHARE * 100}%)`);
  const catalogState = await ensureCatalog(target, o.songs);
  log(`  catalog: ${catalogState.loaded}`);

  // express enables its view cache from NODE_ENV when an app is created: both apps get the same setting.
  process.env.NODE_ENV = o.env;
  const config = loadConfig({
    NODE_ENV: o.env,
    DATABASE_URL: targetUrl,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
  });
  const logger = createLogger('silent');
  const db = await createDb(config.database, {
    poolMax: o.pool,
    queryTimeoutMs: config.dbTimeouts.queryMs,
    acquireTimeoutMs: config.dbTimeouts.acquireMs,
    logger,
  });
  const pool = (db.client as { pool?: Pool }).pool;
  const dbPid = await databasePid(db);
  // The one server setting that moves every figure: whether the catalog's pages fit in memory.
  log(`  server: innodb_buffer_pool_size=${mb(await bufferPoolSize(db))} (a 1M catalog is ~310 MB; docker-compose gives MySQL 1 GB)`);
  const lifecycle = { shuttingDown: false };
  const app = await startServer({ config, db, logger, lifecycle });
  let bare: { server: http.Server; port: number } | undefined;
  try {
    // ---- the fixed data for the bare twin: one draw, exactly as the route makes it
    const drawn = await createPlaylistService({ repository: createPlaylistRepository(db), directory: createGenreDirectory(db) }).drawGenre(
      catalogState.drug,
      catalogState.mood,
      {
        limit: config.playlistSize,
      },
    );
    if (!drawn) throw new Error('the big genre is missing');
    const { genre, batch } = drawn;
    const apiBody = {
      drug: { slug: genre.drug.slug, name: genre.drug.name },
      mood: { slug: genre.mood.slug, name: genre.mood.name },
      songs: batch.songs.map(toApiSong),
      cursor: batch.cursor,
      dose: batch.dose,
    };
    const pagePath = `/playlist/${genre.drug.slug}/${genre.mood.slug}`;
    const apiPath = `/api/playlists/${genre.drug.slug}/${genre.mood.slug}`;
    const shareUrl = `${pagePath}?dose=${batch.dose}`;
    const bareApp = express();
    useEjsViews(bareApp); // the app's own view setup
    bareApp.disable('x-powered-by');
    bareApp.get(apiPath, (_req, res) => {
      res.json(apiBody);
    });
    bareApp.get(pagePath, (req, res) => {
      // The locals the app's middleware sets for an anonymous visitor, then the route's own.
      Object.assign(res.locals, {
        user: undefined,
        flash: [],
        csrf: () => '',
        scriptJson,
        harmReduction: harmReductionFor,
        path: req.path,
        returnTo: req.originalUrl,
      });
      res.render('player', { title: `${genre.mood.name} · ${genre.drug.name}`, genre, batch, apiUrl: apiPath, shareUrl, returnTo: shareUrl, loved: undefined });
    });
    bare = await listen(bareApp);

    const appBase = `http://127.0.0.1:${app.port}`;
    const bareBase = `http://127.0.0.1:${bare.port}`;

    // ---- sanity: both answer 200 with 30 songs; pages of about the same size
    const checks = await Promise.all([get(appBase + apiPath), get(bareBase + apiPath), get(appBase + pagePath), get(bareBase + pagePath)]);
    for (const [i, c] of checks.entries()) if (c.status !== 200) throw new Error(`sanity request ${i} answered ${c.status}: ${c.body.slice(0, 200)}`);
    const appSongs = (JSON.parse(checks[0]!.body) as { songs: unknown[] }).songs.length;
    if (appSongs !== PLAYLIST) throw new Error(`the app's playlist has ${appSongs} songs`);
    log(
      `  app on ${appBase} (startServer, LOG_LEVEL=silent, NODE_ENV=${o.env}, pool max ${o.pool}); bare twin on ${bareBase} ` +
        `(express + the same 'player' view rendered per request with fixed data)`,
    );
    log(
      `  body sizes: API app ${int(checks[0]!.body.length)} B / bare ${int(checks[1]!.body.length)} B; ` +
        `page app ${int(checks[2]!.body.length)} B / bare ${int(checks[3]!.body.length)} B`,
    );
    log(`  ${o.connections} connections × ${o.seconds} s per run (after ${o.warmup} s of warm-up each), autocannon ${autocannonVersion()} in a child process`);
    log();

    const runs: { label: string; url: string; app: boolean }[] = [
      { label: '(a) app  API ', url: appBase + apiPath, app: true },
      { label: '(b) bare API ', url: bareBase + apiPath, app: false },
      { label: '(c) app  page', url: appBase + pagePath, app: true },
      { label: '(d) bare page', url: bareBase + pagePath, app: false },
    ];
    const results: { label: string; result: Result; probe: Probe; app: boolean }[] = [];
    log('run             req/s     p50      p99      errors/non-2xx   main-thread ELU  node CPU  mariadbd CPU  pool used/waiting (max)');
    for (const run of runs) {
      if (o.warmup > 0) await fire(run.url, o.connections, o.warmup);
      const { result, probe } = await measure(run.url, o.connections, o.seconds, run.app ? pool : undefined, dbPid);
      results.push({ label: run.label, result, probe, app: run.app });
      log(
        `${run.label}  ${int(result.requests.average).padStart(8)}  ${ms(result.latency.p50).padStart(7)}  ${ms(result.latency.p99).padStart(7)}  ` +
          `${`${result.errors + result.timeouts} / ${result.non2xx}`.padStart(14)}   ${pct(probe.elu).padStart(14)}  ${pct(probe.cpu).padStart(8)}  ` +
          `${(Number.isFinite(probe.dbCpu) ? pct(probe.dbCpu) : 'n/a').padStart(12)}  ${run.app ? `${probe.poolMaxUsed}/${o.pool}, ${probe.poolMaxPending} waiting` : '—'}`,
      );
    }
    const [a, b, c, d] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0], (typeof results)[0]];
    const apiRatio = a.result.requests.average / b.result.requests.average;
    const pageRatio = c.result.requests.average / d.result.requests.average;
    log();
    log(`app/bare: API ${pct(apiRatio)}, page ${pct(pageRatio)}`);
    for (const r of [a, c]) {
      const saturated = r.probe.poolMaxUsed >= o.pool && r.probe.poolMaxPending > 0;
      log(
        `  ${r.label.trim()}: ${saturated ? `the pool was full (${r.probe.poolMaxUsed}/${o.pool}) with up to ${r.probe.poolMaxPending} requests waiting for a connection` : `the pool was not full (max ${r.probe.poolMaxUsed}/${o.pool} in use)`}; ` +
          `main thread busy ${pct(r.probe.elu)} of the time`,
      );
    }
    // Where each request's time went: the cores are shared, so a request's CPU in the serving
    // process plus its CPU in the database bounds how many requests per second fit on them.
    log('CPU per request (this process, which serves both apps / the database server):');
    const perRequest = (share: number, r: Result) => (share / r.requests.average) * 1e6;
    for (const r of results) {
      log(
        `  ${r.label}  ${int(perRequest(r.probe.cpu, r.result)).padStart(6)} µs / ${(Number.isFinite(r.probe.dbCpu) ? int(perRequest(r.probe.dbCpu, r.result)) : 'n/a').padStart(6)} µs`,
      );
    }
    // The most an app run could serve if the load generator cost nothing: every core busy with
    // nothing but this process and the database, at the CPU per request just measured.
    const cores = os.availableParallelism();
    for (const [app, twin] of [
      [a, b],
      [c, d],
    ] as const) {
      const cpuPerRequest = perRequest(app.probe.cpu, app.result) + perRequest(app.probe.dbCpu, app.result);
      if (!Number.isFinite(cpuPerRequest)) continue;
      const ceiling = (cores * 1e6) / cpuPerRequest;
      log(
        `  ceiling for ${app.label.trim()}: ${cores} cores ÷ ${int(cpuPerRequest)} µs = ${int(ceiling)} req/s = ${pct(ceiling / twin.result.requests.average)} of ${twin.label.trim()}`,
      );
    }
    log();

    // ---- the burst
    // Live heap = heap used after a full collection (garbage from the runs is not a leak).
    const liveHeap = () => {
      fullGc();
      return process.memoryUsage().heapUsed;
    };
    const rss0 = process.memoryUsage.rss();
    const heap0 = liveHeap();
    log(`Burst: ${o.burstConnections} connections × ${o.burstSeconds} s on (a); RSS before ${mb(rss0)}`);
    const burst = await measure(appBase + apiPath, o.burstConnections, o.burstSeconds, pool, dbPid);
    const rss1 = process.memoryUsage.rss();
    await sleep(o.settleSeconds * 1000);
    const rss2 = process.memoryUsage.rss();
    const heap2 = liveHeap();
    const rss3 = process.memoryUsage.rss();
    const br = burst.result;
    log(
      `  ${int(br.requests.average)} req/s, p50 ${ms(br.latency.p50)}, p99 ${ms(br.latency.p99)}, max ${ms(br.latency.max)}; ` +
        `2xx ${int(br['2xx'])}, 4xx ${int(br['4xx'])}, 5xx ${int(br['5xx'])}, errors ${br.errors}, timeouts ${br.timeouts}; ` +
        `pool max ${burst.probe.poolMaxUsed}/${o.pool} in use, up to ${burst.probe.poolMaxPending} waiting; main thread busy ${pct(burst.probe.elu)}`,
    );
    log(`  RSS before ${mb(rss0)}, right after ${mb(rss1)}, ${o.settleSeconds} s after ${mb(rss2)} (${(rss2 / rss0).toFixed(2)}× before)`);
    log(`  live V8 heap (after a full GC) before ${mb(heap0)}, ${o.settleSeconds} s after ${mb(heap2)}; RSS after that GC ${mb(rss3)}`);
    // The same burst on the bare twin: client timeouts that it shows too come from the saturated
    // machine (load generator and kernel), not from the app.
    const bareBurst = await fire(bareBase + apiPath, o.burstConnections, o.burstSeconds);
    log(
      `  the same burst on (b): ${int(bareBurst.requests.average)} req/s, p99 ${ms(bareBurst.latency.p99)}, max ${ms(bareBurst.latency.max)}; ` +
        `errors ${bareBurst.errors}, timeouts ${bareBurst.timeouts}`,
    );
    log();

    // ---- verdicts
    log(`${verdict(apiRatio >= TARGET_API_RATIO)}  API ≥ ${pct(TARGET_API_RATIO)} of bare (${pct(apiRatio)})`);
    log(`${verdict(pageRatio >= TARGET_PAGE_RATIO)}  page ≥ ${pct(TARGET_PAGE_RATIO)} of bare (${pct(pageRatio)})`);
    log(
      `${verdict(a.result.latency.p99 < TARGET_P99_MS && c.result.latency.p99 < TARGET_P99_MS)}  app p99 < ${TARGET_P99_MS} ms (API ${ms(a.result.latency.p99)}, page ${ms(c.result.latency.p99)})`,
    );
    const totalFailures = results.reduce((n, r) => n + failures(r.result), 0);
    log(`${verdict(totalFailures === 0)}  zero errors / non-2xx in (a)–(d) (${totalFailures})`);
    log(
      `${verdict(br['5xx'] === 0)}  no 5xx in the ${o.burstConnections}-connection burst (${br['5xx']} 5xx; ${br.errors} connection errors, ${br.timeouts} timeouts)`,
    );
    log(
      `${verdict(rss2 <= TARGET_RSS_GROWTH * rss0)}  RSS ${o.settleSeconds} s after the burst within ${TARGET_RSS_GROWTH}× of before (${mb(rss0)} → ${mb(rss2)})`,
    );
    log();

    // ---- markdown
    log('Markdown (for README):');
    log();
    log(
      `HTTP load test: ${sizeLabel(o.songs)} songs on ${await serverVersion(db)} (buffer pool ${mb(await bufferPoolSize(db))}), Node ${process.version}, ${os.cpus().length} CPUs shared by app, ` +
        `database and load generator; autocannon, ${o.connections} connections × ${o.seconds} s; NODE_ENV=${o.env}; app pool ${o.pool} connections.`,
    );
    log();
    log('| Run | req/s | p50 | p99 | errors / non-2xx |');
    log('|---|---:|---:|---:|---:|');
    for (const r of results) {
      log(
        `| ${r.label.trim()} | ${int(r.result.requests.average)} | ${ms(r.result.latency.p50)} | ${ms(r.result.latency.p99)} | ${r.result.errors + r.result.timeouts} / ${r.result.non2xx} |`,
      );
    }
    log(
      `| burst: app API, ${o.burstConnections} connections × ${o.burstSeconds} s | ${int(br.requests.average)} | ${ms(br.latency.p50)} | ${ms(br.latency.p99)} | ${br.errors + br.timeouts} / ${br.non2xx} (5xx: ${br['5xx']}) |`,
    );
    log(
      `| burst: bare API, the same | ${int(bareBurst.requests.average)} | ${ms(bareBurst.latency.p50)} | ${ms(bareBurst.latency.p99)} | ${bareBurst.errors + bareBurst.timeouts} / ${bareBurst.non2xx} |`,
    );
    log();
    log(
      `app/bare: API **${pct(apiRatio)}** (target ≥ ${pct(TARGET_API_RATIO)}), page **${pct(pageRatio)}** (target ≥ ${pct(TARGET_PAGE_RATIO)}). ` +
        `RSS around the burst: ${mb(rss0)} before, ${mb(rss1)} right after, ${mb(rss2)} ${o.settleSeconds} s later (live heap ${mb(heap0)} → ${mb(heap2)}).`,
    );
    log();
    log(`Total time ${((performance.now() - started) / 1000).toFixed(0)} s; load average at end ${loadAverage()}`);
  } finally {
    // ---- clean up: both servers, then the pool (app.close() destroys it)
    if (bare) {
      const server = bare.server;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    await app.close();
  }
}

/** A full garbage collection, without needing `node --expose-gc` on the command line. */
function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function autocannonVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('autocannon/package.json') as { version: string }).version;
}

async function bufferPoolSize(db: Knex): Promise<number> {
  const result = (await db.raw('SELECT @@innodb_buffer_pool_size AS size')) as [{ size: number | string }[]];
  return Number(result[0][0]?.size ?? NaN);
}

async function serverVersion(db: Knex): Promise<string> {
  const result = (await db.raw('SELECT VERSION() AS v')) as [{ v: string }[]];
  const v = result[0][0]?.v ?? '?';
  return /mariadb/i.test(v) ? `MariaDB ${v.replace(/-MariaDB.*$/i, '')}` : `MySQL ${v}`;
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? `${err.name}: ${err.message.slice(0, 600)}\n${(err.stack ?? '').split('\n').slice(1, 8).join('\n')}` : String(err);
  console.error(`bench:http failed: ${message}`);
  process.exitCode = 1;
});
