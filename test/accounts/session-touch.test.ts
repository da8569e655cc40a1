// A logged-in listener's session row is written when its data changes, and otherwise at most once
// per SESSION_TOUCH_SECONDS (only its expiry would move): measured as session writes per page view.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readTimestamp } from '../../src/db/timestamps.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { registerAs, sessionCookieOf, sidOf } from '../helpers/session.js';

const t = useTestDb();

/** INSERTs and UPDATEs of the sessions table while `work` runs. */
async function sessionWrites(work: () => Promise<void>): Promise<number> {
  let writes = 0;
  const onQuery = (q: { sql: string }) => {
    if (/^(insert into|update) [`"]?sessions[`"]?/i.test(q.sql)) writes++;
  };
  t.db.on('query', onQuery);
  try {
    await work();
  } finally {
    t.db.off('query', onQuery);
  }
  return writes;
}

/** A registered listener who has seen /account once (its forms' CSRF token is then in the session). */
async function loggedIn(app: ReturnType<typeof createTestApp>) {
  const { agent } = await registerAs(app);
  const cookie = (await sessionCookieOf(agent))!;
  expect((await request(app).get('/account').set('Cookie', cookie)).status).toBe(200);
  return { cookie, sid: sidOf(cookie) };
}

const storedExpiry = async (sid: string) => readTimestamp((await t.db('sessions').where('sid', sid).first('expired')).expired).getTime();

describe('session writes per page view', () => {
  it('when a logged-in listener views 20 pages within a minute, then their session row is not written once (0 writes per page view)', async () => {
    const app = createTestApp(t.db);
    const { cookie } = await loggedIn(app);
    const writes = await sessionWrites(async () => {
      for (let i = 0; i < 20; i++) expect((await request(app).get('/account').set('Cookie', cookie)).status).toBe(200);
    });
    expect(writes).toBe(0);
  });

  it('when SESSION_TOUCH_SECONDS has passed since the row was written, then the next page view moves its expiry once', async () => {
    const app = createTestApp(t.db, { config: { sessionTouchMs: 1500 } });
    const { cookie, sid } = await loggedIn(app);
    const before = await storedExpiry(sid);
    expect(await sessionWrites(async () => void (await request(app).get('/account').set('Cookie', cookie)))).toBe(0);
    // The touch interval passing on the real clock (the store reads it) is the behaviour under test.
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const writes = await sessionWrites(async () => {
      for (let i = 0; i < 3; i++) await request(app).get('/account').set('Cookie', cookie);
    });
    expect(writes).toBe(1);
    expect(await storedExpiry(sid)).toBeGreaterThan(before);
  });

  it('when SESSION_TOUCH_SECONDS is 0, then every page view writes the row, as before (1 write per page view)', async () => {
    const app = createTestApp(t.db, { config: { sessionTouchMs: 0 } });
    const { cookie } = await loggedIn(app);
    const writes = await sessionWrites(async () => {
      for (let i = 0; i < 5; i++) await request(app).get('/account').set('Cookie', cookie);
    });
    expect(writes).toBe(5);
  });

  it('when a session changes (a flash message), then it is written at once, whatever the touch rule', async () => {
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/my/playlists')).text)?.[1];
    const writes = await sessionWrites(async () => {
      expect((await agent.post('/my/playlists').type('form').send({ _csrf: csrf, name: 'Touch test' })).status).toBe(303);
    });
    expect(writes).toBeGreaterThanOrEqual(1);
  });
});
