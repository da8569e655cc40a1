// A listener's own radio in a real browser: it continues after a reload and on another device, and
// starts fresh on request.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { goto, launchBrowser, PlayerPage, registerListener, type Listener } from './pages.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function newPlayer() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  return { page, player: new PlayerPage(page, baseUrl) };
}

const note = (player: PlayerPage) => player.page.locator('[data-radio-note]');
const rowTitles = (player: PlayerPage) => player.trackTitles();
const rowIds = (player: PlayerPage) => player.rowSongIds();

async function logIn(player: PlayerPage, listener: Listener) {
  await goto(player.page, `${baseUrl}/login`);
  await player.page.getByLabel('Username').fill(listener.username);
  await player.page.getByLabel('Password').fill(listener.password);
  await Promise.all([player.page.waitForURL((url) => url.pathname !== '/login'), player.page.getByRole('button', { name: 'Log in' }).click()]);
}

describe('the radio', () => {
  it('when a visitor plays two tracks and reloads, then the radio continues with the songs not heard yet; "Start fresh" begins anew', async () => {
    const { player } = await newPlayer();
    await player.open('weed', 'groovin', '?limit=8');
    const first = await rowTitles(player);
    const firstIds = await rowIds(player);
    expect(await note(player).isVisible()).toBe(false);
    await player.play();
    await player.waitForCurrent(0);
    await player.next();
    await player.waitForCurrent(1);
    // The radio remembers a song once it really plays.
    await player.waitForPlaybackPast(0.1);

    await player.open('weed', 'groovin', '?limit=8');
    // A visitor's browser says so in a toast (a note appearing above the list would move it).
    await expect.poll(() => player.toastTexts()).toContain("Continuing your Weed · Groovin' radio.");
    expect(await note(player).isVisible()).toBe(false);
    const continued = await rowTitles(player);
    expect(continued).toEqual(first.slice(2)); // the two heard are not played again
    expect(await player.page.locator('[data-now-title]').textContent()).toBe(first[2]);
    // The list goes on from where the walk stood, still with nothing heard before.
    await player.playRow(continued.length - 1);
    await expect.poll(() => player.trackCount()).toBeGreaterThan(continued.length);
    const more = (await rowIds(player)).slice(continued.length);
    expect(more.filter((id) => firstIds.includes(id))).toEqual([]);

    // "Start fresh" while it plays: the new radio takes over at once, and plays on.
    // Its page is /…?fresh=1, which the script turns back into the radio's plain address.
    await Promise.all([player.page.waitForURL((url) => url.search === ''), player.toasts.getByRole('button', { name: 'Start fresh' }).click()]);
    await player.ready();
    expect(await note(player).isVisible()).toBe(false);
    const fresh = await rowTitles(player);
    await player.waitForCurrent(0);
    await player.waitForPlaybackPast(0.1);
    // A reload now continues the fresh radio after the song that began.
    await player.open('weed', 'groovin', '?limit=8');
    expect(await rowTitles(player)).toEqual(fresh.slice(1));
  });

  it('when a listener plays a mood on one device and opens it on another, then the second continues the same radio', async () => {
    const phone = await newPlayer();
    const listener = await registerListener(phone.page, baseUrl);
    await phone.player.open('ecstasy', 'rolling', '?limit=10');
    const heardOnPhone = await phone.player.trackIds();

    const laptop = await newPlayer();
    await logIn(laptop.player, listener);
    await laptop.player.open('ecstasy', 'rolling', '?limit=10');
    expect(await note(laptop.player).isVisible()).toBe(true);
    const onLaptop = await laptop.player.trackIds();
    expect(onLaptop).toHaveLength(10);
    expect(onLaptop.filter((id) => heardOnPhone.includes(id))).toEqual([]);
  });

  it('when a listener hides the playing song ("not for this vibe"), then it leaves the list, the next one plays, and it never comes back in that mood', async () => {
    const { page, player } = await newPlayer();
    await registerListener(page, baseUrl);
    await player.open('lsd', 'trippy', '?limit=6');
    const before = await rowIds(player);
    await player.play();
    await player.waitForCurrent(0);
    await player.focusPage();
    await page.keyboard.press('x');
    await expect.poll(() => rowIds(player)).toEqual(before.slice(1));
    await player.waitForCurrent(0); // the next song took its place and plays
    await expect.poll(() => player.toastTexts()).toContainEqual(expect.stringContaining('Hidden from LSD · Trippy: “'));

    // The whole mood, afresh: everything but the hidden song.
    await player.open('lsd', 'trippy', '?limit=100&fresh=1');
    const all = await rowIds(player);
    expect(all.length).toBeGreaterThan(10);
    expect(all).not.toContain(before[0]);
    // Another song, hidden with its button, goes the same way.
    await player.rows
      .nth(0)
      .getByRole('button', { name: /Not for this vibe/ })
      .click();
    await expect.poll(() => rowIds(player)).toEqual(all.slice(1));
    await goto(page, `${baseUrl}/me/hidden`);
    expect(await page.locator('.hidden-songs li.track').count()).toBe(2);
  });
});
