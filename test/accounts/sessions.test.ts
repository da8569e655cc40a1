// Session lifetime through HTTP and the `sessions` table (sid, sess, expired) only — not through
// the store's class — so any store that keeps that table and the same behaviour passes.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { accountHolder, registerAs, sessionCookie, sessionCookieOf, sidOf } from '../helpers/session.js';

const t = useTestDb();

const SECRET_A = 'first-secret-aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SECRET_B = 'second-secret-bbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const withSecrets = (...sessionSecrets: string[]) => createTestApp(t.db, { config: { sessionSecrets } });

/** Who /account says is logged in with this cookie; undefined when it sends the visitor to log in. */
async function whoIs(app: ReturnType<typeof createTestApp>, cookie: string) {
  const res = await request(app).get('/account').set('Cookie', cookie);
  return { res, username: accountHolder(res) };
}

/** A listener registered (and so logged in) on `app`: their username and session cookie. */
async function loggedIn(app: ReturnType<typeof createTestApp>) {
  const { agent, username } = await registerAs(app);
  const cookie = await sessionCookieOf(agent);
  if (!cookie) throw new Error('registering set no session cookie');
  return { username, cookie, sid: sidOf(cookie) };
}

describe('session secret rotation', () => {
  it('when the secrets become [B, A], then a cookie signed with A still logs in, and comes back signed with B for the same session', async () => {
    const { username, cookie, sid } = await loggedIn(withSecrets(SECRET_A));
    const rotated = withSecrets(SECRET_B, SECRET_A);
    const { res, username: seen } = await whoIs(rotated, cookie);
    expect(seen).toBe(username);
    const resigned = sessionCookie(res);
    expect(resigned).toBeDefined();
    expect(resigned).not.toBe(cookie);
    expect(sidOf(resigned!)).toBe(sid);
    // Signed with B: an app that knows B alone accepts it.
    expect((await whoIs(withSecrets(SECRET_B), resigned!)).username).toBe(username);
  });

  it('when A is dropped and the secrets are [B] alone, then a cookie signed with A is anonymous and a user page sends it to /login', async () => {
    const { username, cookie } = await loggedIn(withSecrets(SECRET_A));
    expect((await whoIs(withSecrets(SECRET_A), cookie)).username).toBe(username);
    const { res, username: seen } = await whoIs(withSecrets(SECRET_B), cookie);
    expect(seen).toBeUndefined();
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Faccount');
  });
});

const MYSQL_DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

/** The `expired` column as a Date, whichever way the store writes it (DATETIME, ISO text or epoch ms). */
function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  return new Date(MYSQL_DATETIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
}

/** `moment` written the way the store wrote `like`, so that the store's own comparison reads it. */
function inFormatOf(like: unknown, moment: Date): unknown {
  if (like instanceof Date) return moment;
  if (typeof like === 'number') return moment.getTime();
  return MYSQL_DATETIME.test(String(like)) ? moment.toISOString().slice(0, 19).replace('T', ' ') : moment.toISOString();
}

const sessionRow = async (sid: string) => t.db('sessions').where('sid', sid).first('sid', 'expired');
async function setExpiry(sid: string, moment: Date) {
  const row = await sessionRow(sid);
  await t
    .db('sessions')
    .where('sid', sid)
    .update({ expired: inFormatOf(row.expired, moment) });
}

describe('idle session timeout', () => {
  const IDLE_MINUTES = 30;
  const idleApp = () => createTestApp(t.db, { config: { sessionIdleMinutes: IDLE_MINUTES } });

  it('when a session’s expiry has passed, then the next request is anonymous and a user page sends it to /login', async () => {
    const app = idleApp();
    const { username, cookie, sid } = await loggedIn(app);
    expect((await whoIs(app, cookie)).username).toBe(username);
    await setExpiry(sid, new Date(Date.now() - 60_000));
    for (const page of ['/account', '/favorites']) {
      const res = await request(app).get(page).set('Cookie', cookie);
      expect([page, res.status, res.headers.location]).toEqual([page, 303, `/login?next=${encodeURIComponent(page)}`]);
    }
  });

  it('when a logged-in listener makes a request, then the session’s expiry moves to the idle timeout from now (rolling)', async () => {
    const app = idleApp();
    const idleMs = IDLE_MINUTES * 60_000;
    const loginStarted = Date.now();
    const { username, cookie, sid } = await loggedIn(app);
    const atLogin = asDate((await sessionRow(sid)).expired).getTime();
    // DATETIME keeps whole seconds, hence a second of slack below.
    expect(atLogin).toBeGreaterThanOrEqual(loginStarted + idleMs - 1000);
    expect(atLogin).toBeLessThanOrEqual(Date.now() + idleMs);

    expect((await whoIs(app, cookie)).username).toBe(username); // the first page changes the session (its CSRF token); later ones need not

    // Nearly idle for the whole timeout: two minutes left.
    await setExpiry(sid, new Date(Date.now() + 2 * 60_000));
    const before = Date.now();
    const { res, username: seen } = await whoIs(app, cookie);
    expect(seen).toBe(username);
    const after = Date.now();
    // The server's copy lives on…
    const refreshed = asDate((await sessionRow(sid)).expired).getTime();
    expect(refreshed).toBeGreaterThanOrEqual(before + idleMs - 1000);
    expect(refreshed).toBeLessThanOrEqual(after + idleMs);
    // …and so does the browser's: the cookie comes back with the new expiry.
    const setCookie = ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('stereodose.sid='));
    const expires = Date.parse(/; Expires=([^;]+)/i.exec(setCookie ?? '')?.[1] ?? '');
    expect(expires).toBeGreaterThanOrEqual(before + idleMs - 1000); // HTTP dates keep whole seconds
    expect(expires).toBeLessThanOrEqual(after + idleMs);
  });
});
