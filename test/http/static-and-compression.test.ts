// What the auditor asked for, checked over real HTTP: fingerprinted static files cached for a year,
// revalidated otherwise; text compressed above a small size; audio never.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { demoTrackUrl } from '../../src/media/demo-tracks.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { bytesOf } from '../helpers/bytes.js';

const t = useTestDb();
const YEAR = 'public, max-age=31536000, immutable';

describe('static files', () => {
  it("when a page names its stylesheet and script, then their URLs carry the content's hash and are cached for a year", async () => {
    const app = createTestApp(t.db);
    const html = (await request(app).get('/login').expect(200)).text;
    const urls = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+\?v=[\w-]{12})"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(urls).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/static\/css\/site\.css\?v=/), expect.stringMatching(/^\/static\/img\/favicon\.svg\?v=/)]),
    );
    for (const url of urls) {
      const res = await request(app).get(url).expect(200);
      expect(res.headers['cache-control']).toBe(YEAR);
    }
  });

  it('when a static file is asked for without its hash, or with an old one, then it must be revalidated, and its ETag answers 304', async () => {
    const app = createTestApp(t.db);
    for (const url of ['/static/css/site.css', '/static/css/site.css?v=oldoldoldold']) {
      const res = await request(app).get(url).expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
      await request(app).get(url).set('If-None-Match', res.headers.etag!).expect(304);
    }
    expect((await request(app).get('/static/../package.json?v=x')).status).toBe(404);
    expect((await request(app).get('/static/css/%E0%A4%A.css?v=x')).status).toBe(404);
  });
});

describe('compression', () => {
  it('when a browser accepts gzip, then pages, CSS and JSON above 1 KB come gzipped, and small answers plain', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 30);
    const app = createTestApp(t.db);
    for (const url of ['/login', '/static/css/site.css', `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`]) {
      const res = await bytesOf(request(app).get(url).set('Accept-Encoding', 'gzip'));
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toMatch(/Accept-Encoding/);
    }
    const small = await bytesOf(request(app).get('/healthz').set('Accept-Encoding', 'gzip'));
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('when audio is asked for, whole or in a range, then it is never compressed', async () => {
    const app = createTestApp(t.db);
    const url = demoTrackUrl('weed-groovin-07');
    const whole = await bytesOf(request(app).get(url).set('Accept-Encoding', 'gzip'));
    expect(whole.status).toBe(200);
    expect(whole.headers['content-encoding']).toBeUndefined();
    expect((whole.body as Buffer).toString('ascii', 0, 4)).toBe('RIFF');
    const part = await bytesOf(request(app).get(url).set('Accept-Encoding', 'gzip').set('Range', 'bytes=0-99'));
    expect(part.status).toBe(206);
    expect(part.headers['content-encoding']).toBeUndefined();
    expect((part.body as Buffer).length).toBe(100);
  });
});
