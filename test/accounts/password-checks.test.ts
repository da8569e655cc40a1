// Every check of an account's password is limited like the login: per account and IP, and per
// IP, answering 429 with Retry-After and the form again, before any hashing. The website's checks
// and the apps' (/rest) are counted apart, each against the credential's owner.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { type Agent, ageLoginProof, csrfFrom, loginAs, PASSWORD, registerAs } from '../helpers/session.js';

const t = useTestDb();
type App = ReturnType<typeof createTestApp>;

/** The account page's forms that ask for the password, each with a wrong password and the right one. */
const FORMS = {
  '/account/delete': (password: string) => ({ password }),
  '/account/password': (password: string) => ({ currentPassword: password, newPassword: 'a brand new passphrase' }),
  '/account/email': (password: string) => ({ email: 'new@listeners.example', emailPassword: password }),
  '/account/app-passwords': (password: string) => ({ name: 'Phone', accountPassword: password }),
} as const;
type Form = keyof typeof FORMS;

async function post(agent: Agent, path: Form, password: string) {
  const _csrf = await csrfFrom(agent, '/account');
  return agent
    .post(path)
    .type('form')
    .send({ _csrf, ...FORMS[path](password) });
}

const appPasswordOf = async (agent: Agent) => {
  const made = await agent
    .post('/account/app-passwords')
    .type('form')
    .send({ _csrf: await csrfFrom(agent, '/account'), name: 'Phone' });
  expect(made.status).toBe(201);
  return /<code class="app-password">([a-z0-9]+)<\/code>/.exec(made.text)![1]!;
};

const ping = (app: App, query: Record<string, string>) =>
  request(app)
    .get('/rest/ping.view')
    .query({ v: '1.16.1', c: 'test', f: 'json', ...query });
const answer = (res: request.Response) => res.body['subsonic-response'];

describe('the account page’s password checks', () => {
  it.each(Object.keys(FORMS) as Form[])(
    'when %s is tried with wrong passwords, then the sixth try is 429 with Retry-After on the form, even with the right password, and nothing changed',
    async (path) => {
      const app = createTestApp(t.db);
      const { agent, username } = await registerAs(app);
      const before = await t.db('users').where('username', username).first();
      await ageLoginProof(t.db, 10); // making an app password asks for it only then
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(agent, path, `wrong-${i}`)).status);
      expect(statuses).toEqual([400, 400, 400, 400, 400]);
      const limited = await post(agent, path, PASSWORD);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.text).toContain('Too many attempts');
      expect(limited.text).toContain(`action="${path}"`);
      expect(limited.text).toContain('Your account');
      // Nothing happened: the account, its password, its email and its app passwords are as they were.
      expect(await t.db('users').where('username', username).first()).toEqual(before);
      expect(await t.db('app_passwords').first()).toBeUndefined();
      expect((await agent.get('/account')).status).toBe(200);
    },
  );

  it('when one listener spends their limit, then another listener from the same IP still changes their password', async () => {
    const app = createTestApp(t.db);
    const guesser = await registerAs(app);
    const other = await registerAs(app);
    for (let i = 0; i < 6; i++) await post(guesser.agent, '/account/delete', `wrong-${i}`);
    expect((await post(other.agent, '/account/password', PASSWORD)).status).toBe(303);
  });

  it('when the right password is given, then the earlier failures are forgiven', async () => {
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    for (let i = 0; i < 4; i++) expect((await post(agent, '/account/email', `wrong-${i}`)).status).toBe(400);
    expect((await post(agent, '/account/email', PASSWORD)).status).toBe(303);
    for (let i = 0; i < 4; i++) expect((await post(agent, '/account/email', `wrong-${i}`)).status).toBe(400);
  });
});

describe('apps and the website count apart', () => {
  it('when an app with a stale password fails five times, then its owner still logs in on the website from that IP, and the reverse', async () => {
    const app = createTestApp(t.db);
    const { agent, username } = await registerAs(app);
    const appPassword = await appPasswordOf(agent);
    for (let i = 0; i < 6; i++) expect(answer(await ping(app, { u: username, p: `stale-${i}` })).status).toBe('failed');
    expect(answer(await ping(app, { u: username, p: appPassword })).error.message).toMatch(/Too many attempts/);
    expect(await loginAs(app, username)).toBeDefined();

    const other = await registerAs(app);
    const otherPassword = await appPasswordOf(other.agent);
    const browser = request.agent(app);
    const _csrf = await csrfFrom(browser);
    for (let i = 0; i < 5; i++)
      await browser
        .post('/login')
        .type('form')
        .send({ _csrf, username: other.username, password: `wrong-${i}` });
    expect((await browser.post('/login').type('form').send({ _csrf, username: other.username, password: PASSWORD })).status).toBe(429);
    expect(answer(await ping(app, { u: other.username, p: otherPassword })).status).toBe('ok');
  });

  it('when wrong API keys are tried from one IP, then each counts against its own hash: another listener’s key from that IP still works', async () => {
    const app = createTestApp(t.db);
    const mine = await registerAs(app);
    const theirs = await registerAs(app);
    const myKey = await appPasswordOf(mine.agent);
    const theirKey = await appPasswordOf(theirs.agent);
    for (let i = 0; i < 5; i++) expect(answer(await ping(app, { apiKey: 'a-stale-key-of-mine' })).error.code).toBe(44);
    expect(answer(await ping(app, { apiKey: 'a-stale-key-of-mine' })).error.message).toMatch(/Too many attempts/);
    expect(answer(await ping(app, { apiKey: theirKey })).status).toBe('ok');
    expect(answer(await ping(app, { apiKey: myKey })).status).toBe('ok');
    // Nor do key failures touch a username's counter.
    expect(answer(await ping(app, { u: mine.username, p: myKey })).status).toBe('ok');
  });

  it('when an IP tries more than the per-IP limit of credentials in apps, then every claimant from it is refused', async () => {
    const app = createTestApp(t.db, { config: { loginLimits: { perUsernameAndIp: 5, perIp: 8, registrationsPerIp: 10, windowSeconds: 900 } } });
    const { agent, username } = await registerAs(app);
    const appPassword = await appPasswordOf(agent);
    for (let i = 0; i < 8; i++) await ping(app, { u: `nobody-${i}`, p: 'x' });
    expect(answer(await ping(app, { u: username, p: appPassword })).error.message).toMatch(/Too many attempts/);
    expect(await loginAs(app, username)).toBeDefined(); // the website's per-IP counter is its own
  });
});
