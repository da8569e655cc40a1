// What only tests need done differently on MySQL and SQLite: query plans, listing and emptying
// tables. The app's own differences live in src/db/dialect.ts, which also answers which one this is.
import type { Knex } from 'knex';
import { dialectOf } from '../../src/db/dialect.js';

export interface TestDialect {
  /** The query plan of a statement, one line per step. */
  explain(db: Knex, sql: string, bindings: readonly Knex.Value[]): Promise<string[]>;
  /**
   * Brings the optimizer's statistics up to date after a test filled tables in bulk: InnoDB
   * recalculates them in the background, so a plan read at once may still see the empty table a
   * long-running server would long have forgotten. SQLite keeps none unless asked (the app never
   * does), so there it does nothing and plans stay the ones the app gets.
   */
  analyze(db: Knex, tables: readonly string[]): Promise<void>;
  /** Every table the migrations made. */
  listTables(db: Knex): Promise<string[]>;
  /** Empties tables, ignoring foreign keys while doing so. */
  truncate(db: Knex, tables: readonly string[]): Promise<void>;
}

const mysql: TestDialect = {
  async explain(db, sql, bindings) {
    const [rows] = (await db.raw(`EXPLAIN ${sql}`, bindings)) as [Record<string, unknown>[]];
    return rows.map((r) => `table=${r.table} type=${r.type} key=${r.key} rows=${r.rows} extra=${r.Extra ?? ''}`);
  },
  async analyze(db, tables) {
    for (const table of tables) await db.raw('ANALYZE TABLE ??', [table]);
  },
  async listTables(db) {
    const [rows] = (await db.raw('SHOW TABLES')) as [Record<string, string>[]];
    return rows.map((r) => Object.values(r)[0]!).filter((t) => !t.startsWith('knex_migrations'));
  },
  async truncate(db, tables) {
    // TRUNCATE needs the same connection as the FOREIGN_KEY_CHECKS switch, hence one transaction.
    await db.transaction(async (trx) => {
      await trx.raw('SET FOREIGN_KEY_CHECKS = 0');
      for (const table of tables) await trx.raw('TRUNCATE TABLE ??', [table]);
      await trx.raw('SET FOREIGN_KEY_CHECKS = 1');
    });
  },
};

const sqlite: TestDialect = {
  async explain(db, sql, bindings) {
    const rows = (await db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings)) as { detail: string }[];
    return rows.map((r) => r.detail);
  },
  async analyze() {},
  async listTables(db) {
    const rows = (await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'knex_migrations%'")) as {
      name: string;
    }[];
    return rows.map((r) => r.name);
  },
  async truncate(db, tables) {
    // foreign_keys cannot change inside a transaction; the pool has one connection, so this is safe.
    await db.raw('PRAGMA foreign_keys = OFF');
    try {
      for (const table of tables) await db(table).del();
      await db.raw(`DELETE FROM sqlite_sequence WHERE name IN (${tables.map(() => '?').join(',')})`, [...tables]).catch(() => {});
    } finally {
      await db.raw('PRAGMA foreign_keys = ON');
    }
  },
};

export const testDialectOf = (db: Knex): TestDialect => (dialectOf(db).name === 'mysql' ? mysql : sqlite);
