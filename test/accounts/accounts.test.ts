import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { prepareDatabase } from '../../src/db/prepare.js';
import { createLogger } from '../../src/logger.js';
import { createTestApp, testConfig } from '../helpers/app.js';
import { testDatabaseConfig, useTestDb } from '../helpers/db.js';
import { forgetDatabase } from '../helpers/own-database.js';
import { csrfFrom, loginAs, PASSWORD, registerAs, sessionCookie, uniqueName, whoAmI } from '../helpers/session.js';

const t = useTestDb();
const userRow = (username: string) => t.db('users').where('username', username).first();

describe('registration', () => {
  it('when a listener registers, then they are logged in, stored with an argon2id hash and are not an admin even if they ask', async () => {
    const app = createTestApp(t.db);
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent, '/register');
    const username = uniqueName();
    const res = await agent.post('/register').type('form').send({ _csrf, username, password: PASSWORD, is_admin: '1', isAdmin: 'true' });
    expect(res.status).toBe(303);
    expect(await whoAmI(agent)).toBe(username);
    const row = await userRow(username);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(Boolean(row.is_admin)).toBe(false);
  });

  it('when the app prepares a fresh database on first start, then it has a catalog but no admin and no account at all', async () => {
    const config = testDatabaseConfig('_fresh');
    await forgetDatabase(config);
    try {
      await prepareDatabase({ ...testConfig, database: config, seedDemo: true }, createLogger('silent'));
      const fresh = await createDb(config);
      try {
        expect(Number((await fresh('drugs').count({ n: '*' }).first())!.n)).toBeGreaterThan(0); // the first start did run
        expect(await fresh('users').where('is_admin', true).first()).toBeUndefined();
        expect(await fresh('users').first()).toBeUndefined();
      } finally {
        await fresh.destroy();
      }
    } finally {
      await forgetDatabase(config);
    }
  });

  it('when a username differs only by case, width or spaces, then it is taken', async () => {
    const app = createTestApp(t.db);
    const base = uniqueName('ann');
    await registerAs(app, base);
    for (const variant of [base.toUpperCase(), ` ${base} `, base.replace('a', 'Ａ')]) {
      const agent = request.agent(app);
      const _csrf = await csrfFrom(agent, '/register');
      const res = await agent.post('/register').type('form').send({ _csrf, username: variant, password: PASSWORD });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Username is already taken');
    }
    expect(await t.db('users').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it.each([
    [{ username: 'ok-name', password: 'password123' }, 'Password is one of the most common passwords'],
    [{ username: 'ok-name', password: 'short' }, 'Password must be at least 8 characters'],
    [{ username: 'x'.repeat(40), password: PASSWORD }, 'Username must be at most 32 characters'],
    [{ username: '', password: PASSWORD }, 'Username must be at least 3 characters'],
    [{ username: 'ok-name', password: PASSWORD, email: 'not-an-email' }, 'Email (optional) must be an email address'],
  ])('when the form holds %o, then it is shown again with the message and the values kept', async (fields, message) => {
    const agent = request.agent(createTestApp(t.db));
    const _csrf = await csrfFrom(agent, '/register');
    const res = await agent
      .post('/register')
      .type('form')
      .send({ _csrf, ...fields });
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    if (fields.username) expect(res.text).toContain(`value="${fields.username}"`);
    expect(res.text).not.toContain(`value="${fields.password}"`);
    expect(await t.db('users').first()).toBeUndefined();
  });

  it('when passwords are 200 characters or emoji, then they work', async () => {
    const app = createTestApp(t.db);
    for (const password of ['p'.repeat(200), '🎵🎶 sing me a song 🎶🎵']) {
      const { username } = await registerAs(app, uniqueName(), password);
      expect(await whoAmI(await loginAs(app, username, password))).toBe(username);
    }
  });
});

describe('login and logout', () => {
  it('when a listener logs in, then the session id changes and the old id is anonymous', async () => {
    const app = createTestApp(t.db);
    const { username } = await registerAs(app);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const before = sessionCookie(page);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await agent.post('/login').type('form').send({ _csrf, username, password: PASSWORD });
    const after = sessionCookie(res);
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect((await request(app).get('/account').set('Cookie', before!)).status).toBe(303);
    expect((await request(app).get('/account').set('Cookie', after!)).status).toBe(200);
  });

  it('when the session cookie is set, then it is HttpOnly, SameSite=Lax and carries our name', async () => {
    const res = await request(createTestApp(t.db)).get('/login');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('stereodose.sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('when the user is unknown or the password wrong, then the answer is the same', async () => {
    const app = createTestApp(t.db);
    const { username } = await registerAs(app);
    const attempt = async (name: string, password: string) => {
      const agent = request.agent(app);
      const _csrf = await csrfFrom(agent);
      const res = await agent.post('/login').type('form').send({ _csrf, username: name, password });
      return { status: res.status, body: res.text.replace(/value="[^"]*"/g, 'value=""').replace(/<meta name="csp-nonce" content="[^"]*">/, '') };
    };
    const wrongPassword = await attempt(username, 'not the password');
    const unknownUser = await attempt(uniqueName('ghost'), 'not the password');
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser).toEqual(wrongPassword);
    expect(wrongPassword.body).toContain('Wrong username or password.');
  });

  it.each(['//evil.com', 'https://evil.com/x', '/\\evil.com'])('when next=%s, then login redirects home instead', async (next) => {
    const app = createTestApp(t.db);
    const { username } = await registerAs(app);
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent, `/login?next=${encodeURIComponent(next)}`);
    const res = await agent.post('/login').type('form').send({ _csrf, username, password: PASSWORD, next });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('when next is a local path, then login returns there', async () => {
    const app = createTestApp(t.db);
    const { username } = await registerAs(app);
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent);
    const res = await agent.post('/login').type('form').send({ _csrf, username, password: PASSWORD, next: '/playlist/weed' });
    expect(res.headers.location).toBe('/playlist/weed');
  });

  it('when a user logs out, then the server session is destroyed and replaying the cookie is anonymous', async () => {
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    const account = await agent.get('/account');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(account.text)![1];
    const cookie = (await agent.jar.getCookie('stereodose.sid', { domain: '127.0.0.1', path: '/', script: false, secure: false }))?.toValueString();
    expect(cookie).toBeDefined();
    await agent.post('/logout').type('form').send({ _csrf }).expect(303);
    expect((await request(app).get('/account').set('Cookie', cookie!)).status).toBe(303);
    expect(await t.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('when a session is older than the absolute timeout, then it is logged out', async () => {
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    const row = await t.db('sessions').first();
    const sess = JSON.parse(row.sess);
    sess.createdAt = Date.now() - 31 * 24 * 3_600_000;
    await t
      .db('sessions')
      .where('sid', row.sid)
      .update({ sess: JSON.stringify(sess) });
    expect((await agent.get('/account')).status).toBe(303);
  });
});

describe('brute-force limits', () => {
  it('when a username is guessed too often from one IP, then 429 with Retry-After, and other users are unaffected', async () => {
    const app = createTestApp(t.db);
    const { username } = await registerAs(app);
    const other = await registerAs(app);
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await agent
            .post('/login')
            .type('form')
            .send({ _csrf, username, password: `wrong-${i}` })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await agent.post('/login').type('form').send({ _csrf, username, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toContain('Too many attempts');
    expect(await loginAs(app, other.username)).toBeDefined();
  });
});

describe('change password', () => {
  it('when the password changes, then other sessions end and the new password works', async () => {
    const app = createTestApp(t.db);
    const { agent, username } = await registerAs(app);
    const otherDevice = await loginAs(app, username);
    const _csrf = await csrfFrom(agent, '/account');
    const wrong = await agent.post('/account/password').type('form').send({ _csrf, currentPassword: 'nope', newPassword: 'a brand new passphrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Current password is not your current password');
    const res = await agent.post('/account/password').type('form').send({ _csrf, currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    expect(res.status).toBe(303);
    expect(await whoAmI(agent)).toBe(username);
    expect(await whoAmI(otherDevice)).toBeUndefined();
    expect(await whoAmI(await loginAs(app, username, 'a brand new passphrase'))).toBe(username);
  });
});

describe('CSRF', () => {
  it('when a form is posted without a token, with a foreign token, or cross-site, then 403 and nothing changes', async () => {
    const app = createTestApp(t.db);
    const foreign = await csrfFrom(request.agent(app), '/register');
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent, '/register');
    const send = (body: object, headers: Record<string, string> = {}) =>
      agent
        .post('/register')
        .set(headers)
        .type('form')
        .send({ username: uniqueName(), password: PASSWORD, ...body });
    expect((await send({})).status).toBe(403);
    expect((await send({ _csrf: foreign })).status).toBe(403);
    expect((await send({ _csrf }, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect(await t.db('users').first()).toBeUndefined();
    expect((await send({ _csrf })).status).toBe(303);
  });
});

describe('when the database is down', () => {
  it('when a request carries a session cookie, then the answer is 503 and the process lives on', async () => {
    const appDb = await createDb(t.config);
    const app = createTestApp(appDb);
    const { agent } = await registerAs(app);
    await appDb.destroy();
    const res = await agent.get('/account');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
  });
});
