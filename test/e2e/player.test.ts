// The listener's path through the real server in a real Chromium: pick a drug, pick a mood, and
// the player plays, skips, advances, continues the walk, and survives a broken track.
import fs from 'node:fs';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { recordCspViolations } from './browser.js';
import { DrugPage, HomePage, horizontalOverflow, launchBrowser, PlayerPage, saveScreenshot, type TrackData } from './pages.js';

const baseUrl = inject('baseUrl');
const PLAYLIST_SIZE = 30;

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await saveScreenshot(page, `failed-${task.name}`, { fullPage: true }).catch(() => {});
  await context?.close();
});

const pathOf = (url: string) => new URL(url).pathname;

describe('the player', () => {
  it("when a listener picks Weed then Groovin' and presses play, then 30 tracks are listed and the first one plays", async () => {
    const home = await new HomePage(page, baseUrl).open();
    const drug = await home.pickDrug('Weed');
    expect(pathOf(page.url())).toBe('/playlist/weed');
    const player = await drug.pickMood("Groovin'");
    expect(pathOf(page.url())).toBe('/playlist/weed/groovin');
    expect(await player.trackCount()).toBe(PLAYLIST_SIZE);
    const { songs } = await player.playlistData();
    expect(songs).toHaveLength(PLAYLIST_SIZE);
    expect(await player.currentIndex()).toBe(-1);

    await player.play();
    await player.waitForPlaybackPast(0.5);
    expect(await player.currentIndex()).toBe(0);
    await expect.poll(() => player.rows.first().getAttribute('aria-current')).toBe('true');
    expect(pathOf(await player.src())).toBe(songs[0]!.url);
    expect(await page.locator('[data-now-title]').textContent()).toBe(songs[0]!.title);
  });

  it('when next is pressed, then the second track plays; when previous is pressed, then the first plays again', async () => {
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    await player.play();
    await player.waitForPlaybackPast(0.2);
    const firstSrc = await player.src();

    await player.next();
    await player.waitForCurrent(1);
    expect(await player.src()).not.toBe(firstSrc);
    expect(pathOf(await player.src())).toBe(songs[1]!.url);
    await player.waitForPlaybackPast(0.2);

    await player.previous();
    await player.waitForCurrent(0);
    expect(await player.src()).toBe(firstSrc);
    await player.waitForPlaybackPast(0.2);
  });

  it('when a track reaches its end, then the next row becomes current and plays by itself', async () => {
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    await player.play();
    await player.waitForPlaybackPast(0.1);
    const ended = player.audio.evaluate((a: HTMLAudioElement) => new Promise<void>((resolve) => a.addEventListener('ended', () => resolve(), { once: true })));

    await player.seekToEnd(0.3);
    await ended;
    await player.waitForCurrent(1);
    expect(pathOf(await player.src())).toBe(songs[1]!.url);
    await player.waitForPlaybackPast(0.3);
  });

  it('when the last track of the batch ends, then the next batch is appended and no song repeats before the whole mood has played', async () => {
    const apiBodies: Promise<{ url: string; body: { songs: TrackData[]; cursor: string } }>[] = [];
    page.on('response', (res: Response) => {
      if (pathOf(res.url()).startsWith('/api/playlists/')) {
        apiBodies.push(res.json().then((body: { songs: TrackData[]; cursor: string }) => ({ url: res.url(), body })));
      }
    });
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    const data = await player.playlistData();
    const last = PLAYLIST_SIZE - 1;

    await player.playRow(last);
    await player.waitForCurrent(last);
    expect(pathOf(await player.src())).toBe(data.songs[last]!.url);
    await player.waitForPlaybackPast(0.1);
    await player.seekToEnd(0.3);

    await player.waitForCurrent(PLAYLIST_SIZE);
    await player.waitForPlaybackPast(0.3);

    // The continuation asked for the walk after the first batch.
    const batches = await Promise.all(apiBodies);
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(new URL(batches[0]!.url).searchParams.get('cursor')).toBe(data.cursor);
    expect(batches[0]!.body.songs.length).toBeGreaterThan(0);

    // The list is the first batch followed by every batch the API sent, in order.
    const listed: TrackData[] = [...data.songs, ...batches.flatMap((b) => b.body.songs)];
    const rows = await player.trackCount();
    expect(rows).toBeGreaterThan(PLAYLIST_SIZE);
    expect(rows).toBe(listed.length);
    expect(await player.trackTitles()).toEqual(listed.map((s) => s.title));
    expect(pathOf(await player.src())).toBe(listed[PLAYLIST_SIZE]!.url);
    // The walk covers the whole mood before any song comes again.
    const moodSize = (await (await page.request.get(`${baseUrl}/api/genres`)).json()).drugs
      .find((d: { slug: string }) => d.slug === 'weed')
      .moods.find((m: { slug: string }) => m.slug === 'groovin').songCount as number;
    const firstPass = listed.slice(0, Math.min(moodSize, listed.length)).map((s) => s.id);
    expect(new Set(firstPass).size).toBe(firstPass.length);
  });

  it('when a track fails to load, then the player says so and moves on to the one after it', async () => {
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    const broken = songs[1]!;
    let brokenRequests = 0;
    await page.route('**/media/demo/**', async (route) => {
      if (pathOf(route.request().url()) === broken.url) {
        brokenRequests++;
        await route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found"}}' });
      } else {
        await route.continue();
      }
    });
    await player.recordAnnouncements();
    await player.play();
    await player.waitForPlaybackPast(0.2);

    await player.next();
    await player.waitForCurrent(2);
    expect(pathOf(await player.src())).toBe(songs[2]!.url);
    await player.waitForPlaybackPast(0.3);
    expect(brokenRequests).toBeGreaterThan(0);
    // The site answered and the track did not, twice: it was skipped, and a toast says so. Nothing asks to press play.
    const notice = `Could not play “${broken.title}”; skipping.`;
    await expect.poll(() => player.announcer.textContent()).toBe(`Now playing ${songs[2]!.title} by ${songs[2]!.artist}`);
    expect(await player.toastTexts()).toContain(notice);
    const said = await player.announcements();
    expect(said).toContain(notice);
    expect(said.filter((text) => text.startsWith('Press play'))).toEqual([]);
    expect(brokenRequests).toBeGreaterThanOrEqual(2);
  });

  it('when n, p and space are pressed, then the player goes forward, back, and pauses and resumes', async () => {
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(0.2);
    // Keys go to the page, not to the focused play button.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await page.keyboard.press('n');
    await player.waitForCurrent(1);
    await player.waitForPlaybackPast(0.1);

    await page.keyboard.press('p');
    await player.waitForCurrent(0);
    await player.waitForPlaybackPast(0.1);

    expect(await player.paused()).toBe(false);
    await page.keyboard.press('Space');
    await player.waitForPaused(true);
    const pausedAt = await player.currentTime();
    // A fixed span on purpose: that nothing moves while paused can only be seen over time.
    await page.waitForTimeout(300);
    expect(await player.currentTime()).toBe(pausedAt);
    expect(await player.currentIndex()).toBe(0);

    await page.keyboard.press('Space');
    await player.waitForPaused(false);
    await player.waitForPlaybackPast(pausedAt + 0.1);
  });
});

