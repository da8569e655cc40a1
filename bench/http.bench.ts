// The HTTP load test: `npm run bench:http` (MySQL/MariaDB only; loopback only).
// Loads a catalog (default 1M songs over 24 genres, one holding ~25%) through the importer's bulk
// path into its own database `<DATABASE_URL database>_httpbench` (kept between runs: a rerun that
// finds the same number of songs skips the load), starts the real app in-process with
// startServer() on an ephemeral 127.0.0.1 port, and beside it two bare Express twins
// (bench/http-twins.ts) answering the same two URLs with the same bodies and the same EJS view
// `player` (one set of page locals, an anonymous visitor's, built for both):
//   - the floor twin: its own mysql2 pool of --pool connections and the big genre's N read once;
//     per request 30 distinct random numbers in 1..N and ONE prepared statement for their songs.
//     That is the least any implementation must do, so app − floor is what the app's code costs;
//   - the memory twin: the songs of one draw, from memory, no database (the Node ceiling).
// Then, with autocannon run as a child process (so the load generator does not share the servers'
// event loop), six runs, each after its own warm-up, one server under load at a time:
//   (a) app API   (b) floor API   (c) memory API     GET /api/playlists/<drug>/<big mood>
//   (d) app page  (e) floor page  (f) memory page    GET /playlist/<drug>/<big mood>
// followed by a burst of 10× the connections on (a), with the process RSS before, right after and
// some seconds after it, and the same burst on (c) for comparison. Prints one table (req/s, p50,
// p99, errors, node and MariaDB CPU per request, pool use), PASS/FAIL per target and a markdown
// table for the README. Targets: app ≥ 75% of the floor twin's req/s and app p99 ≤ 1.5× the floor
// twin's (API and page); zero errors / non-2xx in all six runs; no 5xx in the burst and RSS within
// 1.5× of before it; app overhead per API request (app − floor twin node CPU µs) < 150 µs. The
// app/memory ratios are printed for information.
//
// Flags: --songs=1000000  --seconds=10  --connections=50  --warmup=2 (seconds, not counted)
//        --burst-connections=500  --burst-seconds=30  --settle-seconds=10
// Then two plays runs (POST /api/plays, a new X-Forwarded-For per report): (g) each play its own
// transaction (PLAYS_FLUSH_MS=0, as before batching) and (h) plays counted in memory and flushed
// every second, each followed by a check that the rollups gained exactly the plays answered 204.
//        --pool=10 (the app's knex pool and the floor twin's; 10 is the app's default)  --env=production|development
//        --buffer-pool=1G|keep (raised for the run as production's, put back after)  --log=info|silent (the app's request log, to /dev/null)
import { BIG_SHARE, createGenres, DRUGS, MOODS_PER_DRUG, songRows } from './bench-catalog.js';
import { apiPath, pagePath, startFloorTwin, startMemoryTwin, type Twin } from './http-twins.js';
import { seededRandom } from '../src/random.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type autocannon from 'autocannon';
import type { Knex } from 'knex';
import { loadConfig, type DatabaseConfig } from '../src/config.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { publicUrlOf } from '../src/http/public-url.js';
import { createImportRepository } from '../src/import/import.repository.js';
import { runImport } from '../src/import/import.service.js';
import { createLogger } from '../src/logger.js';
import { pino } from 'pino';
import { bufferPoolSize, PRODUCTION_BUFFER_POOL, parseBufferPool, raiseBufferPool } from './buffer-pool.js';
import { createGenreDirectory } from '../src/catalog/genre.js';
import { createPlaylistRepository } from '../src/playlists/playlist.repository.js';
import { createPlaylistService } from '../src/playlists/playlist.service.js';
import { startServer } from '../src/server.js';
import { dropMysqlDatabase } from '../test/helpers/drop-database.js';

// ---------------------------------------------------------------------------------------------
// Settings (the catalog's shape is bench/playlist.bench.ts's)

