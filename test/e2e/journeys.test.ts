// The player as a listener lives with it, across features: the music goes on while they browse,
// log in and out and fill in forms; the mini-player is at hand on a phone; a hidden song stays
// gone through reloads; a lost connection pauses rather than skips; a shared link opens the very
// list that plays; and 50 page changes bind nothing twice.
import type { Page } from 'playwright-core';
import { waitFor } from '../helpers/wait.js';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.js';
import { goto, PlayerPage, registerListener, saveScreenshot } from './pages.js';

const baseUrl = inject('baseUrl');
const session = useBrowser();
const phone = useBrowser({ width: 360, height: 740 });

/** Counts, on the dock's <audio>, how many seconds it has played: proof that the element lived on and played. */
async function trackPlaying(page: Page): Promise<void> {
  await page.evaluate(() => {
    const audio = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
    const state = { played: 0, last: audio.currentTime };
    (audio as unknown as { __journey: typeof state }).__journey = state;
    audio.addEventListener('timeupdate', () => {
      const step = audio.currentTime - state.last;
      if (step > 0 && step < 2) state.played += step;
      state.last = audio.currentTime;
    });
  });
}

/** Seconds played by the same <audio> since trackPlaying (null if it is another element), and how many media elements play. */
function playedSoFar(page: Page): Promise<{ played: number | null; playing: number; paused: boolean }> {
  return page.evaluate(() => {
    const audio = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
    const state = (audio as unknown as { __journey?: { played: number } }).__journey;
    return {
      played: state ? state.played : null,
      playing: [...document.querySelectorAll<HTMLMediaElement>('audio, video')].filter((m) => !m.paused).length,
      paused: audio.paused,
    };
  });
}

/** After each step: the same element, still the only one playing, has played further than before. */
async function stillPlaying(page: Page, before: number, step: string): Promise<number> {
  let now = { played: null as number | null, playing: 0, paused: true };
  await expect
    .poll(
      async () => {
        now = await playedSoFar(page);
        return now.played !== null && now.played > before + 0.2 && !now.paused;
      },
      { message: `${step}: ${JSON.stringify(now)}`, timeout: 10_000 },
    )
    .toBe(true);
  expect(now.playing, step).toBe(1);
  return now.played!;
}

const click = async (page: Page, locator: ReturnType<Page['locator']>, url: RegExp | ((u: URL) => boolean)) => {
  await Promise.all([page.waitForURL(url), locator.click()]);
};

describe('the music never stops', () => {
  it('when a listener browses, signs up, adds to a new playlist, logs out and in, and goes back and forward, then the same audio plays on throughout', async () => {
    const { page } = session;
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(0.3);
    await trackPlaying(page);
    let played = 0;
    const step = async (name: string) => {
      played = await stillPlaying(page, played, name);
    };

    await click(page, page.getByRole('link', { name: 'Popular' }), /\/popular$/);
    await step('popular');
    await click(page, page.locator('a.brand'), (u) => u.pathname === '/');
    await click(page, page.locator('a.tile', { hasText: 'Ecstasy' }), /\/playlist\/ecstasy$/);
    await step('a drug');

    // Signing up comes back to the page it was asked from.
    await click(page, page.getByRole('link', { name: 'Sign up' }), /\/register\?next=/);
    const username = `journey_${Date.now().toString(36)}`;
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('a long journey passphrase');
    await click(page, page.getByRole('button', { name: 'Create account' }), /\/playlist\/ecstasy$/);
    await expect.poll(() => page.locator('.account-name').textContent()).toBe(username);
    await step('signed up');

    await click(page, page.locator('.nav-wide', { hasText: 'Favorites' }), /\/favorites$/);
    await step('favorites');

    // The mini-player opens the full player of what plays: its row is marked, the music goes on.
    await click(page, player.mini.locator('[data-mini-open]'), /\/playlist\/weed\/groovin$/);
    await expect.poll(() => player.currentIndex()).toBeGreaterThanOrEqual(0);
    await step('back on the player');

    // "New playlist…" in a row's menu: a form page, then back to the player, the song in the playlist.
    const row = player.rows.nth(2);
    const song = await row.locator('.track-title').textContent();
    await row.locator('summary').click();
    await row.getByRole('combobox').selectOption('new');
    await click(page, row.getByRole('button', { name: 'Add' }), /\/my\/playlists\/new\?/);
    await step('new playlist form');
    await page.getByLabel('Name').fill('Journey');
    await click(page, page.getByRole('button', { name: 'Create playlist' }), /\/playlist\/weed\/groovin/);
    await expect.poll(() => page.locator('.flash').textContent()).toBe(`Created “Journey” and added “${song}”.`);
    await step('playlist created');

    // Adding another song to it stays on the page, and says so.
    const other = player.rows.nth(3);
    const otherTitle = await other.locator('.track-title').textContent();
    await other.locator('summary').click();
    await other.getByRole('combobox').selectOption({ label: 'Journey' });
    await other.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => player.toastTexts()).toContain(`Added “${otherTitle}” to “Journey”.`);
    expect(new URL(page.url()).pathname).toBe('/playlist/weed/groovin');
    await step('added to playlist');

    await page.locator('.account-menu summary').click();
    await click(page, page.getByRole('link', { name: 'Account' }), /\/account$/);
    await step('account');

    await page.locator('.account-menu summary').click();
    await click(page, page.getByRole('button', { name: 'Log out' }), (u) => u.pathname === '/');
    await expect.poll(() => page.getByRole('link', { name: 'Log in' }).count()).toBe(1);
    await step('logged out');

    await click(page, page.getByRole('link', { name: 'Log in' }), /\/login\?next=%2F$/);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('wrong password, first');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('.form-message').count()).toBe(1);
    await step('a refused login');
    await page.getByLabel('Password').fill('a long journey passphrase');
    await click(page, page.getByRole('button', { name: 'Log in' }), (u) => u.pathname === '/');
    await expect.poll(() => page.locator('.account-name').textContent()).toBe(username);
    await step('logged in');

    await page.goBack();
    await page.goForward();
    await step('back and forward');
  });

  it('when a page is missing, then its 404 shows inside the site and the music goes on', async () => {
    const { page } = session;
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(0.3);
    await trackPlaying(page);
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = '/playlist/weed/no-such-mood';
      a.textContent = 'a dead link';
      document.querySelector('main')!.append(a);
    });
    await click(page, page.getByRole('link', { name: 'a dead link' }), /no-such-mood$/);
    await expect.poll(() => page.locator('.error-page h1').textContent()).toBe('Nothing plays here');
    await stillPlaying(page, 0, '404 page');
    await click(page, page.getByRole('link', { name: 'Pick a drug' }), (u) => u.pathname === '/');
    await stillPlaying(page, 0.5, 'home after the 404');
  });
});