describe('pages', () => {
  it('when a mood does not exist, then the 404 page links back home', async () => {
    const response = await page.goto(`${baseUrl}/playlist/weed/nope`);
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Nothing plays here');
    const home = page.locator('.error-page a[href="/"]');
    expect(await home.count()).toBe(1);
    await Promise.all([page.waitForURL(`${baseUrl}/`), home.click()]);
    expect(await page.locator('a.tile').count()).toBeGreaterThan(0);
  });

  it('when the home, drug and player pages load and play, then there are no Content-Security-Policy violations', async () => {
    const violations = await recordCspViolations(page);
    page.on('console', (msg) => {
      if (/content.security.policy/i.test(msg.text())) violations.push(`console: ${msg.text()}`);
    });

    for (const path of ['/', '/playlist/weed']) {
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
    }
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(0.3);
    // A frame and a moment more for violation events still being dispatched: an absence has no event to wait on.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
    expect(violations).toEqual([]);

    // The detector itself works: an inline script is a violation it reports.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'void 0';
      document.body.append(s);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
  });

  it('when the pages are shown on a phone and a desktop, then nothing scrolls sideways and screenshots of each are saved', async () => {
    const saved: string[] = [];
    const overflow: Record<string, number> = {};
    const shoot = async (name: string) => {
      overflow[name] = await horizontalOverflow(page);
      saved.push(await saveScreenshot(page, name));
    };
    for (const viewport of [
      { width: 360, height: 800 },
      { width: 1280, height: 900 },
    ]) {
      await page.setViewportSize(viewport);
      const size = `${viewport.width}x${viewport.height}`;
      await new HomePage(page, baseUrl).open();
      await shoot(`home-${size}`);
      await new DrugPage(page, baseUrl).open('weed');
      await shoot(`drug-weed-${size}`);
      const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
      await player.play();
      await player.waitForPlaybackPast(0.3);
      await shoot(`player-weed-groovin-${size}`);
      await page.goto(`${baseUrl}/login`);
      await shoot(`login-${size}`);
    }
    expect(
      Object.values(overflow).every((px) => px === 0),
      JSON.stringify(overflow),
    ).toBe(true);
    expect(saved).toHaveLength(8);
    for (const file of saved) {
      const bytes = fs.readFileSync(file);
      expect(bytes.length, file).toBeGreaterThan(1000);
      expect(bytes.subarray(1, 4).toString(), file).toBe('PNG');
    }
  });
});
