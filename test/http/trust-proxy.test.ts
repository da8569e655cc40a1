import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PLAYS_PER_MINUTE } from '../../src/plays/plays.service.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';

const t = useTestDb();

/** Reports plays until the per-IP limit answers 429; how many were accepted. */
async function playsAccepted(app: ReturnType<typeof createTestApp>, songId: number, forwardedFor: (i: number) => string) {
  for (let i = 0; i < 200; i++) {
    // 200 > PLAYS_PER_MINUTE: one address would be cut off half-way.
    const res = await request(app).post('/api/plays').set('X-Forwarded-For', forwardedFor(i)).send({ songId });
    if (res.status === 429) return i;
    expect(res.status).toBe(204);
  }
  return 200;
}

describe('TRUST_PROXY', () => {
  it('when no proxy is trusted, then a client cannot pick its own address to dodge the per-IP limits', async () => {
    const { genreId } = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genreId, 1);
    const app = createTestApp(t.db, { config: { trustProxy: false } });
    expect(await playsAccepted(app, songId!, (i) => `203.0.113.${i % 250}`)).toBe(PLAYS_PER_MINUTE);
  });

  it('when one proxy is trusted, then each forwarded address gets its own allowance', async () => {
    const { genreId } = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genreId, 1);
    const app = createTestApp(t.db, { config: { trustProxy: 1 } });
    expect(await playsAccepted(app, songId!, (i) => `203.0.113.${i % 250}`)).toBe(200);
  });
});
