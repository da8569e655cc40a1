import request from 'supertest';
import { describe, expect, it } from 'vitest';
import knexFactory from 'knex';
import { dialectOf, isUnavailable } from '../../src/db/dialect.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { QueryTimeoutError } from '../../src/db/mysql-deadline.js';
import { createLogger } from '../../src/logger.js';
import { createTestApp } from '../helpers/app.js';
import { usingMysql, useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';

const t = useTestDb();

const withCode = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(code), { code, ...extra });

/** Makes every new query on `db` fail the way a database that refuses connections does. */
function refuseConnections(db: Db, error: Error = withCode('ECONNREFUSED', { errno: -111, syscall: 'connect' })) {
  const client = db.client as { acquireConnection(): Promise<unknown> };
  const original = client.acquireConnection;
  client.acquireConnection = () => Promise.reject(error);
  return () => {
    client.acquireConnection = original;
  };
}

/** An app shown to work before the refusals below begin, so they are all the request meets. */
async function readyApp() {
  const app = createTestApp(t.db);
  expect((await request(app).get('/readyz')).status).toBe(200);
  return app;
}

describe('isUnavailable', () => {
  it.each([
    ['ECONNREFUSED', withCode('ECONNREFUSED')],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['PROTOCOL_CONNECTION_LOST', withCode('PROTOCOL_CONNECTION_LOST', { fatal: true })],
    ['too many connections (1040)', withCode('ER_CON_COUNT_ERROR', { errno: 1040 })],
    ['server shutdown (1053)', withCode('ER_SERVER_SHUTDOWN', { errno: 1053 })],
    ['a fatal mysql2 error without code', Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true })],
    ['KnexTimeoutError', new knexFactory.KnexTimeoutError('Knex: Timeout acquiring a connection.')],
    ['our query deadline', new QueryTimeoutError(5000)],
    ['SQLITE_BUSY', withCode('SQLITE_BUSY')],
    ['SQLITE_BUSY_SNAPSHOT', withCode('SQLITE_BUSY_SNAPSHOT')],
    ['a destroyed knex', new Error('Unable to acquire a connection')],
    ['a refusal wrapped as a cause', new Error('outer', { cause: withCode('ECONNREFUSED') })],
  ])('when the error is %s, then the database is unavailable', (_name, err) => {
    expect(isUnavailable(err)).toBe(true);
  });

  it.each([
    ['a duplicate key', withCode('ER_DUP_ENTRY', { errno: 1062 })],
    ['a unique violation on SQLite', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a syntax error', withCode('ER_PARSE_ERROR', { errno: 1064 })],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('when the error is %s, then it is not an outage', (_name, err) => {
    expect(isUnavailable(err)).toBe(false);
  });
});

describe('when a query fails with a connection error', () => {
  it('then an API request answers 503 JSON with Retry-After, and the next request works again', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 3);
    const app = await readyApp();
    const url = `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    const restore = refuseConnections(t.db);
    try {
      const res = await request(app).get(url);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error.code).toBe('busy');
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|\bat \w|select/i);
    } finally {
      restore();
    }
    expect((await request(app).get(url)).status).toBe(200); // the process and the app live on
  });

  it('then a page answers a friendly 503 HTML page without internals', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 3);
    const app = await readyApp();
    const restore = refuseConnections(t.db);
    try {
      const res = await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).set('Accept', 'text/html');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('try again in a moment');
      expect(res.text).not.toMatch(/ECONNREFUSED|node_modules|\.ts:\d|\bat \w+ \(/);
    } finally {
      restore();
    }
  });

  it.each([
    ['the pool times out', new knexFactory.KnexTimeoutError('Knex: Timeout acquiring a connection.')],
    ['there are too many connections', withCode('ER_CON_COUNT_ERROR', { errno: 1040 })],
    ['SQLite stays busy', withCode('SQLITE_BUSY')],
  ])('when %s, then the answer is 503 too', async (_name, error) => {
    const app = await readyApp();
    const restore = refuseConnections(t.db, error);
    try {
      const res = await request(app).get('/api/genres');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      restore();
    }
  });
});

describe.skipIf(!usingMysql())('the MySQL query deadline', () => {
  it('when a query outlives DB_QUERY_TIMEOUT_MS, then it fails with QueryTimeoutError and the pool serves the next query', async () => {
    const db = await createDb(t.config, { queryTimeoutMs: 300, poolMax: 1, logger: createLogger('silent') });
    try {
      expect(dialectOf(db).name).toBe('mysql');
      const started = Date.now();
      // SLEEP(3) is the slow query under test, not a wait: it must be cut off after 300 ms.
      const err = await db.raw('SELECT SLEEP(3)').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(1500);
      expect(err).toBeInstanceOf(QueryTimeoutError);
      expect(isUnavailable(err)).toBe(true);
      // poolMax 1: the timed-out connection was dropped, not handed out again to hang.
      expect((await db.raw('SELECT 1 AS one'))[0]).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });

  it('when a statement inside a transaction outlives the deadline, then the transaction fails fast too', async () => {
    const db = await createDb(t.config, { queryTimeoutMs: 300, poolMax: 1, logger: createLogger('silent') });
    try {
      const started = Date.now();
      const err = await db
        .transaction((trx) => trx.raw('SELECT SLEEP(3)'))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(Date.now() - started).toBeLessThan(1500);
      // knex rejects with its failed ROLLBACK on the closed connection (fatal), an outage all the same.
      expect(isUnavailable(err)).toBe(true);
      expect((await db.raw('SELECT 1 AS one'))[0]).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
