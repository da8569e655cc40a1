// A MariaDB server of its own, whose time zone is not UTC: the app's connections must still write
// CURRENT_TIMESTAMP defaults in UTC, as mysql2 (timezone 'Z') reads them. MySQL pass only.
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { usingMysql } from '../helpers/db.js';
import { startPrivateMariadb, type PrivateMariadb } from '../helpers/mariadb.js';

const FIVE_HOURS_MS = 5 * 3_600_000;

describe.skipIf(!usingMysql())('when the MySQL server runs in another time zone (+05:00)', () => {
  let mariadb: PrivateMariadb | undefined;
  let db: Db | undefined;

  beforeAll(async () => {
    mariadb = await startPrivateMariadb({ args: ['--default-time-zone=+05:00'] });
    db = await createDb(parseDatabaseUrl(mariadb.url('stereodose_time_zone'), ''), { queryTimeoutMs: 5000 });
    await migrateLatest(db);
  }, 90_000);

  afterAll(async () => {
    await db?.destroy();
    await mariadb?.destroy();
  }, 30_000);

  it('then a connection that skips our setup sees the server’s clock five hours off UTC (the trap)', async () => {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: mariadb!.port, user: 'root', timezone: 'Z' });
    try {
      const [[row]] = (await conn.query('SELECT @@global.time_zone AS zone, NOW() AS now')) as unknown as [[{ zone: string; now: Date }]];
      expect(row.zone).toBe('+05:00');
      expect(Math.abs(row.now.getTime() - Date.now() - FIVE_HOURS_MS)).toBeLessThan(60_000);
    } finally {
      await conn.end();
    }
  });

  it('then our connections run in UTC', async () => {
    const [[row]] = (await db!.raw('SELECT @@session.time_zone AS zone')) as [[{ zone: string }]];
    expect(row.zone).toBe('+00:00');
  });

  it('then a row whose created_at defaults to CURRENT_TIMESTAMP reads back as now', async () => {
    await db!('users').insert({ username: 'zoned', username_normalized: 'zoned', password_hash: 'x' });
    const user = await db!('users').where('username_normalized', 'zoned').first('created_at', 'updated_at');
    expect(user.created_at).toBeInstanceOf(Date);
    expect(Math.abs(user.created_at.getTime() - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(user.updated_at.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
