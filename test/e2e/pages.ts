// Page objects for the e2e tests, the Chromium launcher, axe, and screenshots under test-results/.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';

export const screenshotDir = path.join(projectRoot, 'test-results', 'screenshots');

/** Debian's Chromium, offline: no downloads, no calls home, audio allowed to start by itself. */
const chromiumOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
};

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(chromiumOptions);
}

/** The same Chromium with an ordinary profile in `userDataDir`: newContext() ones are incognito, where no app can be installed. */
export function launchProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, chromiumOptions);
}

/** Saves `test-results/screenshots/<name>.png` and returns its path. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  return file;
}

/** axe-core's browser build, injected with page.evaluate (which the page's CSP does not govern). */
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * A known finding in markup this suite's authors do not own, accepted for now: nodes matching
 * `selector` are not reported for `rule`. Every waiver says where the fix belongs.
 */
export interface AxeWaiver {
  rule: string;
  selector: string;
  fixIn: string;
}

/**
 * Runs axe on the page as it is now; returns every violation (callers pick the impacts they fail
 * on) without the waived nodes, and how many nodes each waiver covered.
 */
export async function runAxe(page: Page, waivers: AxeWaiver[] = []): Promise<{ violations: AxeViolation[]; waived: number[] }> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (waivers) => {
    type Result = { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] };
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: Result[] }> } }).axe;
    const { violations } = await axe.run(document);
    const waived = waivers.map(() => 0);
    const kept = violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes
        .filter((n) => {
          const element = n.target.length === 1 ? document.querySelector(n.target[0]!) : null;
          const w = waivers.findIndex((w) => w.rule === id && !!element?.matches(w.selector));
          if (w >= 0) waived[w]!++;
          return w < 0;
        })
        .map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
    return { violations: kept.filter((v) => v.nodes.length > 0), waived };
  }, waivers);
}

/** One line per violation and node, for a readable assertion message. */
export function describeViolations(violations: AxeViolation[]): string[] {
  return violations.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}) at ${n.target.join(' ')}`));
}

/** Whether a `<script>` smuggled into the page through data ran (the markup tests set `window.pwned`). */
export function scriptInjected(page: Page): Promise<boolean> {
  return page.evaluate(() => 'pwned' in window);
}

/** How far the page is wider than the viewport (0 when nothing scrolls sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Navigates to `url` and fails at once, with the status and the page's text, unless it answers 2xx. */
export async function goto(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  if (!response?.ok()) {
    const text =
      (await page
        .locator('body')
        .textContent()
        .catch(() => '')) ?? '';
    throw new Error(`GET ${url} answered ${response?.status() ?? 'nothing'}: ${text.replace(/\s+/g, ' ').trim().slice(0, 300)}`);
  }
}

/** A tile on the home page (drugs) or a drug page (moods), by its exact name. */
function tile(page: Page, name: string): Locator {
  return page.locator('a.tile', { has: page.locator('.tile-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

export class HomePage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(): Promise<this> {
    await goto(this.page, `${this.baseUrl}/`);
    return this;
  }

  async pickDrug(name: string): Promise<DrugPage> {
    await Promise.all([this.page.waitForURL(/\/playlist\/[^/]+$/), tile(this.page, name).click()]);
    return new DrugPage(this.page, this.baseUrl);
  }
}

export class DrugPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(drug: string): Promise<this> {
    await goto(this.page, `${this.baseUrl}/playlist/${drug}`);
    return this;
  }

  async pickMood(name: string): Promise<PlayerPage> {
    await Promise.all([this.page.waitForURL(/\/playlist\/[^/]+\/[^/]+$/), tile(this.page, name).click()]);
    const player = new PlayerPage(this.page, this.baseUrl);
    await player.ready();
    return player;
  }
}

export interface Listener {
  username: string;
  password: string;
}

let listeners = 0;

/** Creates an account through the register form; the page is then logged in as it. */
export async function registerListener(page: Page, baseUrl: string): Promise<Listener> {
  const listener = { username: `e2e_${process.pid}_${Date.now().toString(36)}_${listeners++}`, password: 'a long e2e passphrase' };
  await goto(page, `${baseUrl}/register`);
  await page.getByLabel('Username').fill(listener.username);
  await page.getByLabel('Password').fill(listener.password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/register'), page.getByRole('button', { name: 'Create account' }).click()]);
  await page.locator('.account-name', { hasText: listener.username }).waitFor();
  return listener;
}

export class FavoritesPage {
  readonly titles: Locator;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    this.titles = page.locator('.song-list .track-title');
  }

  async open(): Promise<this> {
    await goto(this.page, `${this.baseUrl}/favorites`);
    return this;
  }
}

export class HistoryPage {
  readonly rows: Locator;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    this.rows = page.locator('.song-list li.track');
  }

  async open(): Promise<this> {
    await goto(this.page, `${this.baseUrl}/me/history`);
    return this;
  }

  /** Row `index`, newest first: its title, when it played, and the genre it played from. */
  async entry(index: number): Promise<{ title: string | null; playedAt: string | null; genre: string | null; genreHref: string | null }> {
    const row = this.rows.nth(index);
    const genre = row.locator('.track-played a');
    const hasGenre = (await genre.count()) > 0;
    return {
      title: await row.locator('.track-title').textContent(),
      playedAt: await row.locator('.track-played time').getAttribute('datetime'),
      genre: hasGenre ? await genre.textContent() : null,
      genreHref: hasGenre ? await genre.getAttribute('href') : null,
    };
  }
}

export interface TrackData {
  id: number;
  title: string;
  artist: string;
  url: string;
  duration: number | null;
}

/** What the server renders into `#playlist-data` for client/player.ts. */
export interface PlaylistData {
  api: string | null;
  cursor: string;
  songs: TrackData[];
}