describe('the controls every player has', () => {
  it('when previous is pressed 3 seconds into a track, then the track starts again; m and the speaker mute and unmute', async () => {
    const { page } = session;
    const player = await new PlayerPage(page, baseUrl).open('weed', 'chill');
    await player.play();
    await player.next();
    await player.waitForCurrent(1);
    await player.waitForPlaybackPast(3.2);
    await player.previous();
    await expect.poll(() => player.currentTime()).toBeLessThan(1.5);
    expect(await player.currentIndex()).toBe(1);
    // Before 3 seconds, it is the track before.
    await player.previous();
    await player.waitForCurrent(0);

    await player.focusPage();
    await page.keyboard.press('m');
    await expect.poll(() => player.audio.evaluate((a: HTMLAudioElement) => a.muted)).toBe(true);
    await expect.poll(() => player.toastTexts()).toContain('Muted.');
    const mute = page.getByRole('button', { name: 'Mute' });
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await mute.click();
    await expect.poll(() => player.audio.evaluate((a: HTMLAudioElement) => a.muted)).toBe(false);
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
  });

  it('when a visitor comes back to the home page, then it offers to continue the radio they played, which goes on where it was', async () => {
    const { page } = session;
    const player = await new PlayerPage(page, baseUrl).open('ecstasy', 'floored', '?limit=6');
    const ids = await player.trackIds();
    await player.play();
    await player.waitForPlaybackPast(0.2);
    await goto(page, `${baseUrl}/`);
    const link = page.getByRole('link', { name: 'Continue your Ecstasy · Floored radio' });
    await link.waitFor();
    await click(page, link, /\/playlist\/ecstasy\/floored$/);
    await player.ready();
    expect(await player.rowSongIds()).toEqual(ids.slice(1));
  });
});

