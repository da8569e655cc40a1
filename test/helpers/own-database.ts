// A database beside the worker's own (see db.ts), for a test that must start from nothing or that
// hands the database to another process.
import type { DatabaseConfig } from '../../src/config.js';
import { dropMysqlDatabase } from './drop-database.js';
import { removeSqliteFiles } from './db.js';

/** Deletes the SQLite files or drops the MySQL database; nothing happens when there is none. */
export async function forgetDatabase(config: DatabaseConfig): Promise<void> {
  removeSqliteFiles(config);
  await dropMysqlDatabase(config);
}
