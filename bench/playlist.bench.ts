// The playlist engine's benchmark: `npm run bench` (MySQL/MariaDB when DATABASE_URL says so, SQLite
// otherwise). Loads 10k, 100k and 1M songs over 24 genres (one holding ~25%) through the importer's
// bulk path, and at each size times a 30-song playlist three ways:
//   (a) ORDER BY RAND() on the big genre — what the engine replaces,
//   (b) the engine, exactly as the app runs it (drawGenre by the genre's slugs),
//   (c) a 30-primary-key IN lookup on songs — the floor no random pick can beat,
//   (c') the same lookup as a server-side prepared statement, the way the engine sends its draw —
//        so b/c' compares the database work alone, with both on the same protocol,
// and two listeners' radios beside them: (d) one resumed from its saved cursor, batch after batch,
// (e) that of a logged-in listener who hid 200 songs of the genre (the draw passes over them).
// It never touches the user's data: MySQL gets `<database>_bench` (dropped and recreated), SQLite
// gets data/bench.sqlite (deleted first).
//
// Flags: --sizes=10000,100000,1000000  --runs=2000 (timed runs of b and c)  --seconds=3 (throughput)
//        --batch-size=5000 (runImport's batchSize; the contract is 5000)
import { BIG_SHARE, createGenres, DRUGS, MOODS_PER_DRUG, songRows } from './bench-catalog.js';
import { seededRandom } from '../src/random.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { loadConfig, parseDatabaseUrl, type DatabaseConfig } from '../src/config.js';
import { dialectOf } from '../src/db/dialect.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { createImportRepository } from '../src/import/import.repository.js';
import { runImport } from '../src/import/import.service.js';
import { projectRoot } from '../src/paths.js';
import { checkGenres } from '../src/playlists/check.js';
import { createGenreDirectory } from '../src/catalog/genre.js';
import { createPlaylistRepository } from '../src/playlists/playlist.repository.js';
import { createPlaylistService } from '../src/playlists/playlist.service.js';
import { decodeCursor, type WalkCursor } from '../src/playlists/cursor.js';
import { PRODUCTION_BUFFER_POOL, parseBufferPool, raiseBufferPool } from './buffer-pool.js';
import { describeReads, handlerReads } from './handler-reads.js';
import { dropMysqlDatabase } from '../test/helpers/drop-database.js';
import { onlyStatementOf } from '../test/helpers/statements.js';

// ---------------------------------------------------------------------------------------------
// Settings

const PLAYLIST = 30;
const WARMUP = 50;
const CONCURRENCY = 16;

const TARGET_ENGINE_VS_FLOOR = 2; // b/c at most this, at every size
const TARGET_ENGINE_VS_FLOOR_SMALL = 1.3; // b/c at most this below 1M songs
const TARGET_ENGINE_VS_FLOOR_1M = 1.15; // and this at 1M
const TARGET_ENGINE_VS_RAND = 500; // a/b at least this, at 1M
const TARGET_IMPORT_RATE = 20_000; // songs/s, every load step
const TARGET_RAND_SIZE = 1_000_000;
const TARGET_LISTENER_VS_ENGINE = 1.1; // d/b and e/b at most this, at every size
const HIDDEN_SONGS = 200;

