import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { migrateLatest, rollbackAll } from '../../src/db/migrate.js';
import * as sessionsExpiryMillis from '../../migrations/20261201000009_sessions_expiry_millis.js';
import { DatabaseSessionStore } from '../../src/accounts/session-store.js';
import { removeSqliteFiles, testDatabaseConfig, usingMysql, useTestDb } from '../helpers/db.js';
import { testDialectOf } from '../helpers/dialect.js';
import { dropMysqlDatabase } from '../helpers/drop-database.js';

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

describe.skipIf(usingMysql())('sessions written before our own session store (SQLite)', () => {
  const t = useTestDb();

  it('when their ISO-text expiries are converted, then the cleanup finds the ended ones and keeps the rest', async () => {
    const ended = new Date(Date.now() - 60_000).toISOString();
    const alive = new Date(Date.now() + 3_600_000).toISOString();
    await t.db('sessions').insert([
      { sid: 'old-ended', sess: '{"cookie":{}}', expired: ended },
      { sid: 'old-alive', sess: '{"cookie":{}}', expired: alive },
    ]);
    await sessionsExpiryMillis.up(t.db);
    const rows = await t.db('sessions').orderBy('sid').select('sid', 'expired');
    expect(rows).toEqual([
      { sid: 'old-alive', expired: Date.parse(alive) },
      { sid: 'old-ended', expired: Date.parse(ended) },
    ]);
    expect(await new DatabaseSessionStore(t.db, { cleanupIntervalMs: 0 }).deleteExpired()).toBe(1);
    expect(await t.db('sessions').pluck('sid')).toEqual(['old-alive']);
  });
});
