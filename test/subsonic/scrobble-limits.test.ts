// Plays are limited wherever they come from: a Subsonic app's scrobbles go through the web player's
// limiter (PLAYS_PER_MINUTE reports a minute), per listener, and one request names at most
// SCROBBLE_IDS_MAX songs.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PLAYS_PER_MINUTE } from '../../src/plays/plays.service.js';
import { SCROBBLE_IDS_MAX } from '../../src/subsonic/subsonic.service.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { csrfFrom, registerAs } from '../helpers/session.js';

const t = useTestDb();
type App = ReturnType<typeof createTestApp>;

async function listenerWithAppPassword(app: App) {
  const { agent, username } = await registerAs(app);
  const made = await agent
    .post('/account/app-passwords')
    .type('form')
    .send({ _csrf: await csrfFrom(agent, '/account'), name: 'Phone' });
  return { username, appPassword: /<code class="app-password">([a-z0-9]+)<\/code>/.exec(made.text)![1]! };
}

/** One scrobble naming `songId` `times` times, as a POSTed form (an app sends repeated ids so). */
const scrobble = (app: App, { username, appPassword }: { username: string; appPassword: string }, songId: number, times: number, submission = true) =>
  request(app)
    .post('/rest/scrobble.view')
    .type('form')
    .send([`u=${username}`, `p=${appPassword}`, 'f=json', `submission=${submission}`, ...Array.from({ length: times }, () => `id=${songId}`)].join('&'));

const played = async () => Number((await t.db('daily_stats').sum({ n: 'songs_played' }).first())?.n ?? 0);

describe('scrobble limits', () => {
  it('when one scrobble names more songs than allowed, then it is a Subsonic error naming the cap, and nothing counts', async () => {
    const { genreId } = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genreId, 1);
    const app = createTestApp(t.db);
    const listener = await listenerWithAppPassword(app);
    const res = await scrobble(app, listener, songId!, SCROBBLE_IDS_MAX + 1);
    expect(res.status).toBe(200);
    expect(res.body['subsonic-response']).toMatchObject({
      status: 'failed',
      error: { code: 0, message: expect.stringContaining(`at most ${SCROBBLE_IDS_MAX}`) },
    });
    expect(await played()).toBe(0);
    expect((await scrobble(app, listener, songId!, SCROBBLE_IDS_MAX)).body['subsonic-response'].status).toBe('ok');
    expect(await played()).toBe(SCROBBLE_IDS_MAX);
  });

  it('when a listener scrobbles more than a minute’s allowance, then the rest is refused with Retry-After; another listener and the web player are unaffected', async () => {
    const { genreId } = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genreId, 1);
    const app = createTestApp(t.db);
    const listener = await listenerWithAppPassword(app);
    let sent = 0;
    while (sent < PLAYS_PER_MINUTE) {
      const batch = Math.min(SCROBBLE_IDS_MAX, PLAYS_PER_MINUTE - sent);
      expect((await scrobble(app, listener, songId!, batch)).body['subsonic-response'].status).toBe('ok');
      sent += batch;
    }
    const refused = await scrobble(app, listener, songId!, 1);
    expect(refused.body['subsonic-response'].error.message).toMatch(/Too many plays/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // "Now playing" reports count against the allowance too, though they count no play.
    expect((await scrobble(app, listener, songId!, 1, false)).body['subsonic-response'].status).toBe('failed');
    expect(await played()).toBe(PLAYS_PER_MINUTE);

    const other = await listenerWithAppPassword(app);
    expect((await scrobble(app, other, songId!, 1)).body['subsonic-response'].status).toBe('ok');
    expect((await request(app).post('/api/plays').send({ songId })).status).toBe(204);
    expect(await played()).toBe(PLAYS_PER_MINUTE + 2);
  });
});
