// Dropping a MySQL database the tests or a benchmark made (no vitest here: the benchmarks import it).
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../../src/config.js';
import { mysqlConnection } from '../../src/db/knex.js';
/** Drops a MySQL database; nothing happens for SQLite. */
export async function dropMysqlDatabase(config: DatabaseConfig): Promise<void> {
  if (config.client !== 'mysql') return;
  const conn = await mysql.createConnection(mysqlConnection(config.url));
  try {
    // The name was validated as [A-Za-z0-9_] by config, so quoting it with backticks is safe.
    await conn.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
  } finally {
    await conn.end();
  }
}
