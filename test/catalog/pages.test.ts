import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';

const t = useTestDb();

const trackTitles = (html: string) => [...html.matchAll(/class="track-title">([^<]*)</g)].map((m) => m[1]);

describe('listener pages', () => {
  it('when a listener opens /, then every drug is a tile linking to its moods', async () => {
    const genre = await makeGenre(t.db);
    const res = await request(createTestApp(t.db)).get('/').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain(`href="/playlist/${genre.drugSlug}"`);
    expect(res.text).toContain(`Drug ${genre.drugSlug}`);
  });

  it('when a listener opens a drug, then its moods are listed with links to the player', async () => {
    const genre = await makeGenre(t.db);
    const res = await request(createTestApp(t.db)).get(`/playlist/${genre.drugSlug}`).expect(200);
    expect(res.text).toContain(`href="/playlist/${genre.drugSlug}/${genre.moodSlug}"`);
  });

  it('when a listener opens a mood, then the player lists 30 songs, each playable, and offers a new playlist and a share link', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 40);
    const res = await request(createTestApp(t.db)).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(trackTitles(res.text)).toHaveLength(30);
    expect(res.text.match(/<audio class="track-audio" controls/g)).toHaveLength(30);
    expect(res.text).toContain('data-new-playlist');
    const share = /href="([^"]*\?dose=[a-z0-9]+)" data-share/.exec(res.text);
    expect(share).not.toBeNull();
    // the share link replays the same mix
    const again = await request(createTestApp(t.db)).get(share![1]!).expect(200);
    expect(trackTitles(again.text)).toEqual(trackTitles(res.text));
  });

  it('when a slug is unknown, then a real 404 page links back to the pickers', async () => {
    const genre = await makeGenre(t.db);
    const app = createTestApp(t.db);
    for (const url of ['/playlist/nope', `/playlist/${genre.drugSlug}/nope`, '/nothing/here']) {
      const res = await request(app).get(url).set('Accept', 'text/html').expect(404);
      expect(res.text).toContain('href="/"');
      expect(res.text).toContain('Nothing plays here');
    }
  });

  it('when a song title carries markup, then it is shown escaped and the embedded JSON cannot close its script', async () => {
    const genre = await makeGenre(t.db);
    const [id] = await makeSongs(t.db, genre.genreId, 1);
    await t.db('songs').where('id', id!).update({ title: '</script><script>alert(1)</script>' });
    const res = await request(createTestApp(t.db)).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(res.text).toContain('\\u003c/script>\\u003cscript>alert(1)');
  });

  it('when any page is served, then a strict Content-Security-Policy and no inline scripts', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 3);
    const res = await request(createTestApp(t.db)).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const executableScripts = [...res.text.matchAll(/<script(?![^>]*type="application\/json")([^>]*)>/g)];
    expect(executableScripts.every((m) => /src="\/static\//.test(m[1]!))).toBe(true);
  });
});
