// A Subsonic app's stream in a real browser: Chromium plays a song from /rest/stream, seeking with
// Range requests, authenticated by an app password made on the account page.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { goto, launchBrowser, registerListener } from './pages.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('the Subsonic stream', () => {
  it('when an app password is made and a song streamed with it, then Chromium plays it, asking with Range', async () => {
    const page = await context.newPage();
    const listener = await registerListener(page, baseUrl);
    await goto(page, `${baseUrl}/account`);
    await page.getByLabel('Device or app').fill('Browser test');
    await page.getByRole('button', { name: 'Make an app password' }).click();
    const password = (await page.locator('code.app-password').textContent())!.trim();
    expect(password).toMatch(/^[a-z2-9]{24}$/);

    const { songs } = (await (await page.request.get(`${baseUrl}/api/playlists/weed/groovin?limit=1`)).json()) as { songs: { id: number }[] };
    const ranges: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/rest/stream')) ranges.push(request.headers().range);
    });
    const src = `${baseUrl}/rest/stream.view?u=${encodeURIComponent(listener.username)}&p=${password}&v=1.16.1&c=e2e&id=${songs[0]!.id}`;
    const played = await page.evaluate(async (url) => {
      const audio = new Audio(url);
      audio.muted = true;
      await audio.play();
      // Playing, for real: the clock moves.
      await new Promise<void>((resolve) => {
        const moved = () => {
          if (audio.currentTime < 0.3) return;
          audio.removeEventListener('timeupdate', moved);
          resolve();
        };
        audio.addEventListener('timeupdate', moved);
      });
      audio.currentTime = 5; // a seek: the browser asks for that part with a Range
      await new Promise((resolve) => audio.addEventListener('seeked', resolve, { once: true }));
      return { time: audio.currentTime, duration: audio.duration };
    }, src);
    expect(played.time).toBeGreaterThanOrEqual(5);
    expect(played.duration).toBeGreaterThan(20);
    expect(ranges.some((r) => r?.startsWith('bytes='))).toBe(true);
  });
});
