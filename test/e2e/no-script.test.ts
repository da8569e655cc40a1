// With JavaScript off, Stereodose is still a whole site: every page renders, every song plays on its
// own <audio controls>, and every form works by a full page load (Post/Redirect/Get).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { goto, launchBrowser } from './pages.js';

const baseUrl = inject('baseUrl');
let context: BrowserContext;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  const browser = await launchBrowser();
  context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  page = await context.newPage();
  close = () => browser.close();
});
afterAll(async () => {
  await close?.();
});

/** Submits by a click and waits for the full page load that answers it. */
async function submit(button: ReturnType<Page['locator']>): Promise<void> {
  await Promise.all([page.waitForEvent('load'), button.click()]);
}

const rowIds = () => page.locator('[data-tracks] li.track').evaluateAll((rows) => rows.map((li) => Number((li as HTMLElement).dataset.songId)));

describe('without JavaScript', () => {
  it("when a visitor opens each page, then it renders, the player's songs each have their own audio, and no script-only control shows", async () => {
    for (const path of ['/', '/playlist/weed', '/playlist/weed/groovin', '/popular', '/popular/weed/groovin', '/login', '/register', '/forgot', '/offline']) {
      await goto(page, `${baseUrl}${path}`);
      expect(await page.locator('h1').first().textContent(), path).toBeTruthy();
      expect(await page.locator('[data-dock]').isVisible(), path).toBe(false);
    }
    await goto(page, `${baseUrl}/playlist/weed/groovin`);
    expect(await page.locator('[data-tracks] li.track audio.track-audio[controls]').count()).toBe(30);
    expect(await page.locator('[data-controls]').isVisible()).toBe(false);
  });

  it('when a listener signs up, hearts, hides, adds to a new and an old playlist, plays it, logs out and in, then each form answers with a page', async () => {
    await goto(page, `${baseUrl}/playlist/weed/groovin`);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Sign up' }).click()]);
    const username = `noscript_${Date.now().toString(36)}`;
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('a long plain passphrase');
    await submit(page.getByRole('button', { name: 'Create account' }));
    expect(new URL(page.url()).pathname).toBe('/playlist/weed/groovin');
    expect(await page.locator('.account-name').textContent()).toBe(username);

    // A heart: back on the same list, pressed.
    const first = await rowIds();
    await submit(page.locator('[data-tracks] li.track').first().locator('button.heart'));
    expect(await rowIds()).toEqual(first);
    expect(await page.locator('[data-tracks] li.track').first().locator('button.heart').getAttribute('aria-pressed')).toBe('true');

    // Not for this vibe: the same list, without it.
    await submit(
      page
        .locator('[data-tracks] li.track')
        .nth(1)
        .getByRole('button', { name: /Not for this vibe/ }),
    );
    expect(await rowIds()).toEqual([first[0], ...first.slice(2)]);

    // "New playlist…" from a row's menu (a <details>, which opens without script).
    const row = page.locator('[data-tracks] li.track').nth(2);
    await row.locator('summary').click();
    await row.getByRole('combobox').selectOption('new');
    await submit(row.getByRole('button', { name: 'Add' }));
    expect(new URL(page.url()).pathname).toBe('/my/playlists/new');
    await page.getByLabel('Name').fill('Plain');
    await submit(page.getByRole('button', { name: 'Create playlist' }));
    expect(new URL(page.url()).pathname).toBe('/playlist/weed/groovin');
    expect(await page.locator('.flash').textContent()).toContain('Created “Plain” and added');

    const next = page.locator('[data-tracks] li.track').nth(3);
    await next.locator('summary').click();
    await next.getByRole('combobox').selectOption({ label: 'Plain' });
    await submit(next.getByRole('button', { name: 'Add' }));
    expect(await page.locator('.flash').textContent()).toContain('to “Plain”');

    await page.locator('.account-menu summary').click();
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Playlists' }).click()]);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Plain' }).click()]);
    expect(await page.locator('.up-track').count()).toBe(2);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Play in order' }).click()]);
    expect(await page.locator('[data-tracks] li.track audio.track-audio[controls]').count()).toBe(2);

    for (const path of ['/favorites', '/me/history', '/me/hidden', '/account', '/my/playlists']) await goto(page, `${baseUrl}${path}`);
    // Undo the hide from Hidden songs.
    await goto(page, `${baseUrl}/me/hidden`);
    await submit(page.getByRole('button', { name: /^Undo/ }));
    expect(await page.locator('.hidden-songs li.track').count()).toBe(0);

    await page.locator('.account-menu summary').click();
    await submit(page.getByRole('button', { name: 'Log out' }));
    expect(await page.getByRole('link', { name: 'Log in' }).count()).toBe(1);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Log in' }).click()]);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('a long plain passphrase');
    await submit(page.getByRole('button', { name: 'Log in' }));
    expect(await page.locator('.account-name').textContent()).toBe(username);
  });
});
