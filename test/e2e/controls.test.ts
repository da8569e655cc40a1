// The player's controls in Chromium: the seek bar and ←/→, the remembered volume, the shortcuts
// dialog, the Media Session, play reports, and a song title full of markup.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.js';
import { demoTrackDuration } from '../../src/media/demo-synth.js';
import { demoTrackUrl } from '../../src/media/demo-tracks.js';
import { applyMembershipChanges } from '../../src/playlists/membership.js';
import { writeTransaction } from '../../src/db/transaction.js';
import { recordCspViolations, useBrowser } from './browser.js';
import { PlayerPage, scriptInjected } from './pages.js';
import { insertSong } from '../helpers/factories.js';

const baseUrl = inject('baseUrl');
const session = useBrowser();

const valueText = /^\d+:\d\d of \d+:\d\d$/;

describe('the player controls', () => {
  it('when a track plays, then the seek bar follows it; → and ← jump 10 s, and moving the bar seeks', async () => {
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(1.2);
    await expect.poll(async () => Number(await player.seekBar.inputValue())).toBeGreaterThanOrEqual(1);
    expect(await player.seekBar.isEnabled()).toBe(true);
    expect(await player.seekBar.getAttribute('aria-valuetext')).toMatch(valueText);
    const duration = await player.audio.evaluate((a: HTMLAudioElement) => a.duration);
    expect(Number(await player.seekBar.getAttribute('max'))).toBe(Math.floor(duration));

    await player.focusPage();
    const before = await player.currentTime();
    await session.page.keyboard.press('ArrowRight');
    await expect.poll(() => player.currentTime()).toBeGreaterThanOrEqual(before + 9.5);
    expect(await player.currentTime()).toBeLessThan(before + 12);
    await expect.poll(async () => Number(await player.seekBar.inputValue())).toBeGreaterThanOrEqual(Math.floor(before + 10));

    const ahead = await player.currentTime();
    await session.page.keyboard.press('ArrowLeft');
    await expect.poll(() => player.currentTime()).toBeLessThan(ahead - 8);

    await player.seekBar.fill('20');
    await expect.poll(() => player.currentTime()).toBeGreaterThanOrEqual(20);
    expect(await player.currentTime()).toBeLessThan(22);
    await expect.poll(() => session.page.locator('[data-elapsed]').textContent()).toMatch(/^0:2\d$/);
    expect(await player.seekBar.getAttribute('aria-valuetext')).toMatch(/^0:2\d of \d+:\d\d$/);
    expect(await player.paused()).toBe(false);
  });

  it('when the volume is changed, then it applies at once and is still set after a reload', async () => {
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    expect(await player.volumeNow()).toBe(1);
    await player.volume.fill('40');
    expect(await player.volumeNow()).toBeCloseTo(0.4);
    // The slider is operable by keyboard too: one step is 5 %.
    await player.volume.focus();
    await session.page.keyboard.press('ArrowLeft');
    expect(await player.volumeNow()).toBeCloseTo(0.35);
    expect(await player.volume.getAttribute('aria-valuetext')).toBe('35%');

    await session.page.reload();
    await player.ready();
    expect(await player.volume.inputValue()).toBe('35');
    expect(await player.volume.getAttribute('aria-valuetext')).toBe('35%');
    expect(await player.volumeNow()).toBeCloseTo(0.35);
    await player.play();
    await player.waitForPlaybackPast(0.1);
    expect(await player.volumeNow()).toBeCloseTo(0.35);
  });

  it('when ? is pressed, then the shortcuts dialog opens; Escape closes it and focus returns where it was', async () => {
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const next = session.page.getByRole('button', { name: 'Next track' });
    await next.focus();
    expect(await player.shortcuts.isVisible()).toBe(false);

    await session.page.keyboard.press('?');
    await player.shortcuts.waitFor({ state: 'visible' });
    expect(await player.shortcuts.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    expect(await player.shortcuts.getByText('Next track').isVisible()).toBe(true);
    // Shortcuts sleep while it is open: n does not skip.
    await session.page.keyboard.press('n');
    expect(await player.currentIndex()).toBe(-1);

    await session.page.keyboard.press('Escape');
    await player.shortcuts.waitFor({ state: 'hidden' });
    expect(await next.evaluate((el) => el === document.activeElement)).toBe(true);

    // Its button and its Close button do the same.
    const opener = session.page.getByRole('button', { name: 'Keyboard shortcuts' });
    await opener.click();
    await player.shortcuts.waitFor({ state: 'visible' });
    await player.shortcuts.getByRole('button', { name: 'Close' }).click();
    await player.shortcuts.waitFor({ state: 'hidden' });
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('when a track plays, then the Media Session shows its title, artist, mood and the drug artwork', async () => {
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    const metadata = () =>
      session.page.evaluate(() => {
        const m = navigator.mediaSession.metadata;
        return m && { title: m.title, artist: m.artist, album: m.album, artwork: m.artwork.map((a) => ({ src: a.src, type: a.type })) };
      });
    expect(await metadata()).toBeNull();

    await player.play();
    await player.waitForPlaybackPast(0.1);
    expect(await metadata()).toEqual({
      title: songs[0]!.title,
      artist: songs[0]!.artist,
      album: "Weed · Groovin'",
      artwork: [{ src: expect.stringMatching(new RegExp(`^${baseUrl}/static/img/drugs/weed\\.svg\\?v=[\\w-]{12}$`)), type: 'image/svg+xml' }],
    });
    expect(await session.page.evaluate(() => navigator.mediaSession.playbackState)).toBe('playing');
    const artwork = await session.page.request.get(`${baseUrl}/static/img/drugs/weed.svg`);
    expect(artwork.status()).toBe(200);
    expect(artwork.headers()['content-type']).toMatch(/^image\/svg\+xml/);

    await player.next();
    await player.waitForCurrent(1);
    await expect.poll(async () => (await metadata())?.title).toBe(songs[1]!.title);
  });

  it('when a track starts, then one play is reported for it; a pause and resume report nothing more, and next reports a skip of it', async () => {
    const reports: { method: string; type: string | undefined; body: unknown; csrf: string | undefined }[] = [];
    await session.page.route('**/api/plays', async (route) => {
      const request = route.request();
      const headers = request.headers();
      reports.push({ method: request.method(), type: headers['content-type'], body: request.postDataJSON(), csrf: headers['x-csrf-token'] });
      await route.fulfill({ status: 204 });
    });
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    await player.play();
    await player.waitForPlaybackPast(0.3);
    await expect.poll(() => reports.length).toBe(1);
    // Anonymous listeners have no CSRF token in the page, so none is sent.
    expect(reports[0]).toEqual({
      method: 'POST',
      type: 'application/json',
      body: { songId: songs[0]!.id, genre: 'weed/groovin', first: true },
      csrf: undefined,
    });

    await player.play(); // pause
    await player.waitForPaused(true);
    await player.play(); // resume
    await player.waitForPlaybackPast(0.5);
    await player.next();
    await player.waitForCurrent(1);
    await player.waitForPlaybackPast(0.2);
    await expect
      .poll(() => reports.map((r) => r.body))
      .toEqual([
        { songId: songs[0]!.id, genre: 'weed/groovin', first: true },
        { songId: songs[0]!.id, genre: 'weed/groovin', kind: 'skip', seconds: expect.any(Number) },
        { songId: songs[1]!.id, genre: 'weed/groovin' },
      ]);
    // Next was pressed half a second or so in: an early skip, in whole seconds.
    expect((reports[1]!.body as { seconds: number }).seconds).toBeLessThan(30);
  });
});

describe('without JavaScript', () => {
  it('when the player page loads, then every song has its own audio controls and the script-only controls stay hidden', async () => {
    const context = await session.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/playlist/weed/groovin`);
      const rows = page.locator('[data-tracks] li.track');
      expect(await rows.count()).toBe(30);
      expect(await page.locator('[data-tracks] li.track audio.track-audio[controls]').count()).toBe(30);
      expect(await rows.first().locator('audio').isVisible()).toBe(true);
      expect(await page.locator('[data-controls]').isVisible()).toBe(false);
      expect(await page.getByRole('link', { name: /harm-reduction facts about Weed/ }).getAttribute('href')).toBe('https://www.drugsand.me/en/drugs/cannabis/');
      expect(await page.locator('.now-art').getAttribute('src')).toMatch(/^\/static\/img\/drugs\/weed\.svg\?v=[\w-]{12}$/);
    } finally {
      await context.close();
    }
  });
});

describe('each drug', () => {
  const HARM_REDUCTION: Record<string, string> = {
    weed: 'https://www.drugsand.me/en/drugs/cannabis/',
    ecstasy: 'https://dancesafe.org/mdma/',
    shrooms: 'https://dancesafe.org/mushrooms/',
    lsd: 'https://dancesafe.org/lsd/',
  };

  it('when its page is served, then it shows its own artwork and links to its harm-reduction page', async () => {
    const home = await (await session.page.request.get(`${baseUrl}/`)).text();
    for (const [slug, url] of Object.entries(HARM_REDUCTION)) {
      // Fingerprinted (?v=content hash) wherever a page names it.
      const art = `/static/img/drugs/${slug}.svg`;
      const named = new RegExp(`src="${art.replace(/\./g, '\\.')}\\?v=[\\w-]{12}"`);
      expect(home).toMatch(named);
      const page = await (await session.page.request.get(`${baseUrl}/playlist/${slug}`)).text();
      expect(page).toMatch(named);
      expect(page).toContain(`href="${url}"`);
      const svg = await session.page.request.get(`${baseUrl}${art}`);
      expect(svg.status(), art).toBe(200);
      expect(svg.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    }
  });
});

describe('a song title full of markup', () => {
  const title = '</script><script>window.pwned=1</script>';
  const artist = '<img src=x onerror="window.pwned=2">';
  let db: Db;

  beforeAll(async () => {
    db = await createDb({ client: 'sqlite', filename: inject('databaseFile') });
    const mood = await db('moods').join('drugs', 'drugs.id', 'moods.drug_id').where({ 'drugs.slug': 'weed', 'moods.slug': 'thug-life' }).first('moods.id');
    const seed = 'e2e-markup-title';
    const songId = await insertSong(db, { title, artist, url: demoTrackUrl(seed), durationSeconds: demoTrackDuration(seed) });
    await writeTransaction(db, (trx) => applyMembershipChanges(trx, { add: [[Number(mood.id), songId]] }));
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('when it is listed and played, then it shows as text everywhere and no script runs', async () => {
    const violations = await recordCspViolations(session.page);
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'thug-life', '?limit=100');
    const { songs } = await player.playlistData();
    const index = songs.findIndex((s) => s.title === title);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(songs[index]!.artist).toBe(artist);
    expect(await player.trackTitles()).toContain(title);

    await player.playRow(index);
    await player.waitForCurrent(index);
    await player.waitForPlaybackPast(0.1);
    expect(await session.page.locator('[data-now-title]').textContent()).toBe(title);
    expect(await session.page.locator('[data-now-artist]').textContent()).toBe(artist);
    expect(await session.page.evaluate(() => navigator.mediaSession.metadata?.title)).toBe(title);
    await expect.poll(() => player.announcer.textContent()).toBe(`Now playing ${title} by ${artist}`);

    expect(await scriptInjected(session.page)).toBe(false);
    expect(await session.page.locator('img[src="x"], script:not([src]):not([type="application/json"])').count()).toBe(0);
    expect(violations).toEqual([]);
  });
});
