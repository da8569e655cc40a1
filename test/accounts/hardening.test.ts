import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createTestApp, testConfig } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { captureLogs } from '../helpers/logs.js';
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
    const { logger, text } = captureLogs();
    const app = createApp({ config: testConfig, db: t.db, logger });
    const { agent } = await registerAs(app);
    await agent.get('/account').expect(200);
    const _csrf = await csrfFrom(agent, '/account');
    await agent.post('/logout').type('form').send({ _csrf });
    const log = text();
    expect(log).toContain('"url":"/register"');
    expect(log).not.toMatch(/stereodose\.sid|correct horse|set-cookie|cookie/i);
    expect(log).toContain('"statusCode":303');
    expect(log).not.toContain('password');
  });

  it('when anything hands the app’s logger a cookie, an Authorization header, a Set-Cookie or a password, then it writes [redacted] instead', () => {
    const { logger, entries } = captureLogs();
    const sid = 'stereodose.sid=s%3Asecret-session-id.sig';
    // As a request logger without our serializers would, or a child logger of a request (req.log).
    logger.info(
      { req: { headers: { cookie: sid, authorization: 'Basic c2VjcmV0LXVzZXI6cGFzcw==' } }, res: { headers: { 'set-cookie': [sid] } } },
      'raw request',
    );
    logger.child({ route: '/account/password' }).warn({ body: { password: 'hunter2-a', newPassword: 'hunter2-b', currentPassword: 'hunter2-c' } }, 'form');
    const [raw, form] = entries();
    expect(raw?.req?.headers).toEqual({ cookie: '[redacted]', authorization: '[redacted]' });
    expect(raw?.res?.headers?.['set-cookie']).toBe('[redacted]');
    expect(form?.body).toEqual({ password: '[redacted]', newPassword: '[redacted]', currentPassword: '[redacted]' });
    expect(JSON.stringify(entries())).not.toMatch(/secret-session-id|c2VjcmV0|hunter2/);
  });
});
