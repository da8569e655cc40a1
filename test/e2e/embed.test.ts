// Another site frames Stereodose: a page on a different origin holds the embed's iframe (the very
// snippet the player's "Embed" button shows), and the mood plays inside it, with no cookie set.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.js';
import { saveScreenshot, screenshotDir } from './pages.js';

const baseUrl = inject('baseUrl');
const session = useBrowser();

// The other site: serves whatever HTML a test gives it, from its own origin (localhost, not 127.0.0.1).
let hostHtml = '';
let host: http.Server;
let hostUrl: string;
beforeAll(async () => {
  host = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostHtml)).listen(0, '127.0.0.1');
  await new Promise((resolve) => host.once('listening', resolve));
  hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

const hostPage = (body: string) => `<!doctype html><html lang="en"><head><title>A blog</title></head><body><h1>My blog</h1>${body}</body></html>`;

describe('the embedded player', () => {
  it("when the player's Embed snippet is pasted on another site, then Weed · Groovin' plays inside the iframe and no cookie is set", async () => {
    const { page, context } = session;
    await page.goto(`${baseUrl}/playlist/weed/groovin`);
    const listed = await page.locator('[data-tracks] .track-title').allTextContents();
    await page.getByText('Embed', { exact: true }).click();
    const snippet = await page.locator('#embed-code').inputValue();
    // The snippet names exactly the list the page shows, and where its walk goes on.
    expect(snippet).toMatch(new RegExp(`^<iframe src="${baseUrl}/embed/weed/groovin\\?songs=[\\d-]+&amp;cursor=[^"]+"`));
    await context.clearCookies();

    hostHtml = hostPage(snippet);
    await page.goto(hostUrl);
    const frame = page.frameLocator('iframe');
    await expect.poll(() => frame.locator('[data-controls]').isVisible()).toBe(true);
    expect(await frame.locator('.eyebrow').textContent()).toContain('Weed · Groovin');
    const firstTitle = await frame.locator('[data-now-title]').textContent();
    expect(firstTitle).toBe(listed[0]);

    await frame.getByRole('button', { name: 'Play' }).click();
    const audio = frame.locator('[data-audio]');
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => !a.paused && a.currentTime > 0), { timeout: 10_000 }).toBe(true);

    await frame.getByRole('button', { name: 'Next track' }).click();
    await expect.poll(() => frame.locator('[data-now-title]').textContent()).not.toBe(firstTitle);
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => !a.paused && a.currentTime > 0), { timeout: 10_000 }).toBe(true);

    await frame.getByText('Queue', { exact: true }).click();
    await expect.poll(() => frame.locator('li.track').count()).toBe(30);
    expect(await frame.locator('li.track.current .track-title').textContent()).toBe(await frame.locator('[data-now-title]').textContent());
    expect(await frame.getByRole('link', { name: /Open on Stereodose/ }).getAttribute('href')).toMatch(
      new RegExp(`^${baseUrl}/playlist/weed/groovin\\?songs=`),
    );

    await saveScreenshot(page, 'embed-queue-open');
    await frame.getByText('Queue', { exact: true }).click();
    await page.locator('iframe').screenshot({ path: path.join(screenshotDir, 'embedded-player.png') });
    expect(await context.cookies(baseUrl)).toEqual([]);
  });

  it('when another site frames a page that is not an embed, then Chromium refuses to show it', async () => {
    const { page } = session;
    hostHtml = hostPage(`<iframe src="${baseUrl}/playlist/weed/groovin" title="not an embed"></iframe>`);
    const refused = page.waitForEvent('console', (m) => /frame-ancestors|Refused to frame/.test(m.text()));
    await page.goto(hostUrl);
    await refused;
    expect(page.frames().some((f) => f.url().startsWith(`${baseUrl}/playlist/`) && f.url() !== 'about:blank')).toBe(false);
  });

  it('when a shared mix is embedded, then the iframe plays that very mix', async () => {
    const { page } = session;
    const mix = (await (await fetch(`${baseUrl}/api/playlists/weed/groovin`)).json()) as { dose: string; songs: { title: string }[] };
    hostHtml = hostPage(`<iframe src="${baseUrl}/embed/weed/groovin?dose=${mix.dose}" width="480" height="200" title="a mix"></iframe>`);
    await page.goto(hostUrl);
    const frame = page.frameLocator('iframe');
    await expect.poll(() => frame.locator('[data-controls]').isVisible()).toBe(true);
    expect(await frame.locator('[data-now-title]').textContent()).toBe(mix.songs[0]!.title);
    expect(await frame.locator('.eyebrow').textContent()).toContain('a shared mix');
  });
});
