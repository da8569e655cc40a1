// Which server answers the app, and whether it may serve (dialect.nodeStatus), on a plain server:
// always ready, named by host and port (Galera nodes: test/failover/). And DB_SYNC_WAIT: each
// pooled connection carries the session's wsrep_sync_wait.
import { describe, expect, it } from 'vitest';
import { dialectOf } from '../../src/db/dialect.js';
import { createDb } from '../../src/db/knex.js';
import { useTestDb, usingMysql } from '../helpers/db.js';

const t = useTestDb();

describe('the database node answering', () => {
  it('when the database is a single server, then it is ready and named (host:port on MySQL, sqlite on SQLite), with no Galera state', async () => {
    const status = await dialectOf(t.db).nodeStatus(t.db);
    expect(status.ready).toBe(true);
    expect(status.galera).toBeUndefined();
    expect(status.node).toMatch(usingMysql() ? /^[^:]+:\d+$/ : /^sqlite$/);
  });

  it.skipIf(!usingMysql())('when DB_SYNC_WAIT is given, then every pooled connection reads with that wsrep_sync_wait', async () => {
    const db = await createDb(t.config, { poolMax: 2, syncWait: 1 });
    try {
      const values = await Promise.all(
        [0, 1].map(async () => {
          const [rows] = (await db.raw('SELECT @@session.wsrep_sync_wait AS v, SLEEP(0.05)')) as [{ v: number }[]];
          return Number(rows[0]!.v);
        }),
      );
      expect(values).toEqual([1, 1]);
    } finally {
      await db.destroy();
    }
  });
});
