// A listener's own path in Chromium: register through the form, heart a song in the player, and
// find it in /favorites.
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.js';
import { FavoritesPage, horizontalOverflow, PlayerPage, registerListener, saveScreenshot } from './pages.js';

const baseUrl = inject('baseUrl');
const session = useBrowser();

describe('favorites from the player', () => {
  it('when a new listener hearts the playing song, then it is saved, counted and listed in /favorites', async () => {
    const csrfHeaders: (string | undefined)[] = [];
    await session.page.route('**/api/plays', async (route) => {
      csrfHeaders.push(route.request().headers()['x-csrf-token']);
      await route.fulfill({ status: 204 });
    });
    await registerListener(session.page, baseUrl);
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    await player.play();
    await player.waitForPlaybackPast(0.1);

    const heart = player.heart(0);
    expect(await heart.getAttribute('aria-pressed')).toBe('false');
    const saved = session.page.waitForResponse((r) => r.url().endsWith(`/api/favorites/${songs[0]!.id}`) && r.request().method() === 'PUT');
    await heart.click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => heart.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => player.toastTexts()).toContain('Added to your favorites.');
    expect(Number(await heart.locator('[data-favorite-count]').textContent())).toBeGreaterThanOrEqual(1);
    // The heart fetch did not stop the music.
    expect(await player.paused()).toBe(false);
    // A logged-in listener's play report carries the page's CSRF token.
    const token = await session.page.locator('meta[name="csrf-token"]').getAttribute('content');
    expect(token).toBeTruthy();
    expect(csrfHeaders).toEqual([token]);

    const favorites = await new FavoritesPage(session.page, baseUrl).open();
    expect(await favorites.titles.allTextContents()).toEqual([songs[0]!.title]);
    // A logged-in listener's header on a phone: the account links wrap, nothing scrolls sideways.
    await session.page.setViewportSize({ width: 360, height: 800 });
    expect(await horizontalOverflow(session.page)).toBe(0);
    await saveScreenshot(session.page, 'favorites-360x800');
    await player.open('weed', 'groovin');
    expect(await horizontalOverflow(session.page)).toBe(0);
  });

  it('when the list grows past its first batch, then the hearts the server rendered and the ones the player appended draw the same icon', async () => {
    await registerListener(session.page, baseUrl);
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const first = await player.trackCount();
    // Starting the last row fetches the next batch ahead.
    await player.playRow(first - 1);
    await expect.poll(() => player.trackCount()).toBeGreaterThan(first);
    const appended = player.heart(first).locator('xpath=ancestor::form');
    const songId = await appended.getAttribute('data-song-id');
    expect(await appended.getAttribute('action')).toBe(`/favorites/${songId}`);
    await player.heart(first).click();
    await expect.poll(() => player.heart(first).getAttribute('aria-pressed')).toBe('true');
    // The appended row's form, filled in from the server's template, now posts where a loved song's does.
    expect(await appended.getAttribute('action')).toBe(`/favorites/${songId}/remove`);

    const sprite = await session.page.locator('[data-dock]').getAttribute('data-icons');
    expect(sprite).toMatch(/^\/static\/img\/icons\.svg\?v=[\w-]{12}$/);
    for (const index of [0, first]) {
      const icon = player.heart(index).locator('svg use');
      expect(await icon.getAttribute('href'), `row ${index}`).toBe(`${sprite}#heart`);
      // The symbol arrived and was drawn: an unresolved <use> has no size.
      await expect.poll(() => icon.evaluate((use) => use.getBoundingClientRect().width), { message: `row ${index}` }).toBeGreaterThan(10);
    }
    // Outlined until loved, filled once loved: the page's CSS reaches the path inside the symbol.
    const fill = (index: number) =>
      player
        .heart(index)
        .locator('svg')
        .evaluate((svg) => getComputedStyle(svg).fill);
    expect(await fill(0)).toBe('none');
    expect(await fill(first)).not.toBe('none');
  });
});
