// The ONLY place in the app that asks "which database is this?". Everything the running app needs
// to do differently on MySQL and SQLite is a method here, chosen once per knex instance. What only
// tests or the benchmark need lives beside them (test/helpers/dialect.ts, bench/).
import type { Knex } from 'knex';
import { RateLimiterMySQL, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimitOptions {
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
  /** Periodically delete expired rows (off in tests, so no timer outlives a test file). */
  clearExpired: boolean;
}

/** The ids of the `rowCount` rows one INSERT added, from knex's insert() result. */
export type InsertedIds = (result: readonly unknown[], rowCount: number) => number[];

export interface Dialect {
  readonly name: 'mysql' | 'sqlite';
  /**
   * Serialize writers of these genres for the rest of the transaction. MySQL: row locks on the
   * summary rows (in id order, so two writers never wait on each other in a cycle). SQLite: a
   * no-op write, which takes the database's single writer lock now instead of at the first real
   * write — so a read-then-write transaction never fails with SQLITE_BUSY half-way.
   * Returns each genre's current song count (N), read under the lock.
   */
  lockGenres(trx: Knex.Transaction, genreIds: readonly number[]): Promise<Map<number, number>>;
  /** A read that sees the latest committed rows and holds them until commit (SELECT … FOR UPDATE). */
  lockingRead<T extends Knex.QueryBuilder>(query: T): T;
  /**
   * Deadlocks, lock wait timeouts, a busy database: worth running the transaction again. On a
   * Galera cluster a certification conflict (another node committed a clashing write first) comes
   * back as a deadlock too, so the same retry covers it — and only writeTransaction retries, whose
   * work is written to be run again from the start.
   */
  isRetryable(err: unknown): boolean;
  isUniqueViolation(err: unknown): boolean;
  /**
   * How to read the ids a multi-row INSERT into an auto-increment table gave its rows (in row
   * order) from what knex's insert() returned — when the database guarantees they are
   * consecutive; otherwise undefined, and the caller looks them up. A server setting decides, so
   * ask once per job (an import), not per statement.
   */
  insertedIdsReader(db: Knex): Promise<InsertedIds | undefined>;
  /** Rows per multi-row INSERT: SQLite compiles one with ON CONFLICT into a compound SELECT of at most 500 terms. */
  readonly maxRowsPerInsert: number;
  /** A rate limiter whose counters live in the `rate_limits` table, shared by every app process. */
  createRateLimiter(db: Knex, options: RateLimitOptions): RateLimiterAbstract;
  /**
   * The rows of one SELECT given as SQL text with `?` placeholders, for the hottest statement.
   * MySQL: a server-side prepared statement on a connection knex's pool lends (mysql2's execute,
   * which prepares each text once per connection and keeps it): the server parses it once, rows
   * come back in the binary protocol, and no query builder runs per call. SQLite: knex's raw.
   * Either way it shows in knex's 'query' events, as every other statement does.
   */
  selectPrepared(db: Knex, sql: string, bindings: readonly (number | string)[]): Promise<Record<string, unknown>[]>;
  /**
   * `table as alias`, read through this index only (MySQL FORCE INDEX, SQLite INDEXED BY): for a
   * hot statement whose plan is known, so the optimizer does not weigh the table's other indexes
   * on every run.
   */
  tableByIndex(db: Knex, table: string, alias: string, index: string): Knex.Raw;
  /**
   * The index a draw reads genre_songs through: on MySQL the primary key, by which InnoDB clusters
   * the rows (every column a draw returns in one descent); on SQLite the unique index.
   */
  readonly drawIndex: string;
  /**
   * Migration: makes (genre_id, row_id_per_genre) genre_songs' primary key (InnoDB clusters rows
   * by it) and (genre_id, song_id) a unique index — or, with `forward` false, back again. SQLite:
   * nothing (a rowid table is not clustered by its key).
   */
  clusterMembershipsByNumber(knex: Knex, forward: boolean): Promise<void>;
  /** In a multi-row upsert's merge: the value the row would have inserted (MySQL VALUES(c), SQLite excluded.c). */
  insertedValue(db: Knex, column: string): Knex.Raw;
  /**
   * Which server answers on this pool, and whether it may serve: on a Galera node, only while it
   * is Synced in the primary component (a joining, donating or cut-off node refuses queries or
   * serves stale rows). One statement; throws when the server does not answer.
   */
  nodeStatus(db: Knex): Promise<NodeStatus>;
}

export interface NodeStatus {
  /** The node's name: wsrep_node_name on Galera, host:port otherwise, `sqlite` for SQLite. */
  node: string;
  /** May this node serve (always true outside Galera)? */
  ready: boolean;
  /** Galera's view of the node, when it is one. */
  galera?: { state: string; clusterSize: number; primary: boolean };
}

interface ShowRow {
  Variable_name: string;
  Value: string;
}

interface DbError {
  code?: string;
  errno?: number;
}
const asDbError = (err: unknown): DbError => (typeof err === 'object' && err !== null ? (err as DbError) : {});

/** mysql2's callback-style connection, as knex's pool lends it. */
interface PreparingConnection {
  execute(sql: string, values: readonly (number | string)[], callback: (err: Error | null, rows: Record<string, unknown>[]) => void): void;
}

interface CountRow {
  genre_id: number;
  song_count: number;
}
const toCountMap = (rows: CountRow[]) => new Map(rows.map((r) => [Number(r.genre_id), Number(r.song_count)]));

const mysqlDialect: Dialect = {
  name: 'mysql',
  async lockGenres(trx, genreIds) {
    const rows: CountRow[] = await trx('genre_counts')
      .select('genre_id', 'song_count')
      .whereIn('genre_id', [...genreIds])
      .orderBy('genre_id')
      .forUpdate();
    return toCountMap(rows);
  },
  lockingRead: (query) => query.forUpdate() as typeof query,
  isRetryable(err) {
    const { errno } = asDbError(err);
    return errno === 1213 /* ER_LOCK_DEADLOCK */ || errno === 1205; /* ER_LOCK_WAIT_TIMEOUT */
  },
  isUniqueViolation(err) {
    return asDbError(err).errno === 1062; // ER_DUP_ENTRY
  },
  async insertedIdsReader(db) {
    // knex answers the first id of the statement. InnoDB hands a multi-row INSERT consecutive
    // ids (one step apart) in the "traditional" and "consecutive" lock modes (0, 1: MariaDB's
    // default); in "interleaved" mode (2: MySQL 8's default) they may interleave with another
    // statement's, so the caller must look them up.
    const [[settings]] = (await db.raw('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step')) as [
      { mode: number | string; step: number | string }[],
    ];
    if (!settings || Number(settings.mode) > 1) return undefined;
    const step = Number(settings.step);
    return (result, rowCount) => Array.from({ length: rowCount }, (_, k) => Number(result[0]) + k * step);
  },
  maxRowsPerInsert: 2000,
  tableByIndex: (db, table, alias, index) => db.raw('?? as ?? FORCE INDEX (??)', [table, alias, index]),
  insertedValue: (db, column) => db.raw('VALUES(??)', [column]),
  drawIndex: 'PRIMARY',
  async clusterMembershipsByNumber(knex, forward) {
    await knex.raw(
      forward
        ? 'ALTER TABLE genre_songs DROP PRIMARY KEY, ADD PRIMARY KEY (genre_id, row_id_per_genre), DROP INDEX genre_songs_genre_row_unique, ADD UNIQUE INDEX genre_songs_genre_song_unique (genre_id, song_id)'
        : 'ALTER TABLE genre_songs DROP PRIMARY KEY, ADD PRIMARY KEY (genre_id, song_id), DROP INDEX genre_songs_genre_song_unique, ADD UNIQUE INDEX genre_songs_genre_row_unique (genre_id, row_id_per_genre)',
    );
  },
  async nodeStatus(db) {
    // SHOW works on MySQL and MariaDB alike: outside Galera it lists no wsrep variables.
    const [[[server]], [statusRows], [nameRows]] = (await Promise.all([
      db.raw('SELECT @@hostname AS host, @@port AS port'),
      db.raw("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_ready')"),
      db.raw("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_node_name')"),
    ])) as [[{ host: string; port: number }[]], [ShowRow[]], [ShowRow[]]];
    const status = Object.fromEntries(statusRows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
    const names = Object.fromEntries(nameRows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
    const plain = `${server!.host}:${server!.port}`;
    if (names.wsrep_on !== 'ON') return { node: plain, ready: true };
    const state = status.wsrep_local_state_comment ?? 'unknown';
    const primary = status.wsrep_cluster_status === 'Primary';
    return {
      node: names.wsrep_node_name || plain,
      ready: state === 'Synced' && primary && status.wsrep_ready === 'ON',
      galera: { state, clusterSize: Number(status.wsrep_cluster_size ?? 0), primary },
    };
  },
  async selectPrepared(db, sql, bindings) {
    // One client for the acquire and the release: a read replica's handle may change databases between two reads of db.client.
    const { client } = db;
    const connection = (await client.acquireConnection()) as PreparingConnection;
    try {
      if (db.listenerCount('query') > 0) db.emit('query', { sql, bindings, method: 'select', prepared: true });
      return await new Promise((resolve, reject) => {
        connection.execute(sql, bindings, (err, rows) => (err ? reject(err) : resolve(rows)));
      });
    } finally {
      await client.releaseConnection(connection);
    }
  },
  createRateLimiter(db, { clearExpired, ...options }) {
    const dbName = (db.client.config.connection as { database: string }).database;
    return new RateLimiterMySQL(
      { ...options, storeClient: db, storeType: 'knex', dbName, tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: clearExpired },
      () => {},
    );
  },
};

const sqliteDialect: Dialect = {
  name: 'sqlite',
  async lockGenres(trx, genreIds) {
    await trx('genre_counts')
      .whereIn('genre_id', [...genreIds])
      .update({ song_count: trx.ref('song_count') });
    const rows: CountRow[] = await trx('genre_counts')
      .select('genre_id', 'song_count')
      .whereIn('genre_id', [...genreIds]);
    return toCountMap(rows);
  },
  // knex compiles forUpdate() to nothing on SQLite (with a warning); the writer lock already covers it.
  lockingRead: (query) => query,
  isRetryable(err) {
    const { code } = asDbError(err);
    return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
  },
  isUniqueViolation(err) {
    const { code } = asDbError(err);
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  async insertedIdsReader() {
    // knex answers the last rowid. The writer lock is ours for the whole transaction and rowids
    // count up from the largest one, so the statement's rows hold the rowCount ids ending there.
    return (result, rowCount) => Array.from({ length: rowCount }, (_, k) => Number(result[0]) - rowCount + 1 + k);
  },
  maxRowsPerInsert: 500,
  tableByIndex: (db, table, alias, index) => db.raw('?? as ?? INDEXED BY ??', [table, alias, index]),
  insertedValue: (db, column) => db.raw('excluded.??', [column]),
  drawIndex: 'genre_songs_genre_row_unique',
  async clusterMembershipsByNumber() {},
  async nodeStatus(db) {
    await db.raw('select 1');
    return { node: 'sqlite', ready: true };
  },
  selectPrepared: (db, sql, bindings) => db.raw(sql, [...bindings]) as unknown as Promise<Record<string, unknown>[]>,
  createRateLimiter(db, { clearExpired, ...options }) {
    return new RateLimiterSQLite(
      { ...options, storeClient: db, storeType: 'knex', tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: clearExpired },
      () => {},
    );
  },
};

export function dialectOf(db: Knex): Dialect {
  const client = db.client.config.client as string;
  return client === 'mysql2' || client === 'mysql' ? mysqlDialect : sqliteDialect;
}

/** Network failures and server states that mean "the database cannot answer now", not "this request is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR', // 1040 too many connections
  'ER_TOO_MANY_USER_CONNECTIONS', // 1203
  'ER_SERVER_SHUTDOWN', // 1053
  'QUERY_TIMEOUT', // db/mysql-deadline.ts: the query deadline passed (the server is frozen or overloaded)
]);
// 1047: a Galera node that is not (yet) in the primary component or still catching up refuses
// every query with ER_UNKNOWN_COM_ERROR ("WSREP has not yet prepared node for application use").
const UNAVAILABLE_ERRNOS = new Set([1040, 1047, 1053, 1203]);

/**
 * True when a query failed because the database is unreachable, frozen, overloaded or shutting
 * down — worth a 503 and a retry later. Both dialects' errors are known here, so the error handler
 * asks once without knowing which database it runs on.
 */
export function isUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as DbError & { name?: string; fatal?: boolean; message?: unknown; cause?: unknown };
  if (e.name === 'KnexTimeoutError') return true; // no pooled connection in time (or a knex .timeout())
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('SQLITE_BUSY'))) return true;
  if (e.errno !== undefined && UNAVAILABLE_ERRNOS.has(e.errno)) return true;
  // mysql2 marks errors that broke the connection itself (e.g. a command sent on a closed one).
  if (e.fatal === true) return true;
  // knex, once destroyed (the process is shutting down), has no pool and no error code.
  if (e.message === 'Unable to acquire a connection') return true;
  return isUnavailable(e.cause, depth + 1);
}
