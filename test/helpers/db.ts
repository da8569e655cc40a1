// Each test file gets a migrated database of its own worker — a temp SQLite file by default, or
// `<TEST_DATABASE_URL db>_<worker>` on MySQL — emptied before every test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parseDatabaseUrl, type DatabaseConfig } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { testDialectOf } from './dialect.js';

const worker = process.env.VITEST_POOL_ID ?? '0';

/** The database config for this worker; `suffix` gives a test its own extra database. */
export function testDatabaseConfig(suffix = ''): DatabaseConfig {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const u = new URL(url);
    u.pathname = `/${u.pathname.replace(/^\//, '') || 'stereodose_test'}_${worker}${suffix}`;
    return parseDatabaseUrl(u.toString(), '');
  }
  return { client: 'sqlite', filename: path.join(os.tmpdir(), `stereodose-test-${process.pid}-${worker}${suffix}.sqlite`) };
}

export const usingMysql = () => Boolean(process.env.TEST_DATABASE_URL);

export function removeSqliteFiles(config: DatabaseConfig) {
  if (config.client !== 'sqlite') return;
  for (const ext of ['', '-wal', '-shm']) fs.rmSync(config.filename + ext, { force: true });
}

export interface TestDb {
  readonly db: Db;
  readonly config: DatabaseConfig;
}

/** Registers hooks: migrate once per file, truncate every table before each test. */
export function useTestDb(options: { poolMax?: number } = {}): TestDb {
  const config = testDatabaseConfig();
  let db: Db | undefined;
  let tables: string[] = [];

  beforeAll(async () => {
    removeSqliteFiles(config);
    db = await createDb(config, options);
    await migrateLatest(db);
    // catalog_version only ever grows and must keep its one row: the engine's draws read it.
    tables = (await testDialectOf(db).listTables(db)).filter((table) => table !== 'catalog_version');
  });
  beforeEach(async () => {
    await testDialectOf(db!).truncate(db!, tables);
  });
  afterAll(async () => {
    await db?.destroy();
    removeSqliteFiles(config);
  });

  return {
    get db() {
      if (!db) throw new Error('useTestDb: the database is not ready yet (use it inside a test)');
      return db;
    },
    config,
  };
}