describe('the mini-player on a phone', () => {
  it('when a listener scrolls down a 360×740 list, then play and next stay in reach at the bottom, and the title opens the full player', async () => {
    const { page } = phone;
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(0.2);
    await page.mouse.wheel(0, 4000);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    const toggle = player.mini.locator('[data-mini-action="toggle"]');
    const box = (await toggle.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    expect(box.y).toBeGreaterThan(740 - 80);
    expect(box.width).toBeGreaterThanOrEqual(44);
    // Nine rows or more fit on the screen.
    const rowHeight = await player.rows.nth(5).evaluate((li) => li.getBoundingClientRect().height + parseFloat(getComputedStyle(li).marginBottom));
    expect(9 * rowHeight).toBeLessThan(740 - 64 - 56);
    await saveScreenshot(page, 'mini-player-360x740');
    await toggle.click();
    await player.waitForPaused(true);
    await toggle.click();
    await player.waitForPaused(false);
    await player.mini.locator('[data-mini-action="next"]').click();
    await player.waitForCurrent(1);
    await expect.poll(() => player.mini.locator('[data-mini-title]').textContent()).toBe((await player.playlistData()).songs[1]!.title);
  });

  it('when a title is long, then the full player keeps its controls where they are', async () => {
    const { page } = phone;
    await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    const top = () => page.locator('[data-player] [data-action="toggle"]').evaluate((b) => b.getBoundingClientRect().top);
    const before = await top();
    await page
      .locator('[data-now-title]')
      .evaluate((h) => (h.textContent = 'A very long title that goes on and on across several lines of a small phone screen'));
    expect(await top()).toBe(before);
  });
});

describe('a hidden song', () => {
  it('when a listener hides a song of the list and the playing one, then neither comes back in 8 reloads', async () => {
    const { page } = session;
    await registerListener(page, baseUrl);
    const player = await new PlayerPage(page, baseUrl).open('lsd', 'trippy', '?limit=10');
    const ids = await player.trackIds();
    await player.play();
    await player.waitForPlaybackPast(0.2);
    await player.next();
    await player.waitForCurrent(1);
    await player.waitForPlaybackPast(0.2);

    // One waiting further down the list, with its button; Undo offered, not taken.
    await player.rows
      .nth(4)
      .getByRole('button', { name: /Not for this vibe/ })
      .click();
    await expect.poll(() => player.toastTexts()).toContainEqual(expect.stringContaining('Hidden from LSD · Trippy'));
    expect(await player.toasts.getByRole('button', { name: /^Undo/ }).count()).toBeGreaterThan(0);
    // And the one playing, with the x key.
    await player.focusPage();
    await page.keyboard.press('x');
    await expect.poll(() => player.rowSongIds()).not.toContain(ids[1]);
    const hidden = [ids[4]!, ids[1]!];

    for (let reload = 0; reload < 8; reload++) {
      await page.reload();
      await player.ready();
      await expect.poll(() => page.evaluate(() => !!document.querySelector('[data-tracks] li.track'))).toBe(true);
      const listed = await player.rowSongIds();
      expect(
        listed.filter((id) => hidden.includes(id)),
        `reload ${reload + 1}`,
      ).toEqual([]);
    }
  });

  it('when a hide is undone from its toast, then the song is back in the list and the radio', async () => {
    const { page } = session;
    await registerListener(page, baseUrl);
    const player = await new PlayerPage(page, baseUrl).open('shrooms', 'space', '?limit=8');
    const ids = await player.trackIds();
    await player.play();
    await player.waitForPlaybackPast(0.2);
    await player.rows
      .nth(3)
      .getByRole('button', { name: /Not for this vibe/ })
      .click();
    await expect.poll(() => player.rows.count()).toBe(7);
    await player.toasts.getByRole('button', { name: /^Undo/ }).click();
    await expect.poll(() => player.rowSongIds()).toEqual(ids);
    await expect.poll(() => player.toastTexts()).toContainEqual(expect.stringContaining('can play in Shrooms · Space again'));
    await goto(page, `${baseUrl}/me/hidden`);
    expect(await page.locator('.hidden-songs li.track').count()).toBe(0);
  });
});

describe('a lost connection', () => {
  /** The radio this browser saved, as stored. */
  const savedRadio = (page: Page, key: string) => page.evaluate((k) => localStorage.getItem(`stereodose.radio.${k}`), key);

  it('when the browser is offline for 8 seconds, then the player pauses and says so, skips nothing, keeps the saved radio, and plays on when back', async () => {
    const { page, context } = session;
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(0.5);
    const saved = await savedRadio(page, 'weed/groovin');
    expect(saved).not.toBeNull();

    await context.setOffline(true);
    await player.waitForPaused(true);
    await expect.poll(() => player.toastTexts()).toContainEqual(expect.stringContaining('You are offline'));
    await saveScreenshot(page, 'offline-paused');
    // The 8 s offline are the scenario: longer than the player's whole retry ladder (1 + 2 + 4 s).
    await page.waitForTimeout(8000);
    expect(await player.currentIndex()).toBe(0);
    expect(await player.paused()).toBe(true);
    expect(await savedRadio(page, 'weed/groovin')).toBe(saved);

    await context.setOffline(false);
    await player.waitForPlaybackPast(0.6);
    expect(await player.currentIndex()).toBe(0);
    await expect.poll(() => player.toastTexts()).toContainEqual(expect.stringContaining('Back online'));
  });

  it('when the site stops answering, then a track is tried again with backoff, playback pauses after the third failure, and goes on once the site answers', async () => {
    const { page } = session;
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    await player.play();
    await player.waitForPlaybackPast(0.2);
    let down = true;
    const requests: string[] = [];
    await page.route(/\/(media|healthz)/, async (route) => {
      requests.push(new URL(route.request().url()).pathname);
      if (down) await route.abort('connectionrefused');
      else await route.continue();
    });
    await player.next();
    await expect.poll(() => player.toastTexts(), { timeout: 15_000 }).toContainEqual(expect.stringContaining('The connection was lost'));
    expect(await player.paused()).toBe(true);
    // Still the track asked for: nothing was skipped for the connection's sake.
    expect(await player.currentIndex()).toBe(1);
    expect(requests.filter((p) => p === songs[1]!.url).length).toBeGreaterThanOrEqual(3);
    const saved = await savedRadio(page, 'weed/groovin');

    down = false;
    await player.waitForPlaybackPast(0.2, 15_000);
    expect(await player.currentIndex()).toBe(1);
    expect(await player.src()).toContain(songs[1]!.url);
    expect(JSON.parse((await savedRadio(page, 'weed/groovin'))!).pending[0].id).toBe(songs[2]!.id);
    expect(saved).not.toBeNull();
  });
});

describe('sharing what plays', () => {
  it('when a listener shares the mix two songs in, then the link opens exactly the list from the song playing, and the embed code names it too', async () => {
    const { page, context, browser } = session;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const player = await new PlayerPage(page, baseUrl).open('ecstasy', 'rolling');
    await player.play();
    await player.waitForPlaybackPast(0.2);
    await player.next();
    await player.next();
    await player.waitForCurrent(2);
    const playing = (await player.trackTitles()).slice(2);

    await page.getByRole('link', { name: 'Share this mix' }).click();
    await expect.poll(() => player.toastTexts()).toContainEqual(expect.stringContaining('Link copied'));
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(new RegExp(`^${baseUrl}/playlist/ecstasy/rolling\\?songs=[\\d-]+&cursor=`));
    expect(await page.getByRole('link', { name: 'Share this mix' }).getAttribute('href')).toBe(link.slice(baseUrl.length));

    await page.getByText('Embed', { exact: true }).click();
    await expect.poll(() => page.locator('#embed-code').inputValue()).toContain(link.replace('/playlist/', '/embed/').replace(/&/g, '&amp;'));
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => player.toastTexts()).toContain('Embed code copied.');

    // Someone else opens it: the same songs, in the same order, from the one that was playing.
    const friend = await browser.newContext();
    try {
      const theirs = await friend.newPage();
      await goto(theirs, link);
      expect(await new PlayerPage(theirs, baseUrl).trackTitles()).toEqual(playing);
    } finally {
      await friend.close();
    }
  });
});

