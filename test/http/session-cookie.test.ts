// The session cookie as a browser on an https site gets it: `__Host-` prefixed, Secure, HttpOnly,
// SameSite=Lax, Path=/ and no Domain whenever the site is https (an https PUBLIC_URL, or a trusted
// proxy saying the request came over https); the plain name, without Secure, on plain http.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { PASSWORD, registerAs, uniqueName } from '../helpers/session.js';

const t = useTestDb();
type App = ReturnType<typeof createTestApp>;

const setCookies = (res: request.Response) => (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
const attributes = (cookie: string) =>
  cookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().split('=')[0]!.toLowerCase())
    .sort();

/**
 * A browser behind a TLS proxy: every request says X-Forwarded-Proto: https, and cookies come
 * back as a browser would send them to https pages (Secure ones included).
 */
function httpsBrowser(app: App) {
  const jar = new Map<string, string>();
  const remember = (res: request.Response) => {
    for (const cookie of setCookies(res)) {
      const [pair] = cookie.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (/expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  return {
    jar,
    get: async (path: string) => remember(await request(app).get(path).set('X-Forwarded-Proto', 'https').set('Cookie', cookie())),
    post: async (path: string, form: Record<string, string>) =>
      remember(await request(app).post(path).set('X-Forwarded-Proto', 'https').set('Cookie', cookie()).type('form').send(form)),
  };
}

const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe('the session cookie', () => {
  it('when PUBLIC_URL is https, then a listener registers, logs out and logs in with a __Host- cookie that is Secure, host-only and path /', async () => {
    const app = createTestApp(t.db, { config: { publicUrl: 'https://stereodose.example', trustProxy: 'loopback' } });
    const browser = httpsBrowser(app);
    const page = await browser.get('/register');
    const [cookie] = setCookies(page);
    expect(cookie).toMatch(/^__Host-stereodose\.sid=/);
    expect(attributes(cookie!)).toEqual(['expires', 'httponly', 'path', 'samesite', 'secure']);
    expect(cookie).toContain('; Path=/;');
    expect(cookie).toContain('SameSite=Lax');

    const username = uniqueName();
    expect((await browser.post('/register', { _csrf: csrfIn(page.text), username, password: PASSWORD })).status).toBe(303);
    expect((await browser.get('/account')).text).toContain(`Logged in as <strong>${username}</strong>`);
    const logout = await browser.post('/logout', { _csrf: csrfIn((await browser.get('/account')).text) });
    expect(setCookies(logout).find((c) => c.startsWith('__Host-stereodose.sid=;'))).toMatch(/Secure/);
    expect((await browser.get('/account')).status).toBe(303);

    const login = await browser.get('/login');
    expect((await browser.post('/login', { _csrf: csrfIn(login.text), username, password: PASSWORD })).status).toBe(303);
    expect((await browser.get('/account')).status).toBe(200);
    expect([...browser.jar.keys()]).toEqual(['__Host-stereodose.sid']);
  });

  it('when PUBLIC_URL is https but a request arrives over plain http, then it gets no cookie at all, never one without Secure', async () => {
    const app = createTestApp(t.db, { config: { publicUrl: 'https://stereodose.example', trustProxy: 'loopback' } });
    const res = await request(app).get('/register').expect(200);
    expect(setCookies(res)).toEqual([]);
  });

  it('when only a trusted proxy says https (no PUBLIC_URL), then that request gets the __Host- cookie; plain http the plain one, without Secure', async () => {
    const app = createTestApp(t.db, { config: { trustProxy: 'loopback' } });
    const overHttps = setCookies(await request(app).get('/login').set('X-Forwarded-Proto', 'https'));
    expect(overHttps[0]).toMatch(/^__Host-stereodose\.sid=.*; Secure; SameSite=Lax$/);
    const overHttp = setCookies(await request(app).get('/login'));
    expect(overHttp[0]).toMatch(/^stereodose\.sid=/);
    expect(attributes(overHttp[0]!)).toEqual(['expires', 'httponly', 'path', 'samesite']);
    // An untrusted client saying https changes nothing.
    const untrusted = createTestApp(t.db, { config: { trustProxy: false } });
    expect(setCookies(await request(untrusted).get('/login').set('X-Forwarded-Proto', 'https'))[0]).toMatch(/^stereodose\.sid=/);
  });

  it('when the site is https, then Subsonic apps and embeds, which use no cookie, work as before', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 3);
    const app = createTestApp(t.db, { config: { publicUrl: 'https://stereodose.example', trustProxy: 'loopback' } });
    const browser = httpsBrowser(app);
    const page = await browser.get('/register');
    const username = uniqueName();
    await browser.post('/register', { _csrf: csrfIn(page.text), username, password: PASSWORD });
    const made = await browser.post('/account/app-passwords', { _csrf: csrfIn((await browser.get('/account')).text), name: 'Phone' });
    const appPassword = /<code class="app-password">([a-z0-9]+)<\/code>/.exec(made.text)![1]!;
    const ping = await request(app).get('/rest/ping.view').query({ u: username, p: appPassword, f: 'json' }).set('X-Forwarded-Proto', 'https');
    expect(ping.body['subsonic-response'].status).toBe('ok');
    expect(setCookies(ping)).toEqual([]);
    const embed = await request(app).get(`/embed/${genre.drugSlug}/${genre.moodSlug}`).set('X-Forwarded-Proto', 'https').expect(200);
    expect(setCookies(embed)).toEqual([]);
    expect(embed.text).toContain(`href="https://stereodose.example/playlist/${genre.drugSlug}/${genre.moodSlug}"`);
  });

  it('when the site is plain http, then the cookie keeps its plain name and registering through the usual helpers works', async () => {
    const { agent } = await registerAs(createTestApp(t.db));
    expect((await agent.get('/account')).status).toBe(200);
  });
});
