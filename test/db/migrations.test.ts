import { describe, expect, it } from 'vitest';
import { createDb, dropMysqlDatabase } from '../../src/db/knex.js';
import { migrateLatest, rollbackAll } from '../../src/db/migrate.js';
import { removeSqliteFiles, testDatabaseConfig } from '../helpers/db.js';
import { testDialectOf } from '../helpers/dialect.js';

describe('migrations', () => {
  it('when applied, rolled back and applied again, then the schema comes and goes cleanly', async () => {
    const config = testDatabaseConfig('_migrations');
    removeSqliteFiles(config);
    await dropMysqlDatabase(config);
    const db = await createDb(config);
    try {
      const applied = await migrateLatest(db);
      expect(applied.length).toBeGreaterThanOrEqual(2);
      const dialect = testDialectOf(db);
      expect(await dialect.listTables(db)).toEqual(expect.arrayContaining(['drugs', 'moods', 'songs', 'genre_songs', 'genre_counts']));
      expect(await rollbackAll(db)).toHaveLength(applied.length);
      expect(await dialect.listTables(db)).toEqual([]);
      expect(await migrateLatest(db)).toEqual(applied);
      expect(await migrateLatest(db)).toEqual([]);
    } finally {
      await db.destroy();
      await dropMysqlDatabase(config);
      removeSqliteFiles(config);
    }
  });
});
