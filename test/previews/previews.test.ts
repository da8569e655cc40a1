// Link previews as an unfurler sees them: each page fetched over a real socket by open-graph-scraper
// (which fetches and parses the page itself), and the og:image fetched and its PNG header read.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import ogs from 'open-graph-scraper';
import { afterEach, describe, expect, it } from 'vitest';
import { changeCatalog } from '../../src/catalog/catalog.writes.js';
import { adminAgent } from '../helpers/admin.js';
import { createCoverStore } from '../../src/media/cover-store.js';
import { createTestApp, testConfig } from '../helpers/app.js';
import { jpegCover } from '../helpers/audio-files.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, type TestGenre } from '../helpers/factories.js';
import { csrfFrom, registerAs } from '../helpers/session.js';

const t = useTestDb();
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(app: Express): Promise<string> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A genre named as the demo's Weed · Groovin', with songs. */
async function weedGroovin(songs = 8): Promise<TestGenre & { songIds: number[] }> {
  const genre = await makeGenre(t.db);
  await changeCatalog(t.db, async (trx) => {
    await trx('drugs').where('id', genre.drugId).update({ name: 'Weed', description: 'Slow down, sink in, let the beat carry you.' });
    await trx('moods').where('id', genre.genreId).update({ name: "Groovin'", description: 'Head-nodding grooves with a lazy swing.' });
  });
  return { ...genre, songIds: await makeSongs(t.db, genre.genreId, songs) };
}

/** What an unfurler reads off the page at `url`, and the page's HTML. */
async function unfurl(url: string) {
  const { error, result, html } = await ogs({ url });
  expect(error).toBe(false);
  const canonical = /<link rel="canonical" href="([^"]*)">/.exec(html ?? '')?.[1];
  return { ...result, canonical, html: html ?? '' };
}

const songsOf = (songs: { title: string; artist: string }[]) => songs.map((s) => `${s.title} by ${s.artist}`).join(', ');

/** The card's image fields, as open-graph-scraper reports them. */
const card = (url: string, alt: string) => ({ url, alt, width: '1200', height: '630', type: 'image/png' });

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function fetchPng(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(pngSize(bytes)).toEqual({ width: 1200, height: 630 });
  return { res, bytes };
}