export class PlayerPage {
  readonly audio: Locator;
  readonly rows: Locator;
  /** Said to screen readers only: "Now playing …". */
  readonly announcer: Locator;
  /** Feedback anyone sees (and screen readers hear): hearts, hides, skips, the sleep timer, the connection. */
  readonly toasts: Locator;
  /** The mini-player at the bottom of every page. */
  readonly mini: Locator;
  readonly seekBar: Locator;
  readonly volume: Locator;
  readonly shortcuts: Locator;
  /** The sleep timer's button (its name ends in the time left or "off") and its menu of choices. */
  readonly sleepButton: Locator;
  readonly sleepMenu: Locator;
  readonly crossfadeButton: Locator;
  readonly crossfadeMenu: Locator;
  readonly crossfadeSlider: Locator;
  /** The crossfade's second element, which plays the old track's last seconds. */
  readonly tail: Locator;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    this.audio = page.locator('audio[data-audio]');
    this.rows = page.locator('[data-tracks] li.track');
    this.announcer = page.locator('[data-announcer]');
    this.toasts = page.locator('[data-toasts]');
    this.mini = page.locator('[data-mini]');
    this.seekBar = page.getByRole('slider', { name: 'Position in the track' });
    this.volume = page.getByRole('slider', { name: 'Volume' });
    this.shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    this.sleepButton = page.getByRole('button', { name: /^Sleep timer/ });
    this.sleepMenu = page.locator('[data-sleep-menu]');
    this.crossfadeButton = page.getByRole('button', { name: /^Crossfade/ });
    this.crossfadeMenu = page.locator('[data-crossfade-menu]');
    // In its menu, which is closed (hidden) most of the time.
    this.crossfadeSlider = page.getByRole('slider', { name: 'Crossfade between tracks', includeHidden: true });
    this.tail = page.locator('audio[data-crossfade-tail]');
  }

  /** `query` is appended as is, e.g. `?limit=100`. */
  async open(drug: string, mood: string, query = ''): Promise<this> {
    await goto(this.page, `${this.baseUrl}/playlist/${drug}/${mood}${query}`);
    await this.ready();
    return this;
  }

  /** Moves focus off the controls, so keys go to the page's shortcuts. */
  async focusPage(): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }

  volumeNow(): Promise<number> {
    return this.audio.evaluate((a: HTMLAudioElement) => a.volume);
  }

  /** The heart of row `index` (logged-in listeners). */
  heart(index: number): Locator {
    return this.rows.nth(index).locator('button.heart');
  }

  /** The script has enhanced the page once the controls are shown; an error page fails at once. */
  async ready(): Promise<void> {
    await this.page.locator('[data-controls]:visible, .error-page').first().waitFor({ timeout: 10_000 });
    const error = this.page.locator('.error-page');
    if (await error.count()) throw new Error(`${this.page.url()} shows an error page: ${(await error.textContent())?.replace(/\s+/g, ' ').trim()}`);
  }

  /** The first batch as the server rendered it into `#playlist-data`. */
  async playlistData(): Promise<PlaylistData> {
    const text = await this.page.locator('#playlist-data').textContent();
    return JSON.parse(text ?? '{}') as PlaylistData;
  }

  async trackIds(): Promise<number[]> {
    return (await this.playlistData()).songs.map((s) => s.id);
  }

  /** The song of every row, the server's and those the player added. */
  rowSongIds(): Promise<number[]> {
    return this.rows.evaluateAll((rows) => rows.map((li) => Number((li as HTMLElement).dataset.songId)));
  }

  trackCount(): Promise<number> {
    return this.rows.count();
  }

  async trackTitles(): Promise<string[]> {
    return this.rows.locator('.track-title').allTextContents();
  }

  /** Index of the row marked current, or -1. */
  currentIndex(): Promise<number> {
    return this.page.evaluate(() => [...document.querySelectorAll('[data-tracks] li.track')].findIndex((li) => li.classList.contains('current')));
  }

  /** Resolves once row `index` (and only it) is current. */
  async waitForCurrent(index: number): Promise<void> {
    await this.page.waitForFunction((i) => {
      const current = [...document.querySelectorAll('[data-tracks] li.track')].flatMap((li, n) => (li.classList.contains('current') ? [n] : []));
      return current.length === 1 && current[0] === i;
    }, index);
  }

  currentTime(): Promise<number> {
    return this.audio.evaluate((a: HTMLAudioElement) => a.currentTime);
  }

  paused(): Promise<boolean> {
    return this.audio.evaluate((a: HTMLAudioElement) => a.paused);
  }

  src(): Promise<string> {
    return this.audio.evaluate((a: HTMLAudioElement) => a.src);
  }

  /** Resolves once the audio is really playing: not paused and past `seconds` into the track. */
  async waitForPlaybackPast(seconds: number, timeout = 10_000): Promise<void> {
    await this.page.waitForFunction(
      (s) => {
        const a = document.querySelector<HTMLAudioElement>('audio[data-audio]');
        return !!a && !a.paused && a.currentTime > s;
      },
      seconds,
      { timeout, polling: 50 },
    );
  }

  async waitForPaused(paused: boolean): Promise<void> {
    await this.page.waitForFunction((p) => document.querySelector<HTMLAudioElement>('audio[data-audio]')?.paused === p, paused);
  }

  async play(): Promise<void> {
    await this.page.locator('[data-action="toggle"]').click();
  }

  async next(): Promise<void> {
    await this.page.locator('[data-action="next"]').click();
  }

  async previous(): Promise<void> {
    await this.page.locator('[data-action="previous"]').click();
  }

  /** Click row `index` of the list. */
  async playRow(index: number): Promise<void> {
    await this.rows.nth(index).click();
  }

  /** Seeks the playing track to `secondsBeforeEnd` before its end (once its duration is known). */
  async seekToEnd(secondsBeforeEnd = 0.3): Promise<void> {
    await this.audio.evaluate(
      (a: HTMLAudioElement, before: number) =>
        new Promise<void>((resolve) => {
          const seek = () => {
            if (!Number.isFinite(a.duration) || a.duration <= 0) return void setTimeout(seek, 50);
            a.currentTime = Math.max(0, a.duration - before);
            resolve();
          };
          seek();
        }),
      secondsBeforeEnd,
    );
  }

  /** Starts recording every text the live regions show (the announcer and each toast); read it with `announcements()`. */
  async recordAnnouncements(): Promise<void> {
    await this.page.evaluate(() => {
      const log: string[] = [];
      (window as unknown as { __announcements: string[] }).__announcements = log;
      // Each record's own text: several changes in one task would all show the last text via el.textContent.
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'characterData') log.push(r.target.textContent ?? '');
          else for (const n of r.addedNodes) log.push((n instanceof Element ? n.querySelector('p')?.textContent : null) ?? n.textContent ?? '');
        }
      });
      for (const region of document.querySelectorAll('[data-announcer], [data-toasts]')) observer.observe(region, { childList: true, characterData: true });
    });
  }

  /** The toasts shown now, their messages only. */
  toastTexts(): Promise<string[]> {
    return this.toasts.locator('.toast p').allTextContents();
  }

  announcements(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __announcements?: string[] }).__announcements ?? []);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
