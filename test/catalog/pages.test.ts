import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { attributeValue, trackTitles, withoutTemplates } from '../helpers/html.js';

const t = useTestDb();

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
    expect(withoutTemplates(res.text).match(/<audio class="track-audio" controls/g)).toHaveLength(30);
    expect(res.text).toContain('data-new-playlist');
    const share = /href="([^"]*\?songs=[^"]+)" data-share/.exec(res.text);
    expect(share).not.toBeNull();
    // the share link opens exactly this list, and goes on with its walk
    const again = await request(createTestApp(t.db)).get(attributeValue(share![1]!)).expect(200);
    expect(trackTitles(again.text)).toEqual(trackTitles(res.text));
    const data = (html: string) => JSON.parse(/<script type="application\/json" id="playlist-data">([^<]*)</.exec(html)![1]!);
    expect(data(again.text).cursor).toBe(data(res.text).cursor);
  });

  it('when a shared list names songs gone from the mood, then the page plays the others in the order given', async () => {
    const genre = await makeGenre(t.db);
    const [a, b, c] = await makeSongs(t.db, genre.genreId, 3);
    const other = await makeGenre(t.db);
    const [elsewhere] = await makeSongs(t.db, other.genreId, 1);
    const app = createTestApp(t.db);
    const res = await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}?songs=${c}-${elsewhere}-${a}-999999`).expect(200);
    const titles = trackTitles(res.text);
    const [titleA, titleC] = await Promise.all([a, c].map(async (id) => (await t.db('songs').where('id', id!).first('title')).title));
    expect(titles).toEqual([titleC, titleA]);
    expect(b).toBeDefined();
    await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}?songs=1-x`).set('Accept', 'text/html').expect(400);
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
    // The song and its membership's copy (what a draw reads), as an edit writes them.
    for (const [table, key] of [
      ['songs', 'id'],
      ['genre_songs', 'song_id'],
    ] as const)
      await t.db(table).where(key, id!).update({ title: '</script><script>alert(1)</script>' });
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
    // One inline <style> may run, Turbo's progress bar's, by the page's own nonce.
    const nonce = /<meta name="csp-nonce" content="([^"]+)">/.exec(res.text)![1];
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    const executableScripts = [...res.text.matchAll(/<script(?![^>]*type="application\/json")([^>]*)>/g)];
    expect(executableScripts.every((m) => /src="\/static\//.test(m[1]!))).toBe(true);
  });
});
