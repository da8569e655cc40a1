// App passwords follow the account's trust: a new account password (changed, or reset by mail)
// revokes every one of them, and making one asks for the account password again unless the
// listener logged in a few minutes ago.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createUsersRepository } from '../../src/accounts/users.repository.js';
import { createPasswordResetsRepository } from '../../src/password-resets/password-resets.repository.js';
import { createPasswordResetsService } from '../../src/password-resets/password-resets.service.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { type Agent, ageLoginProof, csrfFrom, loginAs, PASSWORD, registerAs, whoAmI } from '../helpers/session.js';

const t = useTestDb();
type App = ReturnType<typeof createTestApp>;
const NEW_PASSWORD = 'a brand new passphrase';

async function makeAppPassword(agent: Agent, form: Record<string, string> = {}) {
  return agent
    .post('/account/app-passwords')
    .type('form')
    .send({ _csrf: await csrfFrom(agent, '/account'), name: 'Phone', ...form });
}
const shown = (res: request.Response) => /<code class="app-password">([a-z0-9]+)<\/code>/.exec(res.text)?.[1];

const pingAs = async (app: App, username: string, appPassword: string) =>
  (await request(app).get('/rest/ping.view').query({ u: username, p: appPassword, f: 'json' })).body['subsonic-response'];
const pingWithKey = async (app: App, apiKey: string) => (await request(app).get('/rest/ping.view').query({ apiKey, f: 'json' })).body['subsonic-response'];

describe('a new account password', () => {
  it('when the password is changed, then the page has said so, every app password stops working, other devices are logged out and this one is not', async () => {
    const app = createTestApp(t.db);
    const { agent, username } = await registerAs(app);
    const phone = shown(await makeAppPassword(agent))!;
    const tv = shown(await makeAppPassword(agent))!;
    const otherDevice = await loginAs(app, username);
    expect((await pingAs(app, username, phone)).status).toBe('ok');
    expect((await pingWithKey(app, tv)).status).toBe('ok');

    const page = (await agent.get('/account')).text;
    expect(page).toMatch(/Changing it logs out every other device logged in to your account, and revokes your\s+2 app passwords/);
    const res = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: await csrfFrom(agent, '/account'), currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(303);
    expect((await agent.get('/account')).text).toContain('your app passwords revoked');

    expect((await pingAs(app, username, phone)).error).toMatchObject({ code: 40 });
    expect((await pingWithKey(app, tv)).error).toMatchObject({ code: 44 });
    expect(await t.db('app_passwords').first()).toBeUndefined();
    expect(await whoAmI(agent)).toBe(username);
    expect(await whoAmI(otherDevice)).toBeUndefined();
  });

  it('when the password is reset through a link, then every app password stops working too, and the page said so', async () => {
    const app = createTestApp(t.db);
    const { agent, username } = await registerAs(app);
    const phone = shown(await makeAppPassword(agent))!;
    const resets = createPasswordResetsService({ users: createUsersRepository(t.db), resets: createPasswordResetsRepository(t.db) });
    const { path } = (await resets.linkFor(username))!;
    const browser = request.agent(app);
    const page = await browser.get(path);
    expect(page.text).toContain('and its app passwords revoked');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    expect((await browser.post(path).type('form').send({ _csrf, password: NEW_PASSWORD })).status).toBe(303);
    expect((await pingAs(app, username, phone)).error).toMatchObject({ code: 40 });
    expect(await t.db('app_passwords').first()).toBeUndefined();
    expect(await whoAmI(agent)).toBeUndefined();
  });
});

describe('making an app password', () => {
  it('when the listener logged in a minute ago, then no password is asked', async () => {
    const { agent } = await registerAs(createTestApp(t.db));
    await ageLoginProof(t.db, 1);
    expect((await agent.get('/account')).text).not.toContain('name="accountPassword"');
    const res = await makeAppPassword(agent);
    expect(res.status).toBe(201);
    expect(shown(res)).toMatch(/^[a-z0-9]{24}$/);
  });

  it('when the login is older than a few minutes, then the form asks for the password: none or a wrong one is a 400 on that form, the right one makes it', async () => {
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    await ageLoginProof(t.db, 6);
    expect((await agent.get('/account')).text).toContain('name="accountPassword"');

    const missing = await makeAppPassword(agent);
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(/Your password is required: you logged in more than 5 minutes ago/);
    expect(missing.text).toContain('value="Phone"');
    expect(shown(missing)).toBeUndefined();
    const wrong = await makeAppPassword(agent, { accountPassword: 'not my password' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Your password is wrong');
    expect(await t.db('app_passwords').first()).toBeUndefined();

    const right = await makeAppPassword(agent, { accountPassword: PASSWORD });
    expect(right.status).toBe(201);
    expect(shown(right)).toBeDefined();
    // Typing it proved it again: the next one, right after, needs none.
    expect((await makeAppPassword(agent)).status).toBe(201);
  });
});

describe('what an app needs, on the account page', () => {
  it('when a listener opens the account page, then it shows the server address to type into an app, from PUBLIC_URL or the request', async () => {
    const local = createTestApp(t.db);
    const { agent } = await registerAs(local);
    const page = await agent.get('/account').set('Host', 'music.localhost:8080');
    expect(page.text).toContain('<input id="server-address" type="text" value="http://music.localhost:8080" readonly');
    expect(page.text).toContain('data-copy="#server-address"');

    const published = createTestApp(t.db, { config: { publicUrl: 'http://stereodose.example' } });
    const { agent: there } = await registerAs(published);
    expect((await there.get('/account').set('Host', 'elsewhere.localhost')).text).toContain('value="http://stereodose.example" readonly');
  });

  it('when an app password is made, then it is shown once in a read-only field with a Copy button the site script reveals', async () => {
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    const made = await makeAppPassword(agent);
    const password = shown(made)!;
    expect(made.text).toContain(`<input id="new-app-password" type="text" value="${password}" readonly`);
    expect(made.text).toContain(
      '<button type="button" class="button small" data-copy="#new-app-password" data-copied="App password copied." hidden>Copy</button>',
    );
    expect((await agent.get('/account')).text).not.toContain(password);
  });
});
