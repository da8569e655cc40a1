import { chromium } from 'playwright-core';
const [, , url, out, w, h, full] = process.argv;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
const page = await (await browser.newContext({ viewport: { width: Number(w), height: Number(h) } })).newPage();
await page.goto(url);
await page.waitForTimeout(400);
if (process.env.PLAY) {
  await page.locator('[data-player] [data-action="toggle"]').click();
  await page.waitForTimeout(1500);
}
if (process.env.SCROLL) {
  await page.mouse.wheel(0, Number(process.env.SCROLL));
  await page.waitForTimeout(500);
}
await page.screenshot({ path: out, fullPage: full === 'full' });
await browser.close();
