// What src/db/mysql-deadline.ts assumes about how knex drives mysql2, checked against the installed
// versions. If one of these fails after an upgrade, the query deadline no longer covers every
// query (or a timed-out connection may be reused): fix mysql-deadline.ts before shipping.
import knexFactory, { type Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import type { MysqlConnection } from '../../src/db/mysql-deadline.js';
import { testDatabaseConfig, usingMysql } from '../helpers/db.js';

interface Recorded {
  sql: string;
  withCallback: boolean;
}

/** A knex configured like ours (mysql2, pool.afterCreate), recording what reaches connection.query(). */
async function recordingKnex(options: { poolMax?: number } = {}) {
  const config = testDatabaseConfig();
  if (config.client !== 'mysql') throw new Error('MySQL only');
  await (await createDb(config)).destroy(); // creates the database
  const statements: Recorded[] = [];
  const connections: MysqlConnection[] = [];
  const db = knexFactory({
    client: 'mysql2',
    connection: config.url,
    pool: {
      min: 0,
      max: options.poolMax ?? 1,
      afterCreate(conn: MysqlConnection, done: (err: unknown, conn: unknown) => void) {
        connections.push(conn);
        const query = conn.query.bind(conn);
        conn.query = (...args: unknown[]) => {
          const first = args[0] as string | { sql?: string };
          statements.push({ sql: typeof first === 'string' ? first : String(first?.sql), withCallback: typeof args.at(-1) === 'function' });
          return query(...args);
        };
        done(null, conn);
      },
    },
  });
  return { db, statements, connections };
}

const opened: Knex[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
});

const DEADLINE_BROKEN = 'src/db/mysql-deadline.ts times queries through connection.query(…, callback)';

describe.skipIf(!usingMysql())('how knex drives mysql2 (what the MySQL query deadline relies on)', () => {
  it('when knex creates a pool connection, then pool.afterCreate receives a mysql2 connection with query() and destroy()', async () => {
    const { db, connections } = await recordingKnex();
    opened.push(db);
    await db.raw('SELECT 1');
    expect(connections.length, 'knex no longer calls pool.afterCreate with each new connection').toBe(1);
    expect(typeof connections[0]!.query, 'the afterCreate connection has no query()').toBe('function');
    expect(typeof connections[0]!.destroy, 'the afterCreate connection has no destroy()').toBe('function');
  });

  it('when knex runs builder, raw and schema queries, then each reaches connection.query() with a callback', async () => {
    const { db, statements } = await recordingKnex();
    opened.push(db);
    await db.schema.hasTable('no_such_table');
    await db.raw('SELECT ? AS one', [1]);
    await db.select(db.raw('2 AS two')).first();
    const sent = statements.map((s) => s.sql).join('\n');
    expect(sent, `knex no longer sends raw queries through connection.query(); ${DEADLINE_BROKEN}`).toMatch(/SELECT \? AS one/);
    expect(sent, `knex no longer sends builder queries through connection.query(); ${DEADLINE_BROKEN}`).toMatch(/select 2 AS two/i);
    expect(sent, `knex no longer sends schema queries through connection.query(); ${DEADLINE_BROKEN}`).toMatch(/information_schema|show tables/i);
    expect(
      statements.filter((s) => !s.withCallback),
      `knex now calls connection.query() without a callback; ${DEADLINE_BROKEN}`,
    ).toEqual([]);
  });

  it('when knex runs transactions, then BEGIN, COMMIT and ROLLBACK reach connection.query() with a callback too', async () => {
    const { db, statements } = await recordingKnex();
    opened.push(db);
    await db.transaction((trx) => trx.raw('SELECT 1 AS committed'));
    await db
      .transaction(async (trx) => {
        await trx.raw('SELECT 1 AS rolled_back');
        throw new Error('roll back');
      })
      .catch(() => {});
    const sent = statements.filter((s) => s.withCallback).map((s) => s.sql.trim().replace(/;$/, ''));
    const message = (what: string) => `knex no longer sends ${what} through connection.query(…, callback); ${DEADLINE_BROKEN}`;
    expect(sent, message('BEGIN')).toContain('BEGIN');
    expect(sent, message('COMMIT')).toContain('COMMIT');
    expect(sent, message('ROLLBACK')).toContain('ROLLBACK');
    expect(sent, message('statements inside a transaction')).toEqual(
      expect.arrayContaining([expect.stringContaining('committed'), expect.stringContaining('rolled_back')]),
    );
  });

  it('when a pooled connection is closed with destroy(), then the pool never hands it out again', async () => {
    const { db, connections } = await recordingKnex({ poolMax: 1 });
    opened.push(db);
    const threadId = async () => Number((await db.raw('SELECT CONNECTION_ID() AS id'))[0][0].id);
    const first = await threadId();
    connections[0]!.destroy();
    const second = await threadId();
    expect(second, 'knex’s pool reused a connection mysql2 had destroyed: a timed-out connection would hang the next query').not.toBe(first);
    expect(connections.length).toBe(2);
  });
});
