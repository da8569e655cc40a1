// Builds the knex instance for either dialect; per-connection setup lives here and nowhere else.
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { addQueryDeadline, type MysqlConnection } from './mysql-deadline.js';

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
  /** MySQL (Galera): `SET SESSION wsrep_sync_wait` on every connection, when given. */
  syncWait?: number;
  /**
   * How long writeTransaction may keep trying a transaction whose connection died before COMMIT
   * (db/transaction.ts). Unset: not at all (CLIs, tests).
   */
  writeRetryMs?: number;
}

const writeRetryWindows = new WeakMap<Knex, number>();

/** Where knex's "a pooled connection died" warnings go instead of the log, per knex instance. */
interface ConnectionHooks {
  lost?: (message: string) => void;
}
const connectionHooks = new WeakMap<Knex, ConnectionHooks>();

/**
 * Hands knex's warnings that a pooled connection was lost ("Connection Error: … Connection lost",
 * "Acquire connection error: …" with a stack) to `handler` instead of the log: the app reports
 * them as its own database-unavailable event, once per outage (db/node-monitor.ts).
 */
export function onConnectionLost(db: Knex, handler: (message: string) => void): void {
  const hooks = connectionHooks.get(db);
  if (hooks) hooks.lost = handler;
}

/** The write-retry window createDb gave this knex instance (0 when none, and inside a transaction). */
export function writeRetryWindowOf(db: Knex): number {
  return writeRetryWindows.get(db) ?? 0;
}

export async function createDb(config: DatabaseConfig, options: DbOptions = {}): Promise<Db> {
  if (config.client === 'sqlite') return createSqlite(config.filename);
  if (options.createDatabase !== false) await createMysqlDatabaseIfMissing(config);
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 10_000;
  const hooks: ConnectionHooks = {};
  const db = knexFactory({
    client: 'mysql2',
    // connectTimeout: a frozen server accepts the TCP connection (the kernel does) but never greets.
    connection: { ...mysqlConnection(config.url), database: config.database, connectTimeout: acquireTimeoutMs },
    // propagateCreateError (knex's default, kept on purpose): while the server refuses connections,
    // a waiting request fails at once with ECONNREFUSED (→ 503) instead of waiting out the timeout.
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      propagateCreateError: true,
      afterCreate(conn: MysqlConnection, done: (err: unknown, conn: unknown) => void) {
        setUpMysqlConnection(conn, options.queryTimeoutMs, options.syncWait).then(
          () => done(null, conn),
          (err: unknown) => {
            conn.destroy(); // knex forgets a connection whose setup failed: close it here
            done(err, conn);
          },
        );
      },
    },
    acquireConnectionTimeout: acquireTimeoutMs,
    ...(options.logger && { log: knexLog(options.logger, hooks) }),
  });
  connectionHooks.set(db, hooks);
  if (options.writeRetryMs) writeRetryWindows.set(db, options.writeRetryMs);
  return db;
}

/** knex's warnings when a pooled connection died, or a new one could not be made. */
const CONNECTION_LOST = /^(Connection Error|Acquire connection error): /;

function knexLog(logger: Logger, hooks: ConnectionHooks): Knex.Logger {
  const line = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message));
  return {
    warn: (message) => {
      const text = line(message);
      if (!CONNECTION_LOST.test(text)) return logger.warn({ component: 'knex' }, text);
      const first = text.split('\n', 1)[0]!; // never the driver's stack
      if (hooks.lost) hooks.lost(first);
      else logger.warn({ component: 'knex' }, first);
    },
    error: (message) => logger.error({ component: 'knex' }, line(message)),
    deprecate: (method, alternative) => logger.warn({ component: 'knex' }, `${method} is deprecated; use ${alternative}`),
    debug: (message) => logger.debug({ component: 'knex' }, line(message)),
  };
}

/**
 * Every new MySQL connection: the query deadline first (so the setup below has it too), then UTC as
 * the session time zone. mysql2 reads DATETIMEs as UTC (timezone 'Z'); without this, a column
 * defaulting to CURRENT_TIMESTAMP would be written in the server's own time zone.
 */
async function setUpMysqlConnection(conn: MysqlConnection, queryTimeoutMs: number | undefined, syncWait: number | undefined): Promise<void> {
  if (queryTimeoutMs) addQueryDeadline(conn, queryTimeoutMs);
  // On Galera, a read on a node other than the one that took a write may not see it yet (the
  // others apply it a moment later); wsrep_sync_wait makes each read wait until they have.
  const sql = syncWait === undefined ? "SET time_zone = '+00:00'" : `SET time_zone = '+00:00', SESSION wsrep_sync_wait = ${Number(syncWait)}`;
  await new Promise<void>((resolve, reject) => {
    conn.query(sql, (err: unknown) => (err ? reject(err) : resolve()));
  });
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

/** mysql2's connection options for a mysql:// URL (the backup tools and the load test's floor twin use them too). */
export function mysqlConnection(url: string) {
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
