// Forgotten passwords end to end: a real SMTP server receives the mail, the test follows its link.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createTestApp, testConfig } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { useTestDb } from '../helpers/db.js';
import { captureLogs } from '../helpers/logs.js';
import { type Agent, csrfFrom, loginAs, PASSWORD, uniqueName, whoAmI } from '../helpers/session.js';
import { confirmAddress, headerOf, partOf, type ReceivedMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestDb();
// http: an https PUBLIC_URL makes the session cookie Secure, which these plain-http agents never send back.
const SITE = 'http://stereodose.example';
const NEW_PASSWORD = 'a fresh passphrase for the radio';
const SENT = 'If an account matches and its email address is confirmed, we sent a link';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp?.close());

const appWithMail = (config: Partial<Config> = {}) => createTestApp(t.db, { config: { smtpUrl: smtp.url, publicUrl: SITE, ...config } });
type App = ReturnType<typeof createTestApp>;

/**
 * A listener registered with an email address (and so logged in on `agent`); when the app mails
 * (`server`; null: it sends none), the address is confirmed through the link mailed to it.
 */
async function registerWithEmail(app: App, server: TestSmtpServer | null = smtp) {
  const username = uniqueName('reset');
  const email = `${username}@listeners.example`;
  const agent = request.agent(app);
  const _csrf = await csrfFrom(agent, '/register');
  await agent.post('/register').type('form').send({ _csrf, username, password: PASSWORD, email }).expect(303);
  if (server) await confirmAddress(app, await confirmationTo(server, email));
  return { username, email, agent };
}

const isReset = (mail: ReceivedMail) => headerOf(mail.raw, 'Subject') === 'Reset your Stereodose password';
const confirmationTo = (server: TestSmtpServer, email: string) =>
  waitFor(() => server.mails.find((m) => m.to.includes(email) && !isReset(m)), { timeoutMs: 10_000, why: () => `(no confirmation mail to ${email})` });

async function askForLink(app: App, identifier: string, agent: Agent = request.agent(app)) {
  const _csrf = await csrfFrom(agent, '/login');
  return agent.post('/forgot').type('form').send({ _csrf, identifier });
}

/** The reset mails sent to `email` so far. */
const mailsTo = (email: string, server = smtp) => server.mails.filter((m) => m.to.includes(email) && isReset(m));
const mailTo = (email: string, count = 1) =>
  waitFor(() => (mailsTo(email).length >= count ? mailsTo(email)[count - 1] : undefined), { timeoutMs: 10_000, why: () => `(no mail to ${email})` });

/** The path of the reset link in the mail's plain text. */
function linkPath(mail: ReceivedMail): string {
  const url = new RegExp(`${SITE}(/reset/[A-Za-z0-9_-]{43})\\b`).exec(partOf(mail.raw, 'text/plain'))?.[1];
  if (!url) throw new Error(`no reset link in:\n${mail.raw}`);
  return url;
}

async function setPassword(app: App, path: string, password = NEW_PASSWORD) {
  const agent = request.agent(app);
  const page = await agent.get(path);
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  return { page, res: await agent.post(path).type('form').send({ _csrf, password }), agent };
}

async function loginStatus(app: App, username: string, password: string) {
  const agent = request.agent(app);
  const _csrf = await csrfFrom(agent);
  return (await agent.post('/login').type('form').send({ _csrf, username, password })).status;
}

