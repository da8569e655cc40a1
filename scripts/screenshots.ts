// `npm run docs:screenshots`: the README's pictures of the player, taken in headless Chromium from
// the real server with the demo catalog (a fresh SQLite file), so they show the product as it is.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../src/paths.js';
import { launchBrowser } from '../test/e2e/pages.js';
import { buildClient, startServer } from '../test/e2e/server.js';

const out = (name: string) => path.join(projectRoot, 'docs', 'screenshots', name);

async function playThere(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('[data-controls]:visible').waitFor();
  await page.locator('[data-player] [data-action="toggle"]').click();
  await page.waitForFunction(() => {
    const a = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
    return !a.paused && a.currentTime > 2.5;
  });
}

await buildClient();
const server = await startServer();
const browser = await launchBrowser();
try {
  // A phone, scrolled down the list: the mini-player at the bottom, and a toast above it.
  const phone = await (await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 })).newPage();
  await playThere(phone, `${server.url}/playlist/weed/groovin`);
  await phone.mouse.wheel(0, 700);
  await phone.keyboard.press('c');
  await phone.waitForTimeout(400);
  await phone.screenshot({ path: out('player-phone.png') });

  // A desktop, browsing another drug's moods while a mood plays on in the mini-player.
  const desktop = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await desktop.goto(server.url);
  await desktop.screenshot({ path: out('home-desktop.png') });
  await playThere(desktop, `${server.url}/playlist/lsd/trippy`);
  await Promise.all([
    desktop.waitForURL(/\/playlist\/shrooms$/),
    desktop.evaluate(() => (window as unknown as { Turbo: { visit(u: string): void } }).Turbo.visit('/playlist/shrooms')),
  ]);
  await desktop.waitForTimeout(800);
  await desktop.screenshot({ path: out('mini-player-desktop.png') });
  console.log('docs/screenshots/: player-phone.png, mini-player-desktop.png, home-desktop.png');
} finally {
  await browser.close();
  await server.stop();
}
