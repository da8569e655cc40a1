// Email addresses prove themselves before they are used: a real SMTP server receives the mail, and
// the test follows its links as the address's owner would.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createApp } from '../../src/app.js';
import { testConfig } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { type CapturedLogs, captureLogs } from '../helpers/logs.js';
import { type Agent, csrfFrom, PASSWORD, uniqueName } from '../helpers/session.js';
import { confirmAddress, headerOf, linkPathIn, partOf, type ReceivedMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestDb();
const SITE = 'http://stereodose.example';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp?.close());

/** The app with mail, logging to memory: /forgot's outcome (mail sent or not) is logged once it is known. */
let logs: CapturedLogs;
/** How many /forgot requests this test's app has answered. */
let asked = 0;
function appWithMail(config: Partial<Config> = {}) {
  logs = captureLogs();
  asked = 0;
  return createApp({ config: { ...testConfig, smtpUrl: smtp.url, publicUrl: SITE, ...config }, db: t.db, logger: logs.logger });
}
type App = ReturnType<typeof appWithMail>;

const isReset = (mail: ReceivedMail) => headerOf(mail.raw, 'Subject') === 'Reset your Stereodose password';
const confirmationsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email) && !isReset(m));
const resetsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email) && isReset(m));
const nth = (list: () => ReceivedMail[], n: number, what: string) => waitFor(() => list()[n - 1], { timeoutMs: 10_000, why: () => `(no ${what} number ${n})` });
const confirmationTo = (email: string, n = 1) => nth(() => confirmationsTo(email), n, `confirmation to ${email}`);
const resetTo = (email: string, n = 1) => nth(() => resetsTo(email), n, `reset mail to ${email}`);

async function register(app: App, username: string, email: string) {
  const agent = request.agent(app);
  const _csrf = await csrfFrom(agent, '/register');
  const res = await agent.post('/register').type('form').send({ _csrf, username, password: PASSWORD, email });
  expect(res.status).toBe(303);
  return agent;
}

async function askForLink(app: App, identifier: string) {
  const agent = request.agent(app);
  const _csrf = await csrfFrom(agent, '/login');
  const res = await agent.post('/forgot').type('form').send({ _csrf, identifier });
  if (res.status === 303) asked++;
  return res;
}

/** Waits until every /forgot so far has its outcome logged (its mail, if any, sent): what was not sent never will be. */
async function settle() {
  await waitFor(() => (logs.entries().filter((e) => e.passwordReset !== undefined).length >= asked ? true : undefined), { timeoutMs: 10_000 });
}

async function post(agent: Agent, path: string, form: Record<string, string>) {
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: await csrfFrom(agent, '/account'), ...form });
}

