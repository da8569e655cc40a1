// A Subsonic app's stream in a real browser: Chromium plays a song from /rest/stream, seeking with
// Range requests, authenticated by an app password made on the account page; and a web client on
// another origin (a page that insists on cross-origin permission for everything it embeds) shows a
// PNG cover and plays a song through /rest with an apiKey.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

/** Makes an app password on the account page, as a listener would, and reads it off the page. */
async function appPasswordOf(page: Page, device: string): Promise<string> {
  await goto(page, `${baseUrl}/account`);
  await page.getByLabel('Device or app').fill(device);
  await page.getByRole('button', { name: 'Make an app password' }).click();
  return (await page.locator('code.app-password').textContent())!.trim();
}

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

  it('when a page on another origin uses /rest with an apiKey, then it shows the PNG cover and plays the song', async () => {
    const page = await context.newPage();
    await registerListener(page, baseUrl);
    const apiKey = await appPasswordOf(page, 'Web client');
    const { songs } = (await (await page.request.get(`${baseUrl}/api/playlists/weed/groovin?limit=1`)).json()) as { songs: { id: number }[] };
    const songId = songs[0]!.id;

    // The web client: its own origin (another port), and COEP require-corp, so the browser loads
    // nothing from elsewhere unless that answer allows it.
    const client = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cross-Origin-Embedder-Policy': 'require-corp' });
      res.end('<!doctype html><title>Web client</title><img id="cover" alt=""><audio id="player"></audio>');
    });
    await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve));
    try {
      const clientUrl = `http://127.0.0.1:${(client.address() as AddressInfo).port}/`;
      expect(new URL(clientUrl).origin).not.toBe(new URL(baseUrl).origin);
      await goto(page, clientUrl);
      const rest = (method: string, params: string) => `${baseUrl}/rest/${method}?apiKey=${apiKey}&v=1.16.1&c=web&${params}`;
      const result = await page.evaluate(
        async ({ song, cover, stream }) => {
          // The answer, read by script across origins (CORS).
          const answer = (await (await fetch(song)).json())['subsonic-response'];
          const img = document.getElementById('cover') as HTMLImageElement;
          await new Promise((resolve, reject) => {
            img.onload = resolve;
            img.onerror = () => reject(new Error('the cover did not load'));
            img.src = answer.song.coverArt ? `${cover}&id=${encodeURIComponent(answer.song.coverArt)}` : cover;
          });
          const png = await fetch(img.src);
          const audio = document.getElementById('player') as HTMLAudioElement;
          audio.muted = true;
          audio.src = stream;
          await audio.play();
          await new Promise<void>((resolve) => {
            const moved = () => {
              if (audio.currentTime < 0.3) return;
              audio.removeEventListener('timeupdate', moved);
              resolve();
            };
            audio.addEventListener('timeupdate', moved);
          });
          return {
            status: answer.status,
            coverWidth: img.naturalWidth,
            coverType: png.headers.get('content-type'),
            played: audio.currentTime,
            isolated: window.crossOriginIsolated,
          };
        },
        { song: rest('getSong', `f=json&id=${songId}`), cover: rest('getCoverArt', 'size=96'), stream: rest('stream', `id=${songId}`) },
      );
      expect(result).toMatchObject({ status: 'ok', coverWidth: 96, coverType: 'image/png' });
      expect(result.played).toBeGreaterThan(0.3);
    } finally {
      await new Promise((resolve) => client.close(resolve));
    }
  });
});
