// Builds the knex instance for either dialect; per-connection setup lives here and nowhere else.
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../config.js';

export type Db = Knex;

export interface DbOptions {
  /** Largest number of pooled connections (MySQL only; SQLite always uses one writer connection). */
  poolMax?: number;
}

export async function createDb(config: DatabaseConfig, options: DbOptions = {}): Promise<Db> {
  if (config.client === 'sqlite') return createSqlite(config.filename);
  await createMysqlDatabaseIfMissing(config);
  return knexFactory({
    client: 'mysql2',
    connection: { ...mysqlConnection(config.url), database: config.database },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: 10_000,
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
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
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