describe('link previews', () => {
  it('when the home page and a drug page are unfurled, then each has its own title, description, canonical URL and image', async () => {
    const genre = await weedGroovin();
    const base = await serve(createTestApp(t.db));

    const home = await unfurl(`${base}/`);
    expect(home).toMatchObject({
      ogTitle: 'Stereodose: pick a drug, pick a mood',
      ogDescription: 'Pick a drug (Weed), then a mood, and a fresh random playlist starts playing.',
      ogUrl: `${base}/`,
      ogType: 'website',
      ogSiteName: 'Stereodose',
      twitterCard: 'summary_large_image',
      twitterTitle: 'Stereodose: pick a drug, pick a mood',
      canonical: `${base}/`,
    });
    expect(home.ogImage).toEqual([card(`${base}/previews/site.png`, 'Stereodose: pick your dose')]);
    expect(home.twitterImage?.[0]?.url).toBe(`${base}/previews/site.png`);
    expect(home.html).toContain('<meta name="description" content="Pick a drug (Weed), then a mood');

    const drug = await unfurl(`${base}/playlist/${genre.drugSlug}`);
    expect(drug).toMatchObject({
      ogTitle: 'Weed: pick a mood',
      ogDescription: "Slow down, sink in, let the beat carry you. Moods: Groovin'.",
      ogUrl: `${base}/playlist/${genre.drugSlug}`,
      twitterCard: 'summary_large_image',
      twitterDescription: "Slow down, sink in, let the beat carry you. Moods: Groovin'.",
      canonical: `${base}/playlist/${genre.drugSlug}`,
    });
    expect(drug.ogImage).toEqual([card(`${base}/previews/${genre.drugSlug}.png`, 'Weed on Stereodose')]);
  });

  it('when a mood player is unfurled, even opened with fresh=1 or a cursor, then it names the drug and mood and its canonical URL is the bare page', async () => {
    const genre = await weedGroovin();
    const base = await serve(createTestApp(t.db));
    const page = `${base}/playlist/${genre.drugSlug}/${genre.moodSlug}`;
    const { cursor } = (await (await fetch(`${base}/api/playlists/${genre.drugSlug}/${genre.moodSlug}?limit=2`)).json()) as { cursor: string };

    for (const url of [page, `${page}?fresh=1`, `${page}?cursor=${cursor}&limit=3`]) {
      const player = await unfurl(url);
      expect(player).toMatchObject({
        ogTitle: "Weed · Groovin' — a fresh random playlist",
        ogDescription: 'Head-nodding grooves with a lazy swing. A new random playlist every time you press play.',
        ogUrl: page,
        ogType: 'music.playlist',
        twitterCard: 'summary_large_image',
        twitterTitle: "Weed · Groovin' — a fresh random playlist",
        canonical: page,
      });
      expect(player.ogImage).toEqual([card(`${base}/previews/${genre.drugSlug}/${genre.moodSlug}.png`, "Weed · Groovin' on Stereodose")]);
    }
  });

  it('when a ?dose= link is unfurled, then its description names the first songs of that very mix and its canonical URL keeps the dose', async () => {
    const genre = await weedGroovin(12);
    const base = await serve(createTestApp(t.db));
    const api = `${base}/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    const { dose } = (await (await fetch(api)).json()) as { dose: string };
    const mix = (await (await fetch(`${api}?dose=${dose}`)).json()) as { songs: { title: string; artist: string }[] };
    const link = `${base}/playlist/${genre.drugSlug}/${genre.moodSlug}?dose=${dose}`;

    const shared = await unfurl(link);
    const opening = `Opens with ${songsOf(mix.songs.slice(0, 3))}…`;
    expect(shared).toMatchObject({
      ogTitle: "Weed · Groovin' — a shared mix",
      ogDescription: opening,
      twitterDescription: opening,
      ogUrl: link,
      canonical: link,
      twitterCard: 'summary_large_image',
    });
    // The page plays what its preview promises.
    const pageSongs = JSON.parse(/<script type="application\/json" id="playlist-data">([\s\S]*?)<\/script>/.exec(shared.html)![1]!).songs;
    expect(songsOf(pageSongs.slice(0, 3))).toBe(songsOf(mix.songs.slice(0, 3)));
  });

  it('when a shared playlist and the popular pages are unfurled, then each names its own songs, canonical URL and image', async () => {
    const genre = await weedGroovin(4);
    const app = createTestApp(t.db);
    const base = await serve(app);
    const { agent, username } = await registerAs(app);
    const _csrf = await csrfFrom(agent, '/my/playlists');
    const created = await agent.post('/my/playlists').type('form').send({ _csrf, name: 'Sunday & <porch>' });
    const playlistId = /\/my\/playlists\/(\d+)$/.exec(created.headers.location!)![1];
    for (const songId of genre.songIds.slice(0, 3)) await agent.post(`/my/playlists/${playlistId}/songs`).type('form').send({ _csrf, songId });
    await agent.post(`/my/playlists/${playlistId}/visibility`).type('form').send({ _csrf, public: '1' });
    await agent.post(`/favorites/${genre.songIds[1]}`).type('form').send({ _csrf, returnTo: '/favorites' }).expect(303);
    const { share_token: token } = await t.db('user_playlists').where('id', playlistId).first();
    const songs = await t.db('songs').whereIn('id', genre.songIds).orderBy('id').select('title', 'artist');

    const shared = await unfurl(`${base}/shared/playlists/${token}?order=shuffled`);
    expect(shared).toMatchObject({
      ogTitle: `Sunday & <porch> — a playlist by ${username}`,
      ogDescription: `3 songs, opening with ${songsOf(songs.slice(0, 3))}.`,
      ogUrl: `${base}/shared/playlists/${token}`,
      canonical: `${base}/shared/playlists/${token}`,
      twitterCard: 'summary_large_image',
    });
    expect(shared.ogImage).toEqual([card(`${base}/previews/site.png`, 'Sunday & <porch> on Stereodose')]);
    expect(shared.html).toContain('content="Sunday &amp; &lt;porch&gt; — a playlist by');

    const popular = await unfurl(`${base}/popular`);
    expect(popular).toMatchObject({
      ogTitle: 'Most favorited on Stereodose',
      ogDescription: `The songs listeners love most, led by ${songsOf([songs[1]!])}.`,
      ogUrl: `${base}/popular`,
      twitterCard: 'summary_large_image',
    });
    expect(popular.ogImage).toEqual([card(`${base}/previews/site.png`, 'Stereodose: pick your dose')]);

    const inGenre = await unfurl(`${base}/popular/${genre.drugSlug}/${genre.moodSlug}`);
    expect(inGenre).toMatchObject({
      ogTitle: "Most favorited in Weed · Groovin'",
      ogDescription: `The songs listeners love most, led by ${songsOf([songs[1]!])}.`,
      ogUrl: `${base}/popular/${genre.drugSlug}/${genre.moodSlug}`,
      canonical: `${base}/popular/${genre.drugSlug}/${genre.moodSlug}`,
    });
    expect(inGenre.ogImage).toEqual([card(`${base}/previews/${genre.drugSlug}/${genre.moodSlug}.png`, "Weed · Groovin' on Stereodose")]);
  });

  it('when PUBLIC_URL is set, then canonical and image URLs use it, whatever host the request came in on', async () => {
    const genre = await weedGroovin();
    const base = await serve(createTestApp(t.db, { config: { publicUrl: 'https://stereodose.example' } }));
    const player = await unfurl(`${base}/playlist/${genre.drugSlug}/${genre.moodSlug}?fresh=1`);
    const image = `https://stereodose.example/previews/${genre.drugSlug}/${genre.moodSlug}.png`;
    expect(player).toMatchObject({ ogUrl: `https://stereodose.example/playlist/${genre.drugSlug}/${genre.moodSlug}`, canonical: player.ogUrl });
    expect(player.ogImage).toEqual([card(image, "Weed · Groovin' on Stereodose")]);
    expect(player.twitterImage?.[0]?.url).toBe(image);
    expect((await unfurl(`${base}/`)).ogUrl).toBe('https://stereodose.example/');
    await fetchPng(image.replace('https://stereodose.example', base));
  });

  it('when an og:image is fetched, then it is a 1200×630 PNG, cached publicly with a strong ETag, and revalidation answers 304', async () => {
    const genre = await weedGroovin();
    const base = await serve(createTestApp(t.db));
    const player = await unfurl(`${base}/playlist/${genre.drugSlug}/${genre.moodSlug}`);
    const drug = await unfurl(`${base}/playlist/${genre.drugSlug}`);
    const home = await unfurl(`${base}/`);

    const etags = new Set<string>();
    for (const url of [player.ogImage![0]!.url, drug.ogImage![0]!.url, home.ogImage![0]!.url]) {
      const { res, bytes } = await fetchPng(url);
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{16,}"$/); // strong: no W/
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400, stale-while-revalidate=604800');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('set-cookie')).toBeNull(); // served before the session
      etags.add(etag);

      const again = await fetch(url, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect((await again.arrayBuffer()).byteLength).toBe(0);
      // The cached render: the same bytes again.
      expect((await fetchPng(url)).bytes.equals(bytes)).toBe(true);
    }
    expect(etags.size).toBe(3);
  });

  it('when an admin names a mood with < and &, then its page shows the name escaped and its image renders anew', async () => {
    const genre = await weedGroovin();
    const app = createTestApp(t.db);
    const base = await serve(app);
    const imageUrl = `${base}/previews/${genre.drugSlug}/${genre.moodSlug}.png`;
    const before = (await fetchPng(imageUrl)).res.headers.get('etag');

    const { agent } = await adminAgent(app, t.db);
    const name = `Rock & Roll <3 "live" </text><script>`;
    await agent
      .post(`/admin/drugs/${genre.drugId}/moods/${genre.genreId}`)
      .type('form')
      .send({ _csrf: await csrfFrom(agent, '/admin/drugs'), name, description: '' })
      .expect(303);

    const player = await unfurl(`${base}/playlist/${genre.drugSlug}/${genre.moodSlug}`);
    expect(player.ogTitle).toBe(`Weed · ${name} — a fresh random playlist`);
    expect(player.html).toContain('content="Weed · Rock &amp; Roll &lt;3 &#34;live&#34; &lt;/text&gt;&lt;script&gt; — a fresh random playlist"');
    const { res } = await fetchPng(imageUrl);
    expect(res.headers.get('etag')).not.toBe(before);
  });

  it('when a shared mix opens with a song that has its own cover, then it unfurls as that song’s card, drawn with the cover', async () => {
    const genre = await weedGroovin(6);
    const cover = await createCoverStore(testConfig.uploadDir).save({ data: jpegCover(), format: 'image/jpeg' });
    await t.db('songs').whereIn('id', genre.songIds).update({ cover });
    // Draws read the memberships' copies of a song, which every write of the app keeps in step.
    await t.db('genre_songs').whereIn('song_id', genre.songIds).update({ cover });
    const base = await serve(createTestApp(t.db));
    const api = `${base}/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    const { dose } = (await (await fetch(api)).json()) as { dose: string };
    const [first] = ((await (await fetch(`${api}?dose=${dose}`)).json()) as { songs: { id: number; title: string; artist: string }[] }).songs;
    const shared = await unfurl(`${base}/playlist/${genre.drugSlug}/${genre.moodSlug}?dose=${dose}`);
    const image = `${base}/previews/songs/${first!.id}.png`;
    expect(shared.ogImage).toEqual([card(image, `${first!.title} by ${first!.artist}, Weed · Groovin' on Stereodose`)]);
    const { bytes } = await fetchPng(image);
    const { bytes: genreCard } = await fetchPng(`${base}/previews/${genre.drugSlug}/${genre.moodSlug}.png`);
    expect(bytes.equals(genreCard)).toBe(false);
    // The radio itself keeps its mood's card.
    expect((await unfurl(`${base}/playlist/${genre.drugSlug}/${genre.moodSlug}`)).ogImage).toEqual([
      card(`${base}/previews/${genre.drugSlug}/${genre.moodSlug}.png`, "Weed · Groovin' on Stereodose"),
    ]);
  });

  it('when a song is in no visible mood, or is no song, then its card is a 404', async () => {
    const hidden = await makeGenre(t.db);
    const [id] = await makeSongs(t.db, hidden.genreId, 1);
    await changeCatalog(t.db, (trx) => trx('moods').where('id', hidden.genreId).update({ hidden: true }));
    const base = await serve(createTestApp(t.db));
    for (const path of [`/previews/songs/${id}.png`, '/previews/songs/999999.png', '/previews/songs/abc.png']) {
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    }
  });

  it('when a drug or mood is unknown or hidden, then its image is a 404', async () => {
    const genre = await weedGroovin();
    const hidden = await makeGenre(t.db);
    await changeCatalog(t.db, (trx) => trx('moods').where('id', hidden.genreId).update({ hidden: true }));
    const base = await serve(createTestApp(t.db));
    for (const path of [
      '/previews/nope.png',
      `/previews/${genre.drugSlug}/nope.png`,
      `/previews/nope/${genre.moodSlug}.png`,
      `/previews/${hidden.drugSlug}/${hidden.moodSlug}.png`,
    ]) {
      const res = await fetch(`${base}${path}`, { headers: { Accept: 'application/json' } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});
