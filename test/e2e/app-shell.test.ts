// Stereodose as an installable app, in Chromium: the browser finds the manifest and reports no
// installability errors, the service worker takes control, and when the server is gone a page
// visit shows the offline page — while audio and API answers never land in its cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.js';
import { goto, launchProfile, PlayerPage } from './pages.js';
import { startServer } from './server.js';

const baseUrl = inject('baseUrl');
const session = useBrowser();

/** Resolves once the service worker is activated and controls `page` (claim() makes it so without a reload). */
async function waitForServiceWorker(page: Page): Promise<string | undefined> {
  await page.evaluate(async () => {
    const worker = (await navigator.serviceWorker.ready).active!;
    if (worker.state === 'activated') return;
    await new Promise<void>((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
  });
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
  return page.evaluate(() => navigator.serviceWorker.controller?.state);
}

/** Every URL path in the page's caches, by cache name. */
function cachedPaths(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const byCache: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const requests = await (await caches.open(name)).keys();
      byCache[name] = requests.map((r) => new URL(r.url).pathname + new URL(r.url).search);
    }
    return byCache;
  });
}

describe('the installable app', () => {
  it('when a listener opens the home page, then Chromium parses the manifest and reports no installability errors', async () => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-profile-'));
    const context = await launchProfile(profile);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await goto(page, `${baseUrl}/`);
      expect(await waitForServiceWorker(page)).toBe('activated');

      const cdp = await context.newCDPSession(page);
      const { url, errors, manifest } = await cdp.send('Page.getAppManifest', {});
      expect(new URL(url).pathname).toBe('/manifest.webmanifest');
      expect(errors).toEqual([]);
      expect(manifest).toMatchObject({
        id: `${baseUrl}/`,
        name: 'Stereodose',
        scope: `${baseUrl}/`,
        startUrl: `${baseUrl}/?source=pwa`,
        themeColor: 'rgba(15,13,23,1)',
      });
      // Chromium's own spelling of the enum ("kStandalone"); its CDP copy leaves short_name and purposes out.
      expect(manifest.display).toMatch(/standalone$/i);
      expect(manifest.icons?.map((i) => `${new URL(i.url).pathname} ${i.sizes}`)).toEqual([
        '/static/img/icons/icon-192.png 192x192',
        '/static/img/icons/icon-512.png 512x512',
        '/static/img/icons/maskable-192.png 192x192',
        '/static/img/icons/maskable-512.png 512x512',
      ]);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000); // a Chromium of its own

  it('when the service worker is installed, then its one cache holds exactly the shell', async () => {
    const { page } = session;
    await goto(page, `${baseUrl}/`);
    await waitForServiceWorker(page);
    const caches = await cachedPaths(page);
    const names = Object.keys(caches);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^stereodose-shell-[0-9a-f]{12}$/);
    const cached = caches[names[0]!]!;
    expect(cached.map((url) => url.replace(/\?v=[\w-]{12}$/, '')).sort()).toEqual(
      [
        '/offline',
        '/static/css/embed.css',
        '/static/css/noscript.css',
        '/static/css/site.css',
        '/static/js/site.js',
        '/static/img/favicon.svg',
        '/static/img/icons/apple-touch-icon.png',
        '/static/img/icons/icon-192.png',
        '/static/img/icons/icon-512.png',
        '/static/img/icons/maskable-192.png',
        '/static/img/icons/maskable-512.png',
      ].sort(),
    );
    // Under the very URLs the page names them by (fingerprinted), so its requests hit the cache.
    const named = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement | HTMLScriptElement>('link[rel="stylesheet"], script[src], link[rel="icon"]')].map((e) => {
        const url = new URL('href' in e && e.href ? e.href : (e as HTMLScriptElement).src);
        return url.pathname + url.search;
      }),
    );
    expect(named.length).toBeGreaterThanOrEqual(3);
    for (const url of named) expect(cached).toContain(url);
  });
});

describe('offline', () => {
  it('when the server is gone, then a page visit shows the offline page, and no audio or API answer was ever cached', async () => {
    const { page } = session;
    const server = await startServer();
    try {
      const player = await new PlayerPage(page, server.url).open('weed', 'groovin');
      await waitForServiceWorker(page);
      // Traffic the service worker sees and must leave alone: a song streaming, an API answer.
      const { songs } = await player.playlistData();
      await player.play();
      await player.waitForPlaybackPast(0.2);
      expect(await page.evaluate(async () => (await fetch('/api/genres')).status)).toBe(200);
      await player.audio.evaluate((audio: HTMLAudioElement) => audio.pause());

      await server.stop();
      const response = await page.goto(`${server.url}/playlist/weed`);
      expect(response?.fromServiceWorker()).toBe(true);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You’re offline');
      expect(await page.getByRole('link', { name: 'Try again' }).getAttribute('href')).toBe('');

      const cached = Object.values(await cachedPaths(page)).flat();
      expect(cached).toContain('/offline');
      expect(cached).not.toContain(songs[0]!.url);
      expect(cached.filter((path) => /^\/(media|api|rest|playlist)\b/.test(path))).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 60_000); // a server of its own
});
