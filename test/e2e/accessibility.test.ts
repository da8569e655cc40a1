// axe-core in Chromium on every main page: no serious or critical violations. Adding a page is
// one line in AUDITED; a new kind of visitor is one entry in SIGN_IN.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.js';
import { describeViolations, goto, type AxeWaiver, PlayerPage, registerListener, runAxe, scriptInjected, type Listener } from './pages.js';

const baseUrl = inject('baseUrl');
const session = useBrowser();

type Visitor = 'guest' | 'listener';

interface Audit {
  path: string;
  as: Visitor;
  /** What to do on the page before axe looks at it (the page as loaded otherwise). */
  state?: { name: string; prepare(page: Page): Promise<void> };
}

const playing = { name: 'playing', prepare: (page: Page) => startPlaying(page) };
const shortcutsOpen = { name: 'shortcuts open', prepare: (page: Page) => openShortcuts(page) };
/** The dock as a listener who browses sees it: the mini-player with a song, and a toast. */
const browsing = { name: 'playing, mini-player and a toast', prepare: (page: Page) => playThenBrowse(page) };
const menusOpen = { name: 'account and add menus open', prepare: (page: Page) => openMenus(page) };

const AUDITED: Audit[] = [
  { path: '/', as: 'guest' },
  { path: '/playlist/weed', as: 'guest' },
  { path: '/playlist/weed/groovin', as: 'guest' },
  { path: '/playlist/weed/groovin', as: 'guest', state: playing },
  { path: '/playlist/weed/groovin', as: 'guest', state: shortcutsOpen },
  { path: '/login', as: 'guest' },
  { path: '/register', as: 'guest' },
  { path: '/offline', as: 'guest' }, // what the service worker shows when the server cannot be reached
  { path: '/forgot', as: 'guest' },
  { path: '/popular', as: 'guest' },
  { path: '/popular/weed/groovin', as: 'guest', state: browsing },
  { path: '/playlist/weed/no-such-mood', as: 'guest' }, // a 404
  { path: '/favorites', as: 'listener' }, // after registering through the form and hearting a song
  { path: '/playlist/ecstasy/dance', as: 'listener', state: playing },
  { path: '/playlist/ecstasy/dance', as: 'listener', state: menusOpen },
  { path: '/me/history', as: 'listener' }, // after the listener played Ecstasy · Dance above
  { path: '/me/hidden', as: 'listener' },
  { path: '/favorites/play', as: 'listener' },
  { path: '/my/playlists', as: 'listener' },
  { path: '/my/playlists/new', as: 'listener' },
  { path: '/account', as: 'listener' },
  { path: '/', as: 'listener' }, // the home page of a returning listener: continue, recent moods
];

const BLOCKING = new Set(['serious', 'critical']);

const WAIVERS: AxeWaiver[] = [];

/**
 * How each kind of visitor signs in to the fresh context every test gets. The first time, the
 * listener registers through the form and hearts a song, so /favorites has something to show.
 */
let listener: Listener | undefined;
const SIGN_IN: Record<Visitor, (page: Page) => Promise<void>> = {
  guest: async () => {},
  listener: async (page) => {
    if (!listener) {
      listener = await registerListener(page, baseUrl);
      const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
      await player.heart(0).click();
      await expect.poll(() => player.heart(0).getAttribute('aria-pressed')).toBe('true');
      return;
    }
    await goto(page, `${baseUrl}/login`);
    await page.getByLabel('Username').fill(listener.username);
    await page.getByLabel('Password').fill(listener.password);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Log in' }).click()]);
  },
};

describe('accessibility (axe-core)', () => {
  beforeAll(() => {
    expect(new Set(AUDITED.map(label)).size).toBe(AUDITED.length);
  });

  it.each(AUDITED.map((audit) => [label(audit), audit] as const))('when %s is checked, then axe finds nothing serious or critical', async (_name, audit) => {
    await SIGN_IN[audit.as](session.page);
    const response = await session.page.goto(`${baseUrl}${audit.path}`);
    expect([200, 404]).toContain(response?.status());
    if (await session.page.locator('[data-player]').count()) await new PlayerPage(session.page, baseUrl).ready();
    await audit.state?.prepare(session.page);

    const { violations, waived } = await runAxe(session.page, WAIVERS);
    if (process.env.AXE_VERBOSE) console.log(label(audit), describeViolations(violations), waived);
    const blocking = violations.filter((v) => BLOCKING.has(v.impact ?? ''));
    expect(describeViolations(blocking)).toEqual([]);
    expect(await scriptInjected(session.page)).toBe(false);
  });
});

function label(audit: Audit): string {
  return `${audit.path} as a ${audit.as}${audit.state ? `, ${audit.state.name}` : ''}`;
}

async function startPlaying(page: Page): Promise<void> {
  const player = new PlayerPage(page, baseUrl);
  await player.play();
  await player.waitForPlaybackPast(0.2);
}

async function playThenBrowse(page: Page): Promise<void> {
  const here = page.url();
  await goto(page, `${baseUrl}/playlist/weed/groovin`);
  await startPlaying(page);
  await Promise.all([page.waitForURL(here), page.evaluate((url) => (window as unknown as { Turbo: { visit(u: string): void } }).Turbo.visit(url), here)]);
  await new PlayerPage(page, baseUrl).mini.waitFor({ state: 'visible' });
  await page.keyboard.press('m');
  await new PlayerPage(page, baseUrl).toasts.locator('.toast').first().waitFor();
}

async function openMenus(page: Page): Promise<void> {
  await page.locator('.account-menu summary').click();
  await page.locator('[data-tracks] li.track').first().locator('summary').click();
}

async function openShortcuts(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await new PlayerPage(page, baseUrl).shortcuts.waitFor({ state: 'visible' });
}
