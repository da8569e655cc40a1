// Absolute URLs (canonical and og:* links, embeds, oEmbed) come from PUBLIC_URL, or in development
// and tests from the request once its scheme and Host are checked: never a javascript: link, never
// a 500 for a Host that is no host.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';

const t = useTestDb();

async function genrePages() {
  const genre = await makeGenre(t.db);
  await makeSongs(t.db, genre.genreId, 3);
  const page = `/playlist/${genre.drugSlug}/${genre.moodSlug}`;
  return { page, embed: `/embed/${genre.drugSlug}/${genre.moodSlug}` };
}

describe('absolute URLs without PUBLIC_URL', () => {
  it('when a trusted proxy forwards a scheme other than http or https, then pages, embeds and oEmbed answer 400 and name no such link', async () => {
    const { page, embed } = await genrePages();
    const app = createTestApp(t.db, { config: { trustProxy: true } });
    for (const proto of ['javascript', 'data', 'javascript, https']) {
      for (const res of [
        await request(app).get(page).set('X-Forwarded-Proto', proto).set('Host', 'stereodose.test'),
        await request(app).get(embed).set('X-Forwarded-Proto', proto).set('Host', 'stereodose.test'),
        await request(app)
          .get('/oembed')
          .query({ url: `javascript://stereodose.test${page}` })
          .set('X-Forwarded-Proto', proto)
          .set('Host', 'stereodose.test'),
      ]) {
        expect([proto, res.status]).toEqual([proto, 400]);
        expect(res.text).not.toMatch(/javascript:|data:/);
      }
    }
    const https = await request(app).get(page).set('X-Forwarded-Proto', 'https').set('Host', 'stereodose.test').expect(200);
    expect(https.text).toContain(`<link rel="canonical" href="https://stereodose.test${page}">`);
  });

  it.each(['a b', '[::', 'stereodose.test/evil', 'user@stereodose.test', 'stereodose.test:99999999', 'ex"ample.test'])(
    'when the Host header is %j, then oEmbed answers a JSON 400 and a page a 400 page, never a 500',
    async (host) => {
      const { page } = await genrePages();
      const app = createTestApp(t.db);
      const oembed = await request(app)
        .get('/oembed')
        .query({ url: `http://stereodose.test${page}` })
        .set('Host', host);
      expect(oembed.status).toBe(400);
      expect(oembed.body.error.code).toBe('bad_request');
      const html = await request(app).get(page).set('Host', host);
      expect(html.status).toBe(400);
      expect(html.text).toContain('Host header');
    },
  );

  it('when oEmbed is asked about a URL with an opaque origin (javascript:, data:, blob:), then it is no page of this site: 404', async () => {
    const { page } = await genrePages();
    const app = createTestApp(t.db);
    for (const url of [`javascript://stereodose.test${page}`, `data:text/html,${page}`, `blob:http://stereodose.test${page}`]) {
      const res = await request(app).get('/oembed').query({ url }).set('Host', 'stereodose.test');
      expect([url, res.status]).toEqual([url, 404]);
    }
    expect(
      (
        await request(app)
          .get('/oembed')
          .query({ url: `http://stereodose.test${page}` })
          .set('Host', 'stereodose.test')
      ).status,
    ).toBe(200);
  });
});

describe('absolute URLs with PUBLIC_URL', () => {
  it('when PUBLIC_URL is set, then the Host and forwarded headers change no link, and a malformed Host breaks nothing', async () => {
    const { page, embed } = await genrePages();
    const app = createTestApp(t.db, { config: { publicUrl: 'https://stereodose.example', trustProxy: true } });
    const forged = { Host: 'evil.example', 'X-Forwarded-Proto': 'javascript', 'X-Forwarded-Host': 'evil.example' };
    const html = await request(app).get(page).set(forged).expect(200);
    expect(html.text).toContain(`<link rel="canonical" href="https://stereodose.example${page}">`);
    expect(html.text).not.toContain('evil.example');
    const player = await request(app).get(embed).set(forged).expect(200);
    expect(player.text).toContain(`href="https://stereodose.example${page}"`);
    expect(player.text).not.toContain('evil.example');
    const oembed = await request(app)
      .get('/oembed')
      .query({ url: `https://stereodose.example${page}` })
      .set(forged)
      .expect(200);
    expect(JSON.stringify(oembed.body)).not.toContain('evil.example');
    expect((await request(app).get(page).set('Host', 'a b')).status).toBe(200);
  });
});
