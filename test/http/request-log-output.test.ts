// The request log as it really is: main.ts as a real process, its own logger writing JSON lines
// to stdout, read back whole after a listener has used /rest with every kind of credential, confirmed
// their address and reset their password by mail. No credential may be anywhere in it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../helpers/app-process.js';
import { databaseUrlOf } from '../helpers/cli.js';
import { testDatabaseConfig } from '../helpers/db.js';
import { forgetDatabase } from '../helpers/own-database.js';
import { csrfFrom, PASSWORD, uniqueName } from '../helpers/session.js';
import { confirmAddress, headerOf, linkPathIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { waitFor } from '../helpers/wait.js';

const NEW_PASSWORD = 'a fresh passphrase for the radio';
const database = testDatabaseConfig('_request_log');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-request-log-'));
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startSmtpServer();
  await forgetDatabase(database);
});
afterAll(async () => {
  await smtp?.close();
  await forgetDatabase(database);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const mailTo = (email: string, subject: string) =>
  waitFor(() => smtp.mails.find((m) => m.to.includes(email) && headerOf(m.raw, 'Subject') === subject), { timeoutMs: 15_000, why: () => `(no “${subject}”)` });

describe('the request log', () => {
  it('when a listener uses /rest with every kind of credential and resets their password by mail, then the log the process writes holds none of them', async () => {
    const app = spawnApp({
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrlOf(database),
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'info',
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'http://stereodose.test',
    });
    try {
      const port = (await waitFor(() => app.logs.find((l) => typeof l.port === 'number'), { timeoutMs: 30_000, why: app.stderr })).port as number;
      const base = `http://127.0.0.1:${port}`;

      const username = uniqueName('logs');
      const email = `${username}@listeners.example`;
      const agent = request.agent(base);
      const _csrf = await csrfFrom(agent, '/register');
      await agent.post('/register').type('form').send({ _csrf, username, password: PASSWORD, email }).expect(303);
      const confirmation = await mailTo(email, 'Confirm your email address for Stereodose');
      await confirmAddress(base, confirmation);
      const made = await agent
        .post('/account/app-passwords')
        .type('form')
        .send({ _csrf: await csrfFrom(agent, '/account'), name: 'Phone' })
        .expect(201);
      const appPassword = /<code class="app-password">([a-z0-9]+)<\/code>/.exec(made.text)![1]!;

      const salt = 'c19b2d7a5e';
      const token = md5(appPassword + salt);
      const encoded = Buffer.from(appPassword).toString('hex');
      const common = { v: '1.16.1', c: 'logtest', f: 'json' };
      const ok = (res: request.Response) => expect(res.body['subsonic-response'].status).toBe('ok');
      ok(
        await request(base)
          .get('/rest/ping.view')
          .query({ ...common, u: username, p: appPassword }),
      );
      ok(
        await request(base)
          .get('/rest/ping.view')
          .query({ ...common, u: username, p: `enc:${encoded}` }),
      );
      ok(
        await request(base)
          .get('/rest/getGenres')
          .query({ ...common, u: username, t: token, s: salt }),
      );
      ok(
        await request(base)
          .get('/rest/ping')
          .query({ ...common, apiKey: appPassword }),
      );
      ok(
        await request(base)
          .post('/rest/ping.view')
          .type('form')
          .send({ ...common, u: username, p: appPassword }),
      );
      const wrong = await request(base)
        .get('/rest/ping.view')
        .query({ ...common, u: username, p: 'a-guessed-password' });
      expect(wrong.body['subsonic-response'].error.code).toBe(40);

      const forgot = request.agent(base);
      const forgotCsrf = await csrfFrom(forgot, '/login'); // first: the post takes the cookies there are when it is made
      await forgot.post('/forgot').type('form').send({ _csrf: forgotCsrf, identifier: email }).expect(303);
      const resetPath = linkPathIn(await mailTo(email, 'Reset your Stereodose password'), '/reset/');
      const browser = request.agent(base);
      const resetCsrf = await csrfFrom(browser, resetPath);
      await browser.post(resetPath).type('form').send({ _csrf: resetCsrf, password: NEW_PASSWORD }).expect(303);
      await waitFor(
        () => app.logs.find((l) => (l.req as { method?: string; url?: string })?.method === 'POST' && (l.req as { url?: string }).url === '/reset/…'),
        {
          timeoutMs: 10_000,
          why: () => '(the reset was never logged)',
        },
      );

      const log = app.stdout();
      const secrets = {
        appPassword,
        encoded,
        token,
        salt,
        guessed: 'a-guessed-password',
        resetToken: resetPath.slice('/reset/'.length),
        confirmationToken: linkPathIn(confirmation, '/verify-email/').slice('/verify-email/'.length),
        password: PASSWORD,
        newPassword: NEW_PASSWORD,
      };
      for (const [what, secret] of Object.entries(secrets)) expect(log.includes(secret), `${what} is in the log`).toBe(false);
      expect(log).not.toMatch(/stereodose\.sid=|set-cookie/i);
      // …while the requests themselves are there, their credentials replaced.
      const urls = app.logs.map((l) => (l.req as { url?: string } | undefined)?.url).filter(Boolean);
      expect(urls).toEqual(
        expect.arrayContaining([
          `/rest/ping.view?v=1.16.1&c=logtest&f=json&u=${username}&p=[redacted]`,
          `/rest/getGenres?v=1.16.1&c=logtest&f=json&u=${username}&t=[redacted]&s=[redacted]`,
          '/rest/ping?v=1.16.1&c=logtest&f=json&apiKey=[redacted]',
          '/rest/ping.view',
          '/verify-email/…',
          '/reset/…',
        ]),
      );
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  }, 90_000);
});
