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
    await expect.poll(() => player.announcer.textContent()).toBe('Added to your favorites');
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
});
