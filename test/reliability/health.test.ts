import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createDb } from '../../src/db/knex.js';
import { testConfig } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { captureLogs } from '../helpers/logs.js';

const t = useTestDb();

describe('health checks', () => {
  it('when the process runs, then /healthz answers 200 ok, uncached', async () => {
    const res = await request(createApp({ config: testConfig, db: t.db })).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when the database answers, then /readyz answers 200 ready', async () => {
    const res = await request(createApp({ config: testConfig, db: t.db })).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('when the database is gone, then /readyz answers 503 with Retry-After and /healthz still 200', async () => {
    const db = await createDb(t.config);
    const app = createApp({ config: testConfig, db });
    expect((await request(app).get('/readyz')).status).toBe(200); // ready while the database answers
    await db.destroy();
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable' });
    expect(ready.headers['retry-after']).toBe('5');
    expect((await request(app).get('/healthz')).status).toBe(200);
  });

  it('when shutdown has begun, then /readyz answers 503 shutting_down while /healthz stays 200', async () => {
    const lifecycle = { shuttingDown: false };
    const app = createApp({ config: testConfig, db: t.db, lifecycle });
    expect((await request(app).get('/readyz')).status).toBe(200);
    lifecycle.shuttingDown = true;
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'shutting_down' });
    expect(res.headers['retry-after']).toBe('5');
    expect((await request(app).get('/healthz')).status).toBe(200);
  });
});

describe('request ids and request logs', () => {
  it('when a request brings a plain X-Request-Id, then it is echoed and logged with status and latency', async () => {
    const { logger, entries } = captureLogs();
    const app = createApp({ config: testConfig, db: t.db, logger });
    const res = await request(app).get('/').set('X-Request-Id', 'lb-7f3a.42:x_1');
    expect(res.headers['x-request-id']).toBe('lb-7f3a.42:x_1');
    const line = entries().find((e) => e.req?.id === 'lb-7f3a.42:x_1');
    expect(line).toMatchObject({ req: { method: 'GET', url: '/' }, res: { statusCode: res.status } });
    expect(line?.responseTime).toEqual(expect.any(Number));
  });

  it.each([
    ['absent', undefined],
    ['too long', 'x'.repeat(129)],
    ['carrying spaces and quotes', 'a "forged" id'],
  ])('when the X-Request-Id is %s, then a fresh UUID is used instead', async (_case, incoming) => {
    const { logger, entries } = captureLogs();
    const app = createApp({ config: testConfig, db: t.db, logger });
    const req = request(app).get('/healthz');
    const res = await (incoming === undefined ? req : req.set('X-Request-Id', incoming));
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entries().some((e) => e.req?.id === id)).toBe(true);
  });

  it('when a request sends cookies and credentials, then the log line holds none of them', async () => {
    const { logger, entries } = captureLogs();
    const app = createApp({ config: testConfig, db: t.db, logger });
    await request(app)
      .post('/login')
      .set('Authorization', 'Basic c2VjcmV0LXVzZXI6c2VjcmV0LXBhc3M=')
      .set('Cookie', 'stereodose.sid=s%3Asecret-session-id.sig')
      .type('form')
      .send({ username: 'someone', password: 'hunter2-secret-pass' });
    const log = JSON.stringify(entries());
    expect(log).toContain('"url":"/login"');
    expect(log).not.toMatch(/c2VjcmV0|secret-session-id|hunter2|authorization|cookie/i);
  });
});