const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/stereodose';
const PLAYLIST = 30;
const BATCH_SIZE = 5000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The app's req/s against the floor twin's, API and page. */
const TARGET_FLOOR_RATIO = 0.75;
/** The app's p99 against the floor twin's, API and page. */
const TARGET_P99_RATIO = 1.5;
/** App node CPU per API request minus the floor twin's. */
const TARGET_API_OVERHEAD_US = 150;
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
  bufferPool: number | 'keep';
  logLevel: 'info' | 'silent';
  /** `plays`: only the two plays runs (a quick before/after of batching). */
  only?: 'plays';
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
    bufferPool: PRODUCTION_BUFFER_POOL,
    logLevel: 'info',
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
    else if (flag === '--buffer-pool') o.bufferPool = parseBufferPool(value);
    else if (flag === '--log' && (value === 'info' || value === 'silent')) o.logLevel = value;
    else if (flag === '--only' && value === 'plays') o.only = value;
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'npm run bench:http -- [--songs=1000000] [--seconds=10] [--connections=50] [--warmup=2] [--burst-connections=500]\n' +
          '                      [--burst-seconds=30] [--settle-seconds=10] [--pool=10] [--env=production|development]\n' +
          '                      [--buffer-pool=1G|keep] [--log=info|silent] [--only=plays]',
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
    const report = await runImport(createImportRepository(db), songRows(genres, 1, songs, seededRandom(20261126)), {
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

/** A POST with a JSON body, each request from a new client address (X-Forwarded-For). */
interface Post {
  body: string;
}

/**
 * autocannon's programmatic API in a child process, for a POST whose X-Forwarded-For changes with
 * every request (its CLI cannot: `[`…`]` in an argument is read as a sub-argument list).
 */
const POST_RUNNER = `
const autocannon = require(process.env.AUTOCANNON);
let n = 0;
const o = JSON.parse(process.env.RUN);
autocannon({ url: o.url, connections: o.connections, duration: o.seconds, timeout: 10, method: 'POST',
  headers: { 'content-type': 'application/json' }, body: o.body,
  requests: [{ setupRequest: (req) => { n++; return { ...req, headers: { ...req.headers, 'x-forwarded-for': '10.' + ((n >> 16) & 255) + '.' + ((n >> 8) & 255) + '.' + (n & 255) } }; } }],
}, (err, result) => { if (err) { console.error(err); process.exit(1); } console.log(JSON.stringify(result)); });
`;

async function fire(url: string, connections: number, seconds: number, post?: Post): Promise<Result> {
  assertLoopback(url);
  const args = post ? ['-e', POST_RUNNER] : [autocannonCli, '--json', '-c', String(connections), '-d', String(seconds), '-t', '10', url];
  const env = post ? { ...process.env, AUTOCANNON: autocannonCli, RUN: JSON.stringify({ url, connections, seconds, body: post.body }) } : process.env;
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
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
  /** Event-loop utilisation of this process's main thread (where all three servers run). */
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
  post?: Post,
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
    const result = await fire(url, connections, seconds, post);
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
// Sanity requests

async function get(url: string): Promise<{ status: number; body: string }> {
  assertLoopback(url);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}

/** The rows of a player page's track list (not the one inside its <template>, which the client clones). */
const pageTracks = (html: string) => html.replace(/<template\b[\s\S]*?<\/template>/g, '').split('<li class="track"').length - 1;

// ---------------------------------------------------------------------------------------------

interface Measured {
  label: string;
  result: Result;
  probe: Probe;
  /** Whether the server has a pool to sample (the app and the floor twin). */
  pooled: boolean;
}

/** CPU per request, in µs, from a CPU share (of one core) and the run's rate. */
const perRequest = (share: number, r: Result) => (share / r.requests.average) * 1e6;
const micros = (x: number) => (Number.isFinite(x) ? `${int(x)} µs` : 'n/a');
const nodeMicros = (m: Measured) => perRequest(m.probe.cpu, m.result);
const dbMicros = (m: Measured) => perRequest(m.probe.dbCpu, m.result);
const ratio = (x: number) => `${x.toFixed(2)}×`;

async function main(): Promise<void> {
  const started = performance.now();
  const o = parseArgs(process.argv.slice(2));
  const { database: target, url: targetUrl } = benchTarget();

  log(`Stereodose HTTP load test — Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${loadAverage()}`);
  log(`  database ${target.database}; ${sizeLabel(o.songs)} songs over ${DRUGS * MOODS_PER_DRUG} genres (one ~${BIG_SHARE * 100}%)`);
  const catalogState = await ensureCatalog(target, o.songs);
  log(`  catalog: ${catalogState.loaded}`);

  // express enables its view cache from NODE_ENV when an app is created: all three apps get the same setting.
  process.env.NODE_ENV = o.env;
  if (o.only === 'plays') {
    await playsOnly(o, targetUrl, catalogState);
    return;
  }
  const config = loadConfig({
    NODE_ENV: o.env,
    DATABASE_URL: targetUrl,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: o.logLevel,
    PORT: '0',
    HOST: '127.0.0.1',
    // Production builds absolute URLs on it alone; the bench's pages name no other host.
    PUBLIC_URL: 'http://127.0.0.1',
    SEED_DEMO: 'false',
  });
  // The app logs as in production, one JSON line per request, written (synchronously, as pino's
  // default stdout is) to /dev/null so the bench's own output stays readable.
  const logger = createLogger(o.logLevel, pino.destination({ dest: '/dev/null', sync: true }));
  const db = await createDb(config.database, {
    poolMax: o.pool,
    queryTimeoutMs: config.dbTimeouts.queryMs,
    acquireTimeoutMs: config.dbTimeouts.acquireMs,
    logger,
  });
  const pool = (db.client as { pool?: Pool }).pool;
  const dbPid = await databasePid(db);
  const bufferPool = await raiseBufferPool(db, o.bufferPool);
  log(`  server: ${bufferPool.said}`);
  log(`  warm-up: ${await warmCatalog(db)}`);
  const lifecycle = { shuttingDown: false };
  const app = await startServer({ config, db, logger, lifecycle });
  const twins: Twin[] = [];
  try {
    // ---- the twins' data: one draw, exactly as the route makes it (the memory twin answers it;
    // the floor twin keeps its genre, cursor and dose and draws its own songs)
    const drawn = await createPlaylistService({ repository: createPlaylistRepository(db), directory: createGenreDirectory(db) }).drawGenre(
      catalogState.drug,
      catalogState.mood,
      { limit: config.playlistSize },
    );
    if (!drawn) throw new Error('the big genre is missing');
    const { genre, batch } = drawn;
    const publicUrl = publicUrlOf(config);
    const floor = await startFloorTwin({ database: target, connections: o.pool, genre, batch, publicUrl });
    twins.push(floor);
    const memory = await startMemoryTwin({ genre, batch, publicUrl });
    twins.push(memory);
    const api = apiPath(genre);
    const page = pagePath(genre);

    const appBase = `http://127.0.0.1:${app.port}`;
    const floorBase = `http://127.0.0.1:${floor.port}`;
    const memoryBase = `http://127.0.0.1:${memory.port}`;

    // ---- sanity: all three answer 200 with 30 songs, and pages of about the same size
    const sizes: string[] = [];
    for (const path of [api, page]) {
      const bodies: string[] = [];
      for (const [name, base] of [
        ['app', appBase],
        ['floor', floorBase],
        ['memory', memoryBase],
      ] as const) {
        const c = await get(base + path);
        if (c.status !== 200) throw new Error(`sanity: ${name} answered ${path} with ${c.status}: ${c.body.slice(0, 200)}`);
        const songs = path === api ? (JSON.parse(c.body) as { songs: unknown[] }).songs.length : pageTracks(c.body);
        if (songs !== PLAYLIST) throw new Error(`sanity: ${name}'s ${path} holds ${songs} songs, not ${PLAYLIST}`);
        bodies.push(`${name} ${int(c.body.length)} B`);
      }
      sizes.push(`${path === api ? 'API' : 'page'} ${bodies.join(' / ')}`);
    }
    log(`  app on ${appBase} (startServer, LOG_LEVEL=${o.logLevel} to /dev/null, NODE_ENV=${o.env}, knex pool max ${o.pool})`);
    log(`  floor twin on ${floorBase} (express + its own mysql2 pool of ${o.pool}: 30 random numbers, one prepared statement, the same view)`);
    log(`  memory twin on ${memoryBase} (express + one draw's answer from memory, the same view rendered per request)`);
    log(`  body sizes (${PLAYLIST} songs each): ${sizes.join('; ')}`);
    log(`  ${o.connections} connections × ${o.seconds} s per run (after ${o.warmup} s of warm-up each), autocannon ${autocannonVersion()} in a child process`);
    log();

    const runs: { label: string; url: string; pool?: Pool }[] = [
      { label: '(a) app    API ', url: appBase + api, pool },
      { label: '(b) floor  API ', url: floorBase + api, pool: floor.pool },
      { label: '(c) memory API ', url: memoryBase + api },
      { label: '(d) app    page', url: appBase + page, pool },
      { label: '(e) floor  page', url: floorBase + page, pool: floor.pool },
      { label: '(f) memory page', url: memoryBase + page },
    ];
    const results: Measured[] = [];
    log('run                 req/s      p50      p99  errors/non-2xx  node µs/req  MariaDB µs/req  pool max used  main-thread ELU');
    for (const run of runs) {
      if (o.warmup > 0) await fire(run.url, o.connections, o.warmup);
      const { result, probe } = await measure(run.url, o.connections, o.seconds, run.pool, dbPid);
      const m: Measured = { label: run.label, result, probe, pooled: Boolean(run.pool) };
      results.push(m);
      log(
        `${run.label}  ${int(result.requests.average).padStart(8)}  ${ms(result.latency.p50).padStart(7)}  ${ms(result.latency.p99).padStart(7)}  ` +
          `${`${result.errors + result.timeouts} / ${result.non2xx}`.padStart(14)}  ${micros(nodeMicros(m)).padStart(11)}  ${micros(dbMicros(m)).padStart(14)}  ` +
          `${(m.pooled ? `${probe.poolMaxUsed}/${o.pool}` : '—').padStart(13)}  ${pct(probe.elu).padStart(15)}`,
      );
    }
    const [a, b, c, d, e, f] = results as [Measured, Measured, Measured, Measured, Measured, Measured];
    const rate = (m: Measured) => m.result.requests.average;
    const apiRatio = rate(a) / rate(b);
    const pageRatio = rate(d) / rate(e);
    const apiP99Ratio = a.result.latency.p99 / b.result.latency.p99;
    const pageP99Ratio = d.result.latency.p99 / e.result.latency.p99;
    const apiOverhead = nodeMicros(a) - nodeMicros(b);
    const pageOverhead = nodeMicros(d) - nodeMicros(e);
    log();
    log(`app/floor: API ${pct(apiRatio)}, page ${pct(pageRatio)}; p99 API ${ratio(apiP99Ratio)}, page ${ratio(pageP99Ratio)}`);
    log(`app/memory (the Node ceiling, for information): API ${pct(rate(a) / rate(c))}, page ${pct(rate(d) / rate(f))}`);
    log(`app overhead per request = app node CPU µs − floor twin node CPU µs: API ${micros(apiOverhead)}, page ${micros(pageOverhead)}`);
    for (const r of results.filter((m) => m.pooled)) {
      const saturated = r.probe.poolMaxUsed >= o.pool && r.probe.poolMaxPending > 0;
      log(
        `  ${r.label.trim()}: ${saturated ? `the pool was full (${r.probe.poolMaxUsed}/${o.pool}) with up to ${r.probe.poolMaxPending} requests waiting for a connection` : `the pool was not full (max ${r.probe.poolMaxUsed}/${o.pool} in use)`}`,
      );
    }
    // The most a run could serve if the load generator cost nothing: every core busy with nothing
    // but this process and the database, at the CPU per request just measured.
    const cores = os.availableParallelism();
    const ceiling = (m: Measured) => (cores * 1e6) / (nodeMicros(m) + dbMicros(m));
    for (const [appRun, floorRun] of [
      [a, b],
      [d, e],
    ] as const) {
      if (!Number.isFinite(ceiling(appRun)) || !Number.isFinite(ceiling(floorRun))) continue;
      log(
        `  ceiling on ${cores} cores (node + MariaDB µs per request, free load generator): ${appRun.label.trim()} ${int(ceiling(appRun))} req/s, ` +
          `${floorRun.label.trim()} ${int(ceiling(floorRun))} req/s (${pct(ceiling(appRun) / ceiling(floorRun))})`,
      );
    }
    log();

    // ---- plays: POST /api/plays, one transaction per play (PLAYS_FLUSH_MS=0) against plays counted
    // in memory and flushed in batches (PLAYS_FLUSH_MS=1000), each a new app of its own on this database
    const playsMarkdown = await playsRuns(o, targetUrl, genre, dbPid);

    // ---- the burst
    // Live heap = heap used after a full collection (garbage from the runs is not a leak).
    const liveHeap = () => {
      fullGc();
      return process.memoryUsage().heapUsed;
    };
    const rss0 = process.memoryUsage.rss();
    const heap0 = liveHeap();
    log(`Burst: ${o.burstConnections} connections × ${o.burstSeconds} s on (a); RSS before ${mb(rss0)}`);
    const burst = await measure(appBase + api, o.burstConnections, o.burstSeconds, pool, dbPid);
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
    // The same burst on the memory twin: client timeouts that it shows too come from the saturated
    // machine (load generator and kernel), not from the app.
    const memoryBurst = await measure(memoryBase + api, o.burstConnections, o.burstSeconds, undefined, dbPid);
    const mbr = memoryBurst.result;
    log(
      `  the same burst on (c): ${int(mbr.requests.average)} req/s, p99 ${ms(mbr.latency.p99)}, max ${ms(mbr.latency.max)}; ` +
        `errors ${mbr.errors}, timeouts ${mbr.timeouts}`,
    );
    log();

    // ---- verdicts
    log(`${verdict(apiRatio >= TARGET_FLOOR_RATIO)}  app API ≥ ${pct(TARGET_FLOOR_RATIO)} of the floor twin's req/s (${pct(apiRatio)})`);
    log(`${verdict(pageRatio >= TARGET_FLOOR_RATIO)}  app page ≥ ${pct(TARGET_FLOOR_RATIO)} of the floor twin's req/s (${pct(pageRatio)})`);
    log(
      `${verdict(apiP99Ratio <= TARGET_P99_RATIO)}  app API p99 ≤ ${TARGET_P99_RATIO}× the floor twin's (${ms(a.result.latency.p99)} vs ${ms(b.result.latency.p99)}: ${ratio(apiP99Ratio)})`,
    );
    log(
      `${verdict(pageP99Ratio <= TARGET_P99_RATIO)}  app page p99 ≤ ${TARGET_P99_RATIO}× the floor twin's (${ms(d.result.latency.p99)} vs ${ms(e.result.latency.p99)}: ${ratio(pageP99Ratio)})`,
    );
    const totalFailures = results.reduce((n, r) => n + failures(r.result), 0);
    log(`${verdict(totalFailures === 0)}  zero errors / non-2xx in (a)–(f) (${totalFailures})`);
    log(
      `${verdict(br['5xx'] === 0)}  no 5xx in the ${o.burstConnections}-connection burst (${br['5xx']} 5xx; ${br.errors} connection errors, ${br.timeouts} timeouts)`,
    );
    log(
      `${verdict(rss2 <= TARGET_RSS_GROWTH * rss0)}  RSS ${o.settleSeconds} s after the burst within ${TARGET_RSS_GROWTH}× of before (${mb(rss0)} → ${mb(rss2)})`,
    );
    log(`${verdict(apiOverhead < TARGET_API_OVERHEAD_US)}  app overhead per API request < ${TARGET_API_OVERHEAD_US} µs (${micros(apiOverhead)})`);
    log();

    // ---- markdown
    log('Markdown (for README):');
    log();
    log(
      `HTTP load test: ${sizeLabel(o.songs)} songs on ${await serverVersion(db)} (buffer pool ${mb(await bufferPoolSize(db))}), Node ${process.version}, ${os.cpus().length} CPUs shared by app, ` +
        `database and load generator; autocannon, ${o.connections} connections × ${o.seconds} s; NODE_ENV=${o.env}; app and floor twin pools ${o.pool} connections.`,
    );
    log();
    log('| Run | req/s | p50 | p99 | errors / non-2xx | node µs/req | MariaDB µs/req |');
    log('|---|---:|---:|---:|---:|---:|---:|');
    const row = (label: string, m: Measured, extra = '') =>
      log(
        `| ${label} | ${int(rate(m))} | ${ms(m.result.latency.p50)} | ${ms(m.result.latency.p99)} | ${m.result.errors + m.result.timeouts} / ${m.result.non2xx}${extra} | ` +
          `${int(nodeMicros(m))} | ${Number.isFinite(dbMicros(m)) ? int(dbMicros(m)) : 'n/a'} |`,
      );
    for (const r of results) row(r.label.replace(/\s+/g, ' ').trim(), r);
    row(`burst: app API, ${o.burstConnections} connections × ${o.burstSeconds} s`, { label: 'burst', ...burst, pooled: true }, ` (5xx: ${br['5xx']})`);
    row('burst: memory API, the same', { label: 'memory burst', ...memoryBurst, pooled: false }, ` (5xx: ${mbr['5xx']})`);
    log();
    log(
      `app/floor: API **${pct(apiRatio)}**, page **${pct(pageRatio)}** (target ≥ ${pct(TARGET_FLOOR_RATIO)}); p99 app/floor: API ${ratio(apiP99Ratio)}, page ${ratio(pageP99Ratio)} ` +
        `(target ≤ ${TARGET_P99_RATIO}×); app overhead per request: API **${micros(apiOverhead)}** (target < ${TARGET_API_OVERHEAD_US} µs), page ${micros(pageOverhead)}; ` +
        `app/memory (the Node ceiling): API ${pct(rate(a) / rate(c))}, page ${pct(rate(d) / rate(f))}. ` +
        `RSS around the burst: ${mb(rss0)} before, ${mb(rss1)} right after, ${mb(rss2)} ${o.settleSeconds} s later (live heap ${mb(heap0)} → ${mb(heap2)}).`,
    );
    log();
    log(playsMarkdown);
    log();
    log(`Total time ${((performance.now() - started) / 1000).toFixed(0)} s; load average at end ${loadAverage()}`);
  } finally {
    // ---- clean up: the twins (the floor twin ends its pool), then the app (app.close() destroys knex's)
    for (const twin of twins) await twin.close();
    await bufferPool.restore();
    await app.close();
  }
}

/** A full garbage collection, without needing `node --expose-gc` on the command line. */
/**
 * Plays per second at `o.connections` connections: the app answering POST /api/plays with each play
 * its own transaction, then with plays counted in memory and flushed every second; each report
 * from a new address (X-Forwarded-For from a trusted loopback proxy), so the per-IP limit never
 * answers. After each run the plays the rollups gained are compared with the 204s answered.
 */
async function playsRuns(
  o: Options,
  url: string,
  genre: { mood: { id: number; slug: string }; drug: { slug: string } },
  dbPid: number | undefined,
): Promise<string> {
  log();
  log(`Plays: POST /api/plays, ${o.connections} connections × ${o.seconds} s, a new X-Forwarded-For per report`);
  log('run                                   plays/s      p50      p99  errors/non-2xx  node µs/req  MariaDB µs/req  counted / answered');
  const rows: string[] = [];
  const rates: number[] = [];
  for (const [label, flushMs] of [
    ['(g) app plays, a transaction each ', '0'],
    ['(h) app plays, batched every 1 s  ', '1000'],
  ] as const) {
    const config = loadConfig({
      NODE_ENV: o.env,
      DATABASE_URL: url,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: o.logLevel,
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'http://127.0.0.1',
      SEED_DEMO: 'false',
      TRUST_PROXY: 'loopback',
      PLAYS_FLUSH_MS: flushMs,
    });
    const logger = createLogger(o.logLevel, pino.destination({ dest: '/dev/null', sync: true }));
    const db = await createDb(config.database, {
      poolMax: o.pool,
      queryTimeoutMs: config.dbTimeouts.queryMs,
      acquireTimeoutMs: config.dbTimeouts.acquireMs,
      logger,
    });
    const server = await startServer({ config, db, logger, lifecycle: { shuttingDown: false } });
    const [song] = (await db('genre_songs').where('genre_id', genre.mood.id).orderBy('row_id_per_genre').limit(1).pluck('song_id')) as number[];
    const post: Post = { body: JSON.stringify({ songId: Number(song), genre: `${genre.drug.slug}/${genre.mood.slug}` }) };
    const target = `http://127.0.0.1:${server.port}/api/plays`;
    try {
      if (o.warmup > 0) await fire(target, o.connections, o.warmup, post);
    } finally {
      await server.close(); // the warm-up's plays written (and its pool closed): counting starts afresh
    }
    const db2 = await createDb(config.database, {
      poolMax: o.pool,
      queryTimeoutMs: config.dbTimeouts.queryMs,
      acquireTimeoutMs: config.dbTimeouts.acquireMs,
      logger,
    });
    const lifecycle = { shuttingDown: false };
    const measured = await startServer({ config, db: db2, logger, lifecycle });
    const before = await (async () => {
      const c = await createDb(config.database, { poolMax: 1 });
      try {
        return Number(((await c('daily_stats').sum({ n: 'songs_played' })) as { n: unknown }[])[0]?.n ?? 0);
      } finally {
        await c.destroy();
      }
    })();
    let m: Measured;
    try {
      const { result, probe } = await measure(`http://127.0.0.1:${measured.port}/api/plays`, o.connections, o.seconds, undefined, dbPid, post);
      m = { label, result, probe, pooled: false };
    } finally {
      await measured.close(); // SIGTERM's path: the last batch is flushed before the pool closes
    }
    const c = await createDb(config.database, { poolMax: 1 });
    const gained = Number(((await c('daily_stats').sum({ n: 'songs_played' })) as { n: unknown }[])[0]?.n ?? 0) - before;
    await c.destroy();
    // autocannon stops counting at the deadline: requests then in flight (at most one per
    // connection) are answered and counted by the app, not by autocannon.
    const answered = m.result['2xx'];
    const inFlight = gained - answered;
    rates.push(m.result.requests.average);
    log(
      `${label}  ${int(m.result.requests.average).padStart(8)}  ${ms(m.result.latency.p50).padStart(7)}  ${ms(m.result.latency.p99).padStart(7)}  ` +
        `${`${m.result.errors + m.result.timeouts} / ${m.result.non2xx}`.padStart(14)}  ${micros(nodeMicros(m)).padStart(11)}  ${micros(dbMicros(m)).padStart(14)}  ${int(gained)} / ${int(answered)}${inFlight >= 0 && inFlight <= o.connections ? ` (+${inFlight} in flight at the end)` : ' (MISMATCH: plays lost or counted twice)'}`,
    );
    rows.push(
      `| ${label.trim()} | ${int(m.result.requests.average)} | ${ms(m.result.latency.p50)} | ${ms(m.result.latency.p99)} | ${m.result.errors + m.result.timeouts} / ${m.result.non2xx} | ${int(nodeMicros(m))} | ${int(dbMicros(m))} | ${int(gained)} / ${int(answered)} |`,
    );
  }
  const gain = rates[1]! / rates[0]!;
  log(`batched / one transaction each: ${ratio(gain)} (target ≥ 10×: ${gain >= 10 ? 'PASS' : 'FAIL'})`);
  return [
    '| Plays run | plays/s | p50 | p99 | errors / non-2xx | node µs/req | MariaDB µs/req | counted / answered |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Batched / one transaction each: **${ratio(gain)}**.`,
  ].join('\n');
}

/** `--only=plays`: the buffer pool raised as for the full run, then the two plays runs alone. */
async function playsOnly(o: Options, url: string, catalog: { drug: string; mood: string }): Promise<void> {
  const db = await createDb(loadConfig({ DATABASE_URL: url }).database, { poolMax: 1 });
  const bufferPool = await raiseBufferPool(db, o.bufferPool);
  try {
    log(`  server: ${bufferPool.said}`);
    const row = await db('moods as m').join('drugs as d', 'd.id', 'm.drug_id').where({ 'd.slug': catalog.drug, 'm.slug': catalog.mood }).first('m.id');
    log(await playsRuns(o, url, { mood: { id: Number(row.id), slug: catalog.mood }, drug: { slug: catalog.drug } }, await databasePid(db)));
  } finally {
    await bufferPool.restore();
    await db.destroy();
  }
}

function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function autocannonVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('autocannon/package.json') as { version: string }).version;
}

/** Reads the catalog's tables and the engine's index once, so the first run does not pay for pages the later ones find in the pool. */
async function warmCatalog(db: Knex): Promise<string> {
  const t0 = performance.now();
  await db.raw('SELECT COUNT(*), SUM(LENGTH(url)) FROM songs');
  // The draws' index (InnoDB: the primary key, which holds the rows with their copies), and the floor twin's.
  await db.raw('SELECT COUNT(*), SUM(song_id), SUM(LENGTH(url)) FROM genre_songs FORCE INDEX (PRIMARY)');
  await db.raw('SELECT COUNT(*), SUM(row_id_per_genre) FROM genre_songs FORCE INDEX (genre_songs_genre_song_unique)');
  return `read songs and genre_songs into the buffer pool in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
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
