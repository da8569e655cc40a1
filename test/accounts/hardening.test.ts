import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { pino } from 'pino';
import { redactPaths } from '../../src/logger.js';
import { createTestApp, testConfig } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { csrfFrom, registerAs } from '../helpers/session.js';

const t = useTestDb();

describe('request hardening', () => {
  it('when a form body is oversized, then 413; when JSON is broken, then 400 — never 500', async () => {
    const app = createTestApp(t.db);
    const big = await request(app)
      .post('/login')
      .type('form')
      .send({ username: 'x'.repeat(20_000), password: 'y' });
    expect(big.status).toBe(413);
    const broken = await request(app).put('/api/favorites/1').set('Content-Type', 'application/json').send('{"oops":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('entity_parse_failed');
  });

  it('when a listener logs in, then the logs hold no session id, cookie or password', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
    const app = createApp({ config: testConfig, db: t.db, logger });
    const { agent } = await registerAs(app);
    await agent.get('/account').expect(200);
    const _csrf = await csrfFrom(agent, '/account');
    await agent.post('/logout').type('form').send({ _csrf });
    const log = lines.join('');
    expect(log).toContain('"url":"/register"');
    expect(log).not.toMatch(/stereodose\.sid|correct horse|set-cookie|cookie/i);
    expect(log).toContain('"statusCode":303');
    expect(log).not.toContain('password');
  });
});
