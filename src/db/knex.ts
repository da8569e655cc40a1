// Builds the knex instance for either dialect; per-connection setup lives here and nowhere else.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../config.js';
import type { Logger } from '../logger.js';

export type Db = Knex;

export interface DbOptions {
  /** Largest number of pooled connections (MySQL only; SQLite always uses one writer connection). */
  poolMax?: number;
  /**
   * MySQL: create the database when it is missing (default). Off for a read replica: a read-only
   * server refuses CREATE DATABASE, and the database must arrive there through replication.
   */
  createDatabase?: boolean;
  /**
   * MySQL: a client-side deadline for every query, after which its connection is destroyed and the
   * query fails with QueryTimeoutError. Unset: no deadline (migrations, imports and other CLIs).
   */
  queryTimeoutMs?: number;
  /** MySQL: how long to wait for a pooled connection, and for a new one to connect. */
  acquireTimeoutMs?: number;
  /** Where knex's own warnings go (a dropped connection, a failed acquire); unset: the console. */
  logger?: Logger;
}

export async function createDb(config: DatabaseConfig, options: DbOptions = {}): Promise<Db> {
  if (config.client === 'sqlite') return createSqlite(config.filename);
  if (options.createDatabase !== false) await createMysqlDatabaseIfMissing(config);
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 10_000;
  return knexFactory({
    client: options.queryTimeoutMs ? mysqlClientWithDeadline(options.queryTimeoutMs) : 'mysql2',
    // connectTimeout: a frozen server accepts the TCP connection (the kernel does) but never greets.
    connection: { ...mysqlConnection(config.url), database: config.database, connectTimeout: acquireTimeoutMs },
    // propagateCreateError (knex's default, kept on purpose): while the server refuses connections,
    // a waiting request fails at once with ECONNREFUSED (→ 503) instead of waiting out the timeout.
    pool: { min: 0, max: options.poolMax ?? 10, propagateCreateError: true },
    acquireConnectionTimeout: acquireTimeoutMs,
    ...(options.logger && { log: knexLog(options.logger) }),
  });
}

function knexLog(logger: Logger): Knex.Logger {
  const line = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message));
  return {
    warn: (message) => logger.warn({ component: 'knex' }, line(message)),
    error: (message) => logger.error({ component: 'knex' }, line(message)),
    deprecate: (method, alternative) => logger.warn({ component: 'knex' }, `${method} is deprecated; use ${alternative}`),
    debug: (message) => logger.debug({ component: 'knex' }, line(message)),
  };
}

/**
 * A query outlived DB_QUERY_TIMEOUT_MS. Not a KnexTimeoutError on purpose: knex's runner takes
 * those for its own `.timeout()` and rewrites their message ("timeout of undefinedms").
 */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
  readonly code = 'QUERY_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`Query timed out after ${timeoutMs} ms; its connection was closed`);
  }
}

/** The bits of a mysql2 connection the deadline touches. */
interface MysqlConnection {
  destroy(): void;
  stream?: { destroy(): void };
  /** knex's own mark for a broken connection: its pool validates it away instead of reusing it. */
  __knex__disposed?: unknown;
}
interface MysqlClient {
  _query(connection: MysqlConnection, query: unknown): Promise<unknown>;
}

/**
 * knex's mysql2 client with a deadline on `_query`, the one method through which every query runs —
 * builder, raw, and transaction statements (BEGIN, COMMIT, ROLLBACK) alike, with the connection in
 * hand. Why there and not elsewhere:
 * - a frozen server (SIGSTOPped, or a dead network path) keeps the TCP connection open and never
 *   answers, so only a client-side timer ends the wait; nothing server-side (max_statement_time)
 *   can, and mysql2's own `timeout` option fails the query but leaves the connection busy, so the
 *   pool would hand it out again to hang the next query;
 * - knex's `.timeout(ms, { cancel: true })` would have to be added to every query, and its cancel
 *   opens another connection to send KILL QUERY — which hangs too against a frozen server;
 * - patching `db.client._query` on the instance misses transactions: knex builds each
 *   transaction's client from the class prototype. A subclass, passed as knex's `client`, does not.
 * On expiry the connection is marked disposed (the pool drops it) and its socket destroyed: a
 * frozen server would never answer a polite COM_QUIT. A healthy-but-slow server may still finish
 * the statement; an open transaction is rolled back when it sees the socket close (a COMMIT that
 * timed out has an unknown outcome, as with any connection lost mid-commit).
 * SQLite needs no timer: better-sqlite3 is synchronous, and busy_timeout bounds its only wait.
 */
function mysqlClientWithDeadline(timeoutMs: number): typeof Knex.Client {
  // knex's own dialect class; the package has no `exports` map, and this path is stable since 0.95.
  const require = createRequire(import.meta.url);
  const MySql2Client = require('knex/lib/dialects/mysql2/index.js') as new (config: Knex.Config) => MysqlClient;

  class MySql2ClientWithDeadline extends MySql2Client {
    constructor(config: Knex.Config) {
      super({ ...config, client: 'mysql2' }); // dialectOf() recognises the client by this name
    }
    override _query(connection: MysqlConnection, query: unknown): Promise<unknown> {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          // A separate error for the mark: knex prefixes the rejected error's message with the SQL
          // and its bindings, and the pool logs the mark when it drops the connection.
          connection.__knex__disposed = new Error(`query deadline of ${timeoutMs} ms passed`);
          connection.destroy();
          connection.stream?.destroy();
          reject(new QueryTimeoutError(timeoutMs));
        }, timeoutMs);
      });
      // The abandoned query promise never settles once its socket is gone; race() keeps it handled.
      return Promise.race([super._query(connection, query), deadline]).finally(() => clearTimeout(timer));
    }
  }
  return MySql2ClientWithDeadline as unknown as typeof Knex.Client;
}

function createSqlite(filename: string): Db {
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        // WAL lets the importer or db:check run beside the app; busy_timeout makes them wait, not fail.
        conn.pragma('foreign_keys = ON');
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}

function mysqlConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    charset: 'utf8mb4',
    timezone: 'Z',
    supportBigNumbers: true,
  };
}

async function createMysqlDatabaseIfMissing(config: Extract<DatabaseConfig, { client: 'mysql' }>) {
  const conn = await mysql.createConnection(mysqlConnection(config.url));
  try {
    // The name was validated as [A-Za-z0-9_] by config, so quoting it with backticks is safe.
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

/** Drops a MySQL database (tests and benchmarks only). */
export async function dropMysqlDatabase(config: DatabaseConfig): Promise<void> {
  if (config.client !== 'mysql') return;
  const conn = await mysql.createConnection(mysqlConnection(config.url));
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
  } finally {
    await conn.end();
  }
}