describe('page changes bind nothing twice', () => {
  it('when a listener goes back and forth 50 times, then the player has the same listeners as before and one click makes one request', async () => {
    const { page } = session;
    await registerListener(page, baseUrl);
    const player = await new PlayerPage(page, baseUrl).open('weed', 'groovin');
    const cdp = await page.context().newCDPSession(page);
    const listenersOnAudio = async () => {
      const { result } = await cdp.send('Runtime.evaluate', { expression: "document.querySelector('audio[data-audio]')" });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
      const { listeners: onDocument } = await cdp.send('DOMDebugger.getEventListeners', {
        objectId: (await cdp.send('Runtime.evaluate', { expression: 'document' })).result.objectId!,
      });
      return listeners.length + onDocument.length;
    };
    const roundTrip = async () => {
      await click(page, page.getByRole('link', { name: 'Popular' }), /\/popular$/);
      await page.goBack();
      await player.ready();
    };
    // The count once the page has settled: the same in two looks 300 ms apart (a track still
    // loading, or a page change finishing, holds listeners of its own for a moment).
    const settledCount = async () => {
      let last = -1;
      return waitFor(
        async () => {
          const now = await listenersOnAudio();
          const settled = now === last;
          last = now;
          return settled ? now : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 300, why: () => `listeners still changing (${last})` },
      );
    };
    // One round trip first: the one-time listeners of a first load (DOMContentLoaded and such) are gone after it.
    await roundTrip();
    const before = await settledCount();
    // 50 more page changes: to Popular by its link, and back to the player. A page part that bound
    // anything twice would add a listener per change (50 or more); the track's own bindings (its
    // loading, the loudness twin) come and go by a few as the track's state changes, so the count
    // may differ by those but never grow with the page changes.
    for (let i = 0; i < 25; i++) await roundTrip();
    const after = await settledCount();
    expect(after - before, `listeners on the audio and the document: ${before} before, ${after} after`).toBeLessThan(25);

    const puts: string[] = [];
    page.on('request', (r) => r.url().includes('/api/favorites/') && puts.push(r.method()));
    await player.heart(0).click();
    await expect.poll(() => player.heart(0).getAttribute('aria-pressed')).toBe('true');
    expect(puts).toEqual(['PUT']);
  });
});