describe('forgot password', () => {
  it('when the server cannot send mail, then /forgot says so plainly and who can make a link, and offers no form that mails nothing', async () => {
    const page = await request(createTestApp(t.db)).get('/forgot').expect(200);
    expect(page.text).toContain('This Stereodose server cannot send email');
    expect(page.text).toContain('npm run user:reset-link');
    expect(page.text).not.toContain('action="/forgot"');
    const withMail = await request(appWithMail()).get('/forgot').expect(200);
    expect(withMail.text).toContain('action="/forgot"');
    expect(withMail.text).not.toContain('cannot send email');
  });

  it('when a listener follows the mailed link and sets a new password, then it logs in, the old one fails, and their other session is logged out', async () => {
    const app = appWithMail();
    const { username, email, agent: firstDevice } = await registerWithEmail(app);
    const otherDevice = await loginAs(app, username);
    const asked = await askForLink(app, username);
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe('/forgot');

    const mail = await mailTo(email);
    expect(headerOf(mail.raw, 'Subject')).toBe('Reset your Stereodose password');
    expect(headerOf(mail.raw, 'From')).toContain('no-reply@localhost');
    const text = partOf(mail.raw, 'text/plain');
    expect(text).toContain(username);
    expect(text).toMatch(/until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toContain('If you did not ask, ignore this mail');
    const path = linkPath(mail);
    expect(partOf(mail.raw, 'text/html')).toContain(`<a href="${SITE}${path}">`);
    // Only the token's hash is stored.
    const row = await t.db('password_resets').first();
    const token = path.slice('/reset/'.length);
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(await t.db('password_resets').where('token_hash', token).first()).toBeUndefined();

    const { page, res } = await setPassword(app, path);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain(username);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');

    expect(await whoAmI(otherDevice)).toBeUndefined();
    expect(await whoAmI(firstDevice)).toBeUndefined();
    const userId = (await t.db('users').where('username', username).first('id')).id;
    const sessions: { sess: string }[] = await t.db('sessions').select('sess');
    expect(sessions.filter((s) => JSON.parse(s.sess).passport?.user?.id === Number(userId))).toEqual([]);
    expect(await loginStatus(app, username, PASSWORD)).toBe(401);
    expect(await whoAmI(await loginAs(app, username, NEW_PASSWORD))).toBe(username);
  });

  it('when the link is used a second time, then 410 with a way to ask again, and the password stays', async () => {
    const app = appWithMail();
    const { username, email } = await registerWithEmail(app);
    await askForLink(app, username);
    const path = linkPath(await mailTo(email));
    expect((await setPassword(app, path)).res.status).toBe(303);

    const again = await request(app).get(path);
    expect(again.status).toBe(410);
    expect(again.text).toContain('already used');
    expect(again.text).toContain('href="/forgot"');
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent, '/login');
    expect((await agent.post(path).type('form').send({ _csrf, password: 'yet another passphrase here' })).status).toBe(410);
    expect(await loginStatus(app, username, NEW_PASSWORD)).toBe(303);
  });

  it('when the link has expired, then 410 on the page and on the form, and the old password still works', async () => {
    const app = appWithMail();
    const { username, email } = await registerWithEmail(app);
    await askForLink(app, username);
    const path = linkPath(await mailTo(email));
    await t.db('password_resets').update({ expires_at: new Date(Date.now() - 1000) });

    const page = await request(app).get(path);
    expect(page.status).toBe(410);
    expect(page.text).toContain('expired');
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent, '/login');
    expect((await agent.post(path).type('form').send({ _csrf, password: NEW_PASSWORD })).status).toBe(410);
    expect(await loginStatus(app, username, PASSWORD)).toBe(303);
  });

  it('when the token is unknown or malformed, then 400 with a way to ask again, never a 500', async () => {
    const app = appWithMail();
    for (const path of [`/reset/${'A'.repeat(43)}`, '/reset/short', `/reset/${'%E2%80%9C'.repeat(20)}`]) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(400);
      expect(res.text).toContain('href="/forgot"');
    }
    const json = await request(app)
      .get(`/reset/${'B'.repeat(43)}`)
      .set('Accept', 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('reset_link_unknown');
  });

  it('when the new password breaks the registration rules, then the form comes back (400) and the link still works', async () => {
    const app = appWithMail();
    const { username, email } = await registerWithEmail(app);
    await askForLink(app, username);
    const path = linkPath(await mailTo(email));
    const { res } = await setPassword(app, path, 'password123');
    expect(res.status).toBe(400);
    expect(res.text).toContain('most common passwords');
    expect(res.text).toContain('Choose a new password');
    expect((await setPassword(app, path)).res.status).toBe(303);
    expect(await loginStatus(app, username, NEW_PASSWORD)).toBe(303);
  });

  it('when a second link is used, then the first one no longer works', async () => {
    const app = appWithMail();
    const { username, email } = await registerWithEmail(app);
    await askForLink(app, username);
    const first = linkPath(await mailTo(email, 1));
    await askForLink(app, email.toUpperCase());
    const second = linkPath(await mailTo(email, 2));
    expect(second).not.toBe(first);
    expect((await setPassword(app, second)).res.status).toBe(303);
    expect((await request(app).get(first)).status).toBe(400);
    expect(await t.db('password_resets').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('when nobody has that username or email, then the answer is the same and no mail is sent', async () => {
    const app = appWithMail();
    const { username, email } = await registerWithEmail(app);
    const ghost = await askForLink(app, uniqueName('ghost'));
    const ghostMail = await askForLink(app, 'nobody@listeners.example');
    const known = request.agent(app);
    const real = await askForLink(app, username, known);
    for (const res of [ghost, ghostMail]) {
      expect(res.status).toBe(real.status);
      expect(res.headers.location).toBe(real.headers.location);
    }
    expect((await known.get('/forgot')).text).toContain(SENT);
    // The known account's mail arriving means the others had their turn long before: they queued nothing.
    await mailTo(email);
    expect(smtp.mails.filter((m) => m.to.some((to) => to.startsWith('ghost') || to.startsWith('nobody')))).toEqual([]);
    expect(await t.db('password_resets').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('when the SMTP server is slow, then /forgot has answered before the mail leaves', async () => {
    const slow = await startSmtpServer({ onConnect: (_session, callback) => setTimeout(callback, 1500) });
    try {
      const app = createTestApp(t.db, { config: { smtpUrl: slow.url, publicUrl: SITE } });
      const { username, email } = await registerWithEmail(app, slow);
      expect((await askForLink(app, username)).status).toBe(303);
      expect(mailsTo(email, slow)).toEqual([]);
      await waitFor(() => mailsTo(email, slow)[0], { timeoutMs: 10_000 });
    } finally {
      await slow.close();
    }
  });

  it('when there is no SMTP server, then the form answers the same, nothing is stored, and the log says no mail could be sent', async () => {
    const logs = captureLogs();
    const app = createApp({ config: { ...testConfig, smtpUrl: undefined }, db: t.db, logger: logs.logger });
    const { username } = await registerWithEmail(app, null);
    const res = await askForLink(app, username);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/forgot');
    await waitFor(() => logs.entries().find((e) => e.passwordReset === 'mail_disabled'), { timeoutMs: 5000 });
    expect(await t.db('password_resets').first()).toBeUndefined();
  });

  it('when a link is opened, then the request log names /reset/… without its token', async () => {
    const logs = captureLogs();
    const app = createApp({ config: { ...testConfig, smtpUrl: smtp.url, publicUrl: SITE }, db: t.db, logger: logs.logger });
    const { username, email } = await registerWithEmail(app);
    await askForLink(app, username);
    const path = linkPath(await mailTo(email));
    expect((await request(app).get(path)).status).toBe(200);
    expect(logs.text()).not.toContain(path.slice('/reset/'.length));
    expect(logs.entries().some((e) => e.req?.url === '/reset/…')).toBe(true);
  });
});

describe('reset limits', () => {
  it('when one account is asked for too often, then 429 with Retry-After and the form again, and other accounts are unaffected', async () => {
    const app = appWithMail({ resetLimits: { perAccount: 2, perIp: 50, windowSeconds: 3600 } });
    const { username, email } = await registerWithEmail(app);
    const other = await registerWithEmail(app);
    const statuses = [];
    for (const identifier of [username, username.toUpperCase(), ` ${username} `]) statuses.push((await askForLink(app, identifier)).status);
    expect(statuses).toEqual([303, 303, 429]);
    const limited = await askForLink(app, username);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toContain('Too many requests');
    expect(limited.text).toContain('name="identifier"');
    expect((await askForLink(app, other.username)).status).toBe(303);
    await mailTo(other.email);
    await mailTo(email, 2);
    expect(mailsTo(email)).toHaveLength(2);
  });

  it('when one IP asks for too many accounts, then 429 whoever it names', async () => {
    const app = appWithMail({ resetLimits: { perAccount: 5, perIp: 3, windowSeconds: 3600 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await askForLink(app, uniqueName('ghost'))).status);
    expect(statuses).toEqual([303, 303, 303, 429]);
  });
});

describe('npm run user:reset-link', () => {
  const SCRIPT = 'src/password-resets/reset-link.cli.ts';

  it('when PUBLIC_URL is set, then it prints a link that sets the password once', async () => {
    const app = createTestApp(t.db);
    const { username } = await registerWithEmail(app, null);
    const result = await runCli(SCRIPT, [username], t.config, { PUBLIC_URL: SITE });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`A password reset link for ${username}`);
    const path = new RegExp(`${SITE}(/reset/[A-Za-z0-9_-]{43})\\n`).exec(result.stdout)?.[1];
    expect(path).toBeDefined();
    expect((await setPassword(app, path!)).res.status).toBe(303);
    expect(await loginStatus(app, username, NEW_PASSWORD)).toBe(303);
  }, 60_000);

  it('when PUBLIC_URL is unset, then it prints the path and says to put the site in front; for an unknown name, exit 1', async () => {
    const app = createTestApp(t.db);
    const { username } = await registerWithEmail(app, null);
    const result = await runCli(SCRIPT, [username], t.config);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\/reset\/[A-Za-z0-9_-]{43}$/m);
    expect(result.stdout).toContain("put the site's address in front");
    const ghost = uniqueName('ghost');
    const unknown = await runCli(SCRIPT, [ghost], t.config);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`No user named “${ghost}”`);
  }, 60_000);
});