describe('confirming an address', () => {
  it('when a listener registers with an email, then it is mailed a link naming no account, and until it is confirmed /forgot mails it nothing', async () => {
    const app = appWithMail();
    const username = uniqueName('conf');
    const email = `${username}@listeners.example`;
    const agent = await register(app, username, email);
    expect((await agent.get('/account')).text).toContain('not confirmed yet');

    const mail = await confirmationTo(email);
    expect(headerOf(mail.raw, 'Subject')).toBe('Confirm your email address for Stereodose');
    const text = partOf(mail.raw, 'text/plain');
    expect(text.split(/\r?\n/)[0]).toBe('Hello,');
    expect(text).not.toContain(username);
    expect(partOf(mail.raw, 'text/html')).not.toContain(username);
    const path = linkPathIn(mail, '/verify-email/');

    for (const identifier of [username, email]) expect((await askForLink(app, identifier)).status).toBe(303);
    await settle();
    expect(resetsTo(email)).toEqual([]);
    expect(await t.db('password_resets').first()).toBeUndefined();

    // Opening the link (as a mail scanner does) confirms nothing; its page names the account and the address.
    const page = await request(app).get(path).expect(200);
    expect(page.text).toContain(username);
    expect(page.text).toContain(email);
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await t.db('users').where('username', username).first()).email_verified_at).toBeNull();

    await confirmAddress(app, mail);
    expect((await agent.get('/account')).text).toContain('confirmed: a password reset can be mailed to it');
    expect((await askForLink(app, email)).status).toBe(303);
    expect(linkPathIn(await resetTo(email), '/reset/')).toMatch(/^\/reset\//);
  });

  it('when a link is used twice, expired, unknown or for an address the account no longer has, then it confirms nothing (410 or 400, never a 500)', async () => {
    const app = appWithMail();
    const username = uniqueName('conf');
    const email = `${username}@listeners.example`;
    const agent = await register(app, username, email);
    const first = await confirmationTo(email);
    await confirmAddress(app, first);
    const used = await request(app).get(linkPathIn(first, '/verify-email/'));
    expect(used.status).toBe(410);
    expect(used.text).toContain('already used');

    expect((await request(app).get(`/verify-email/${'A'.repeat(43)}`)).status).toBe(400);
    expect((await request(app).get('/verify-email/short')).status).toBe(400);
    expect((await request(app).get(`/verify-email/${'%E2%80%9C'.repeat(20)}`)).status).toBe(400);

    const other = `${uniqueName('other')}@listeners.example`;
    expect((await post(agent, '/account/email', { email: other, emailPassword: PASSWORD })).status).toBe(303);
    const second = await confirmationTo(other);
    await t.db('email_verifications').update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await request(app).get(linkPathIn(second, '/verify-email/'));
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('expired');

    expect((await post(agent, '/account/email/confirm', {})).status).toBe(303);
    const third = await confirmationTo(other, 2);
    expect((await post(agent, '/account/email', { email: `${uniqueName('third')}@listeners.example`, emailPassword: PASSWORD })).status).toBe(303);
    expect((await request(app).get(linkPathIn(third, '/verify-email/'))).status).toBe(400);
    expect((await t.db('users').where('username', username).first()).email_verified_at).toBeNull();
  });

  it('when the address is changed, then it takes the password, is unconfirmed again, and reset links mailed to the old one stop working', async () => {
    const app = appWithMail();
    const username = uniqueName('conf');
    const email = `${username}@listeners.example`;
    const agent = await register(app, username, email);
    await confirmAddress(app, await confirmationTo(email));
    await askForLink(app, username);
    const oldReset = linkPathIn(await resetTo(email), '/reset/');

    const wrong = await post(agent, '/account/email', { email: 'new@listeners.example', emailPassword: 'not my password' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Your password is wrong');
    expect(wrong.text).toContain('value="new@listeners.example"');
    expect((await t.db('users').where('username', username).first()).email).toBe(email);

    const newEmail = `${uniqueName('moved')}@listeners.example`;
    expect((await post(agent, '/account/email', { email: newEmail, emailPassword: PASSWORD })).status).toBe(303);
    expect((await agent.get('/account')).text).toContain(`We sent a link to ${newEmail}`);
    expect((await request(app).get(oldReset)).status).toBe(400);
    await askForLink(app, username);
    await settle();
    expect(resetsTo(newEmail)).toEqual([]);
    expect(resetsTo(email)).toHaveLength(1);

    await confirmAddress(app, await confirmationTo(newEmail));
    await askForLink(app, username);
    await resetTo(newEmail);
  });

  it('when someone registers a name like www.evil.example with another person’s address, then that person gets one confirmation mail without it, and no reset', async () => {
    const app = appWithMail();
    const victim = `${uniqueName('victim')}@listeners.example`;
    await register(app, `www.evil${uniqueName('')}.example`, victim);
    const mail = await confirmationTo(victim);
    expect(mail.raw).not.toMatch(/evil/);
    expect((await askForLink(app, victim)).status).toBe(303);
    await settle();
    expect(smtp.mails.filter((m) => m.to.includes(victim))).toHaveLength(1);
  });
});

describe('one request, one mail', () => {
  it('when /forgot names an address several accounts confirmed, then one mail greets no one and links each confirmed account; an unconfirmed one is left out', async () => {
    // Each registration's confirmation mail counts against the address's mail limit too.
    const app = appWithMail({ resetLimits: { perAccount: 10, perIp: 50, windowSeconds: 3600 } });
    const email = `${uniqueName('shared')}@listeners.example`;
    const names = [uniqueName('first'), uniqueName('second'), uniqueName('unconfirmed')];
    for (const [i, name] of names.entries()) {
      await register(app, name, email);
      const mail = await confirmationTo(email, i + 1);
      if (i < 2) await confirmAddress(app, mail);
    }
    expect((await askForLink(app, email.toUpperCase())).status).toBe(303);
    const mail = await resetTo(email);
    await settle();
    expect(resetsTo(email)).toHaveLength(1);
    const text = partOf(mail.raw, 'text/plain');
    expect(text.split(/\r?\n/)[0]).toBe('Hello,');
    expect(partOf(mail.raw, 'text/html')).toMatch(/<body>\s*<p>Hello,<\/p>/);
    expect(text).toContain(`“${names[0]}”:`);
    expect(text).toContain(`“${names[1]}”:`);
    expect(text).not.toContain(names[2]!);
    expect(text.match(/\/reset\/[A-Za-z0-9_-]{43}/g)).toHaveLength(2);
    expect(await t.db('password_resets').count({ n: '*' }).first()).toMatchObject({ n: 2 });
  });

  it('when the confirmation link is asked for again and again, then the address’s mail limit answers 429 on the account page', async () => {
    const app = appWithMail({ resetLimits: { perAccount: 3, perIp: 50, windowSeconds: 3600 } });
    const username = uniqueName('again');
    const email = `${username}@listeners.example`;
    const agent = await register(app, username, email); // the first link counts too
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(agent, '/account/email/confirm', {})).status);
    expect(statuses).toEqual([303, 303, 429]);
    const limited = await post(agent, '/account/email/confirm', {});
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toContain('Too many requests');
    await confirmationTo(email, 3);
    await settle();
    expect(confirmationsTo(email)).toHaveLength(3);
  });
});
