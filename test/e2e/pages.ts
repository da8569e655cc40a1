// Page objects for the e2e tests, the Chromium launcher, and screenshots under test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';

export const screenshotDir = path.join(projectRoot, 'test-results', 'screenshots');

/** Debian's Chromium, offline: no downloads, no calls home, audio allowed to start by itself. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Saves `test-results/screenshots/<name>.png` and returns its path. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  return file;
}

/** Navigates to `url` and fails at once, with the status and the page's text, unless it answers 2xx. */
async function goto(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  if (!response?.ok()) {
    const text = (await page.locator('body').textContent().catch(() => '')) ?? '';
    throw new Error(`GET ${url} answered ${response?.status() ?? 'nothing'}: ${text.replace(/\s+/g, ' ').trim().slice(0, 300)}`);
  }
}

/** A tile on the home page (drugs) or a drug page (moods), by its exact name. */
function tile(page: Page, name: string): Locator {
  return page.locator('a.tile', { has: page.locator('.tile-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

export class HomePage {
  constructor(readonly page: Page, readonly baseUrl: string) {}

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
  constructor(readonly page: Page, readonly baseUrl: string) {}

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
  readonly announcer: Locator;

  constructor(readonly page: Page, readonly baseUrl: string) {
    this.audio = page.locator('audio[data-audio]');
    this.rows = page.locator('[data-tracks] li.track');
    this.announcer = page.locator('[data-announcer]');
  }

  async open(drug: string, mood: string): Promise<this> {
    await goto(this.page, `${this.baseUrl}/playlist/${drug}/${mood}`);
    await this.ready();
    return this;
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

  trackCount(): Promise<number> {
    return this.rows.count();
  }

  async trackTitles(): Promise<string[]> {
    return this.rows.locator('.track-title').allTextContents();
  }

  /** Index of the row marked current, or -1. */
  currentIndex(): Promise<number> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('[data-tracks] li.track')].findIndex((li) => li.classList.contains('current')),
    );
  }

  /** Resolves once row `index` (and only it) is current. */
  async waitForCurrent(index: number): Promise<void> {
    await this.page.waitForFunction(
      (i) => {
        const current = [...document.querySelectorAll('[data-tracks] li.track')].flatMap((li, n) => (li.classList.contains('current') ? [n] : []));
        return current.length === 1 && current[0] === i;
      },
      index,
    );
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

  /** Starts recording every text the `[data-announcer]` live region shows; read it with `announcements()`. */
  async recordAnnouncements(): Promise<void> {
    await this.announcer.evaluate((el) => {
      const log: string[] = [];
      (window as unknown as { __announcements: string[] }).__announcements = log;
      // Each record's own text: several changes in one task would all show the last text via el.textContent.
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'characterData') log.push(r.target.textContent ?? '');
          else r.addedNodes.forEach((n) => log.push(n.textContent ?? ''));
        }
      }).observe(el, { childList: true, characterData: true, subtree: true });
    });
  }

  announcements(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __announcements?: string[] }).__announcements ?? []);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