interface Options {
  sizes: number[];
  runs: number;
  seconds: number;
  batchSize: number;
  bufferPool: number | 'keep';
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { sizes: [10_000, 100_000, 1_000_000], runs: 2000, seconds: 3, batchSize: 5000, bufferPool: PRODUCTION_BUFFER_POOL };
  for (const arg of argv) {
    const [flag, value = ''] = arg.split('=', 2) as [string, string?];
    const number = (text: string) => {
      const n = Number(text.replace(/_/g, ''));
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag}: "${text}" is not a positive number`);
      return n;
    };
    if (flag === '--sizes')
      options.sizes = value
        .split(',')
        .filter(Boolean)
        .map((s) => Math.round(number(s)));
    else if (flag === '--runs') options.runs = Math.round(number(value));
    else if (flag === '--seconds') options.seconds = number(value);
    else if (flag === '--batch-size') options.batchSize = Math.round(number(value));
    else if (flag === '--buffer-pool') options.bufferPool = parseBufferPool(value);
    else if (flag === '--help' || flag === '-h') {
      console.log('npm run bench -- [--sizes=10000,100000,1000000] [--runs=2000] [--seconds=3] [--batch-size=5000] [--buffer-pool=1G|keep]');
      process.exit(0);
    } else throw new Error(`unknown flag ${arg} (try --help)`);
  }
  if (options.sizes.length === 0) throw new Error('--sizes needs at least one size');
  for (let i = 1; i < options.sizes.length; i++) {
    if (options.sizes[i]! <= options.sizes[i - 1]!) throw new Error('--sizes must be increasing (each step adds songs)');
  }
  if (options.sizes[0]! < PLAYLIST * DRUGS * MOODS_PER_DRUG) throw new Error('--sizes: the smallest size is too small');
  return options;
}

/** Where the benchmark writes: never the database the app uses. */
function benchDatabase(): DatabaseConfig {
  const config = loadConfig();
  if (config.database.client === 'sqlite') return { client: 'sqlite', filename: path.join(projectRoot, 'data', 'bench.sqlite') };
  const url = new URL(config.database.url);
  url.pathname = `/${config.database.database}_bench`;
  const bench = parseDatabaseUrl(url.toString(), config.dataDir);
  if (bench.client !== 'mysql' || bench.database === config.database.database) throw new Error('could not derive a bench database');
  return bench;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface Stats {
  p50: number;
  p99: number;
  runs: number;
}
function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((x, y) => x - y);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), runs: sorted.length };
}

const ms = (x: number) => (!Number.isFinite(x) ? 'n/a' : x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(3)} ms`);
const ratio = (x: number) => (!Number.isFinite(x) ? 'n/a' : x >= 100 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`);
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const sizeLabel = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const log = (line = '') => console.log(line);
const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Rows of a raw SELECT on either driver (mysql2 answers [rows, fields], better-sqlite3 just rows). */
function rawRows(result: unknown): unknown[] {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as unknown[];
  return Array.isArray(result) ? result : [];
}

// ---------------------------------------------------------------------------------------------
// The catalog

// ---------------------------------------------------------------------------------------------
// Measurements

interface SizeResult {
  size: number;
  bigGenreSize: number;
  imported: number;
  importSeconds: number;
  importRate: number;
  rand: Stats;
  engine: Stats;
  floor: Stats;
  floorPrepared: Stats;
  statement: Stats;
  resumed: Stats;
  hiding: Stats;
  throughput: number;
  throughputRuns: number;
}

const FLOOR_COLUMNS = ['id', 'title', 'artist', 'url', 'duration_seconds'] as const;

async function main(): Promise<void> {
  const started = performance.now();
  const options = parseArgs(process.argv.slice(2));
  const target = benchDatabase();

  if (target.client === 'mysql') await dropMysqlDatabase(target);
  else for (const ext of ['', '-wal', '-shm']) fs.rmSync(target.filename + ext, { force: true });

  const db = await createDb(target, { poolMax: CONCURRENCY });
  const bufferPool = target.client === 'mysql' ? await raiseBufferPool(db, options.bufferPool) : undefined;
  try {
    await run(db, target, options, started, bufferPool?.said);
  } finally {
    await bufferPool?.restore();
    await db.destroy();
  }
}

/** SQL for a random order: the ORDER BY RAND() baseline (a) is the only query that needs it. */
const randomFunction = (db: Knex) => (dialectOf(db).name === 'mysql' ? 'RAND()' : 'RANDOM()');

async function run(db: Knex, target: DatabaseConfig, options: Options, started: number, bufferPool: string | undefined): Promise<void> {
  const dialect = dialectOf(db);
  await migrateLatest(db);
  const version =
    dialect.name === 'mysql'
      ? String((rawRows(await db.raw('SELECT VERSION() AS v'))[0] as { v: string }).v)
      : `SQLite ${String((rawRows(await db.raw('SELECT sqlite_version() AS v'))[0] as { v: string }).v)}`;
  const where = target.client === 'mysql' ? `database ${target.database}` : path.relative(projectRoot, target.filename);

  log(`Stereodose playlist benchmark — ${version} (${where}), Node ${process.version}, ${os.cpus().length} CPUs`);
  log(`  load average at start ${loadAverage()} (other work on this machine skews every number below)`);
  if (dialect.name === 'mysql') {
    const vars = rawRows(await db.raw("SHOW VARIABLES WHERE Variable_name IN ('innodb_flush_log_at_trx_commit')")) as {
      Variable_name: string;
      Value: string;
    }[];
    log(`  server: ${bufferPool}; ${vars.map((v) => `${v.Variable_name}=${v.Value}`).join(', ')}`);
  }
  log(
    `  sizes ${options.sizes.map(sizeLabel).join(' → ')}, ${DRUGS * MOODS_PER_DRUG} genres (one ~${BIG_SHARE * 100}%), ` +
      `${PLAYLIST}-song playlists, ${options.runs} timed runs of (b) and (c), ${CONCURRENCY} connections for ${options.seconds} s, ` +
      `import batches of ${options.batchSize}${options.batchSize === 5000 ? '' : " (not the contract's 5000)"}`,
  );
  if (dialect.name === 'sqlite') log('  note: SQLite runs every query on its one connection, so "16 connections" means 16 callers queued on it');
  log();

  const genres = await createGenres(db);
  const big = genres[0]!;
  const repository = createPlaylistRepository(db);
  const service = createPlaylistService({ repository, directory: createGenreDirectory(db) });
  const random = seededRandom(20261126);
  const pickRandom = Math.random;

  let badPlaylists = 0;
  const badExamples: string[] = [];
  const checkPlaylist = (what: string, ids: number[]) => {
    const distinct = new Set(ids).size;
    if (ids.length === PLAYLIST && distinct === PLAYLIST) return;
    badPlaylists++;
    if (badExamples.length < 5) badExamples.push(`${what}: ${ids.length} songs, ${distinct} distinct`);
  };

  const engineOnce = async () => {
    const drawn = await service.drawGenre(big.drug, big.mood, { limit: PLAYLIST });
    return drawn ? drawn.batch.songs.map((s) => s.id) : [];
  };
  // (d): a radio that goes on from its saved place, batch after batch, as a returning listener's does.
  let radioCursor: WalkCursor | undefined;
  const resumedOnce = async () => {
    const drawn = await service.drawGenre(big.drug, big.mood, { limit: PLAYLIST, cursor: radioCursor });
    radioCursor = drawn ? decodeCursor(drawn.batch.cursor) : undefined;
    return drawn ? drawn.batch.songs.map((s) => s.id) : [];
  };
  // (e): the radio of a listener who hid HIDDEN_SONGS songs of the big genre.
  const [hider] = await db('users').insert({ username: 'bench-hider', username_normalized: 'bench-hider', password_hash: '-' });
  const listener = Number(hider);
  let hiderCursor: WalkCursor | undefined;
  const hidingOnce = async () => {
    const drawn = await service.drawGenre(big.drug, big.mood, { limit: PLAYLIST, listener, cursor: hiderCursor });
    hiderCursor = drawn ? decodeCursor(drawn.batch.cursor) : undefined;
    return drawn ? drawn.batch.songs.map((s) => s.id) : [];
  };
  const randSql =
    `SELECT s.id, s.title, s.artist, s.url, s.duration_seconds FROM genre_songs gs JOIN songs s ON s.id = gs.song_id ` +
    `WHERE gs.genre_id = ? ORDER BY ${randomFunction(db)} LIMIT ${PLAYLIST}`;
  const randOnce = async () => rawRows(await db.raw(randSql, [big.id])).length;

  let songIds: ((i: number) => number) | undefined;
  let total = 0;
  const floorOnce = async () => {
    const ids = new Set<number>();
    while (ids.size < PLAYLIST) ids.add(songIds!(Math.floor(pickRandom() * total)));
    const rows = await db('songs')
      .whereIn('id', [...ids])
      .select(...FLOOR_COLUMNS);
    return rows.length;
  };
  // (b'): the engine's draw statement alone, as the repository sends it (33 numbers: 30 and 3
  // drawn ahead), without the planning around it — b'/c' is the database's share of b/c'.
  let statementSize = 0;
  const statementOnce = async () => {
    const numbers = new Set<number>();
    while (numbers.size < PLAYLIST + 3) numbers.add(1 + Math.floor(pickRandom() * statementSize));
    return (await repository.draw(big.id, [...numbers]))?.songs.size ?? 0;
  };
  const floorPreparedSql = `SELECT ${FLOOR_COLUMNS.join(', ')} FROM songs WHERE id IN (${Array(PLAYLIST).fill('?').join(', ')})`;
  const floorPreparedOnce = async () => {
    const ids = new Set<number>();
    while (ids.size < PLAYLIST) ids.add(songIds!(Math.floor(pickRandom() * total)));
    return (await dialect.selectPrepared(db, floorPreparedSql, [...ids])).length;
  };

  const results: SizeResult[] = [];
  for (const size of options.sizes) {
    // ---- load
    const from = total + 1;
    const t0 = performance.now();
    const report = await runImport(createImportRepository(db), songRows(genres, from, size, random), { batchSize: options.batchSize });
    const importSeconds = (performance.now() - t0) / 1000;
    const added = size - total;
    if (report.rejected || report.newSongs !== added || report.imported !== added) {
      throw new Error(`import went wrong: ${JSON.stringify({ ...report, rejections: report.rejections.slice(0, 3) })}`);
    }
    total = size;

    const problems = await checkGenres(db);
    if (problems.length) throw new Error(`engine invariant broken after the load: ${JSON.stringify(problems.slice(0, 3))}`);
    const idRange = (await db('songs').first(db.raw('COUNT(*) AS n, MIN(id) AS low, MAX(id) AS high'))) as Record<string, unknown>;
    if (Number(idRange.n) !== total) throw new Error(`expected ${total} songs, found ${String(idRange.n)}`);
    if (Number(idRange.low) === 1 && Number(idRange.high) === total) {
      songIds = (i) => i + 1;
    } else {
      const all = Int32Array.from((await db('songs').pluck('id')) as number[]);
      songIds = (i) => all[i]!;
      log(`  (song ids are not 1..${total} but ${String(idRange.low)}..${String(idRange.high)}: the floor draws from the real ids)`);
    }
    const bigGenreSize = await repository.genreSize(big.id);
    statementSize = bigGenreSize;
    // The hider's songs: HIDDEN_SONGS of the big genre, spread over its numbers, new ones at each size.
    const step = Math.max(1, Math.floor(bigGenreSize / HIDDEN_SONGS));
    const hiddenRows = Array.from({ length: HIDDEN_SONGS }, (_, i) => 1 + ((i * step + results.length) % bigGenreSize));
    const toHide = await db('genre_songs').where('genre_id', big.id).whereIn('row_id_per_genre', hiddenRows).pluck('song_id');
    await db('hidden_songs').where('user_id', listener).del();
    await db('hidden_songs').insert(toHide.map((songId: number) => ({ user_id: listener, genre_id: big.id, song_id: songId })));
    log(
      `${sizeLabel(size)} songs: imported ${int(added)} in ${importSeconds.toFixed(1)} s = ${int(added / importSeconds)} songs/s; ` +
        `big genre N = ${int(bigGenreSize)} (${((100 * bigGenreSize) / total).toFixed(1)}%)`,
    );

    // ---- (a) ORDER BY RAND() on the big genre: slow, so fewer runs on big catalogs (never < 10)
    const randRuns = Math.max(10, Math.min(200, Math.round(4_000_000 / size)));
    const randWarmup = Math.max(2, Math.min(WARMUP, Math.round(randRuns / 4)));
    for (let i = 0; i < randWarmup; i++) await randOnce();
    const randSamples: number[] = [];
    for (let i = 0; i < randRuns; i++) {
      const s = performance.now();
      const n = await randOnce();
      randSamples.push(performance.now() - s);
      if (n !== PLAYLIST) throw new Error(`ORDER BY RAND() returned ${n} rows`);
    }
    const rand = stats(randSamples);
    log(`  (a) ORDER BY ${randomFunction(db)}  p50 ${ms(rand.p50)}  p99 ${ms(rand.p99)}  (${randRuns} runs)`);

    // ---- (b) the engine and (c) the floor, alternating (b,c then c,b) so both see the same conditions
    for (let i = 0; i < WARMUP; i++) {
      checkPlaylist('warm-up', await engineOnce());
      await floorOnce();
      await floorPreparedOnce();
      await statementOnce();
      checkPlaylist('warm-up resumed', await resumedOnce());
      checkPlaylist('warm-up hiding', await hidingOnce());
    }
    const engineSamples: number[] = [];
    const floorSamples: number[] = [];
    const floorPreparedSamples: number[] = [];
    const statementSamples: number[] = [];
    const resumedSamples: number[] = [];
    const hidingSamples: number[] = [];
    // Statements each listener's draw costs, counted from knex's query events while it runs.
    const statements = { resumed: 0, hiding: 0 };
    let counting: keyof typeof statements | undefined;
    const countStatement = () => {
      if (counting) statements[counting] += 1;
    };
    db.on('query', countStatement);
    const timeListener = async (samples: number[], once: () => Promise<number[]>, what: keyof typeof statements) => {
      const s = performance.now();
      counting = what;
      const ids = await once();
      counting = undefined;
      samples.push(performance.now() - s);
      checkPlaylist(`${sizeLabel(size)} ${what}`, ids);
    };
    const timeEngine = async () => {
      const s = performance.now();
      const ids = await engineOnce();
      engineSamples.push(performance.now() - s);
      checkPlaylist(`${sizeLabel(size)} run`, ids);
    };
    const timeFloor = (samples: number[], once: () => Promise<number>) => async () => {
      const s = performance.now();
      const n = await once();
      samples.push(performance.now() - s);
      if (n !== PLAYLIST) throw new Error(`the floor lookup returned ${n} rows`);
    };
    // Each run times all four in a rotating order, so none always goes first after the others.
    const timers = [
      timeEngine,
      timeFloor(floorSamples, floorOnce),
      timeFloor(floorPreparedSamples, floorPreparedOnce),
      async () => {
        const t0 = performance.now();
        const n = await statementOnce();
        statementSamples.push(performance.now() - t0);
        if (n !== PLAYLIST + 3) throw new Error(`the draw statement found ${n} songs, not ${PLAYLIST + 3}`);
      },
      () => timeListener(resumedSamples, resumedOnce, 'resumed'),
      () => timeListener(hidingSamples, hidingOnce, 'hiding'),
    ];
    for (let i = 0; i < options.runs; i++) {
      for (let k = 0; k < timers.length; k++) await timers[(i + k) % timers.length]!();
    }
    db.off('query', countStatement);
    const engine = stats(engineSamples);
    const floor = stats(floorSamples);
    const floorPrepared = stats(floorPreparedSamples);
    const statement = stats(statementSamples);
    const resumed = stats(resumedSamples);
    const hiding = stats(hidingSamples);
    const perDraw = (n: number) => (n / options.runs).toFixed(2);
    log(`  (b) engine          p50 ${ms(engine.p50)}  p99 ${ms(engine.p99)}  (${engine.runs} runs)`);
    log(`  (c) 30-id IN floor  p50 ${ms(floor.p50)}  p99 ${ms(floor.p99)}  (${floor.runs} runs)`);
    log(`  (c') prepared floor p50 ${ms(floorPrepared.p50)}  p99 ${ms(floorPrepared.p99)}  b/c' ${ratio(engine.p50 / floorPrepared.p50)}`);
    log(
      `  (b') draw statement p50 ${ms(statement.p50)}  p99 ${ms(statement.p99)}  b'/c' ${ratio(statement.p50 / floorPrepared.p50)} (the engine's statement alone: b − b' is its planning in JavaScript)`,
    );
    if (dialect.name === 'mysql') {
      // Where the engine's extra time goes, in storage-engine calls: one draw's statement (33
      // numbers, sent by the repository as it sends every draw) against one floor lookup (30 ids).
      const numbers = new Set<number>();
      while (numbers.size < PLAYLIST + 3) numbers.add(1 + Math.floor(pickRandom() * bigGenreSize));
      const draw = await onlyStatementOf(db, () => repository.draw(big.id, [...numbers]));
      const ids = new Set<number>();
      while (ids.size < PLAYLIST) ids.add(songIds!(Math.floor(pickRandom() * total)));
      log(
        `  handler reads: one draw ${describeReads(await handlerReads(db, draw.sql, draw.bindings as number[]))}; ` +
          `one floor lookup ${describeReads(await handlerReads(db, floorPreparedSql, [...ids]))}`,
      );
    }
    log(
      `  (d) resumed radio   p50 ${ms(resumed.p50)}  p99 ${ms(resumed.p99)}  d/b ${ratio(resumed.p50 / engine.p50)}  ${perDraw(statements.resumed)} statements/draw`,
    );
    log(
      `  (e) ${HIDDEN_SONGS} hidden songs p50 ${ms(hiding.p50)}  p99 ${ms(hiding.p99)}  e/b ${ratio(hiding.p50 / engine.p50)}  ` +
        `${perDraw(statements.hiding)} statements/draw (hidden: ${((100 * HIDDEN_SONGS) / bigGenreSize).toFixed(1)}% of the genre)`,
    );

    // ---- throughput: 16 loops on the engine path for a fixed time
    let done = 0;
    const t1 = performance.now();
    const until = t1 + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          checkPlaylist(`${sizeLabel(size)} concurrent`, await engineOnce());
          done++;
        }
      }),
    );
    const throughput = done / ((performance.now() - t1) / 1000);
    log(
      `  a/b ${ratio(rand.p50 / engine.p50)}   b/c ${ratio(engine.p50 / floor.p50)}   ` +
        `engine at ${CONCURRENCY} connections: ${int(throughput)} playlists/s (${int(done)} in ${options.seconds} s)`,
    );
    log();

    results.push({
      size,
      bigGenreSize,
      imported: added,
      importSeconds,
      importRate: added / importSeconds,
      rand,
      engine,
      floor,
      floorPrepared,
      statement,
      resumed,
      hiding,
      throughput,
      throughputRuns: done,
    });
  }

  // ---- summary
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const growth = last.engine.p50 / first.engine.p50;
  log('Summary');
  for (const r of results) {
    log(
      `  ${sizeLabel(r.size).padStart(5)}: a ${ms(r.rand.p50)} / ${ms(r.rand.p99)}, b ${ms(r.engine.p50)} / ${ms(r.engine.p99)}, ` +
        `c ${ms(r.floor.p50)} / ${ms(r.floor.p99)} (p50 / p99); a/b ${ratio(r.rand.p50 / r.engine.p50)}, ` +
        `b/c ${ratio(r.engine.p50 / r.floor.p50)}; ${int(r.throughput)} playlists/s; import ${int(r.importRate)} songs/s`,
    );
  }
  log(`  engine growth ${sizeLabel(first.size)} → ${sizeLabel(last.size)} (p50 ratio): ${ratio(growth)}`);
  log(`  playlists that were not ${PLAYLIST} distinct songs: ${badPlaylists}${badExamples.length ? ` — ${badExamples.join('; ')}` : ''}`);
  log();

  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const floorOk = results.every((r) => r.engine.p50 <= TARGET_ENGINE_VS_FLOOR * r.floor.p50);
  log(
    `${verdict(floorOk)}  engine within ${TARGET_ENGINE_VS_FLOOR}× of the floor at every size (p50 b/c: ` +
      `${results.map((r) => `${sizeLabel(r.size)} ${ratio(r.engine.p50 / r.floor.p50)}`).join(', ')})`,
  );
  const closeTarget = (r: SizeResult) => (r.size >= TARGET_RAND_SIZE ? TARGET_ENGINE_VS_FLOOR_1M : TARGET_ENGINE_VS_FLOOR_SMALL);
  const closeOk = results.every((r) => r.engine.p50 <= closeTarget(r) * r.floor.p50);
  log(
    `${verdict(closeOk)}  engine within ${TARGET_ENGINE_VS_FLOOR_SMALL}× of the floor below 1M and ${TARGET_ENGINE_VS_FLOOR_1M}× at 1M (p50 b/c: ` +
      `${results.map((r) => `${sizeLabel(r.size)} ${ratio(r.engine.p50 / r.floor.p50)} of ${ratio(closeTarget(r))}`).join(', ')}; ` +
      `against the prepared floor, b/c': ${results.map((r) => `${sizeLabel(r.size)} ${ratio(r.engine.p50 / r.floorPrepared.p50)}`).join(', ')})`,
  );
  const at1M = results.find((r) => r.size === TARGET_RAND_SIZE);
  if (at1M) {
    const x = at1M.rand.p50 / at1M.engine.p50;
    log(`${verdict(x >= TARGET_ENGINE_VS_RAND)}  engine ≥ ${TARGET_ENGINE_VS_RAND}× faster than ORDER BY RAND() on the big genre at 1M (p50 a/b: ${ratio(x)})`);
  } else {
    log(
      `SKIP  engine ≥ ${TARGET_ENGINE_VS_RAND}× faster than ORDER BY RAND() at 1M — 1M not in --sizes (largest a/b: ${ratio(last.rand.p50 / last.engine.p50)})`,
    );
  }
  const importOk = results.every((r) => r.importRate >= TARGET_IMPORT_RATE);
  log(
    `${verdict(importOk)}  import ≥ ${int(TARGET_IMPORT_RATE)} songs/s at every load step (` +
      `${results.map((r) => `+${sizeLabel(r.imported)} ${int(r.importRate)}`).join(', ')})`,
  );
  for (const [label, key] of [
    ['a resumed radio (d)', 'resumed'],
    [`a listener with ${HIDDEN_SONGS} hidden songs (e)`, 'hiding'],
  ] as const) {
    const ok = results.every((r) => r[key].p50 <= TARGET_LISTENER_VS_ENGINE * r.engine.p50);
    log(
      `${verdict(ok)}  ${label} within ${TARGET_LISTENER_VS_ENGINE}× of the engine at every size (p50: ` +
        `${results.map((r) => `${sizeLabel(r.size)} ${ratio(r[key].p50 / r.engine.p50)}`).join(', ')})`,
    );
  }
  log(`${verdict(badPlaylists === 0)}  every engine playlist held ${PLAYLIST} distinct songs (${badPlaylists} did not)`);
  log();

  // ---- markdown for the README
  const rss = process.memoryUsage().rss;
  const peak = process.resourceUsage().maxRSS * 1024;
  const seconds = (performance.now() - started) / 1000;
  log('Markdown (for README):');
  log();
  log(
    `Benchmark: ${version}, Node ${process.version}, ${os.cpus().length} CPUs; ${PLAYLIST}-song playlists; big genre ≈ ${BIG_SHARE * 100}% of songs; p50 / p99.`,
  );
  log();
  log(
    `| Songs | Big genre N | Import (songs/s) | (a) ORDER BY RAND() | (b) engine | (c) 30-id floor | (c') prepared floor | (b') draw statement | a/b | b/c | b/c' | b'/c' | d/b | e/b | Engine @${CONCURRENCY} conns (playlists/s) |`,
  );
  log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    log(
      `| ${sizeLabel(r.size)} | ${int(r.bigGenreSize)} | ${int(r.importRate)} | ${ms(r.rand.p50)} / ${ms(r.rand.p99)} | ` +
        `${ms(r.engine.p50)} / ${ms(r.engine.p99)} | ${ms(r.floor.p50)} / ${ms(r.floor.p99)} | ${ms(r.floorPrepared.p50)} / ${ms(r.floorPrepared.p99)} | ` +
        `${ms(r.statement.p50)} / ${ms(r.statement.p99)} | ` +
        `${ratio(r.rand.p50 / r.engine.p50)} | ${ratio(r.engine.p50 / r.floor.p50)} | ${ratio(r.engine.p50 / r.floorPrepared.p50)} | ${ratio(r.statement.p50 / r.floorPrepared.p50)} | ${ratio(r.resumed.p50 / r.engine.p50)} | ` +
        `${ratio(r.hiding.p50 / r.engine.p50)} | ${int(r.throughput)} |`,
    );
  }
  log();
  log(`Engine growth ${sizeLabel(first.size)} → ${sizeLabel(last.size)} (p50): ${ratio(growth)}.`);
  log();
  log(`RSS ${mb(rss)} (peak ${mb(peak)}); total bench time ${seconds.toFixed(1)} s; load average at end ${loadAverage()}`);
}

/** Errors can carry a whole multi-row INSERT (hundreds of kB): show its start and the stack. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const message =
    err.message.length > 600 ? `${err.message.slice(0, 300)} … [${err.message.length - 600} characters] … ${err.message.slice(-300)}` : err.message;
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8);
  return [`${err.name}: ${message}`, ...frames].join('\n');
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${describeError(err)}`);
  process.exitCode = 1;
});
