// The player's comforts in Chromium: the sleep timer (end of this track, and 15 minutes on
// Playwright's clock), the crossfade between tracks, their keys, their menus under axe, and their
// place in the layout on a phone.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.js';
import { describeViolations, horizontalOverflow, PlayerPage, runAxe, saveScreenshot } from './pages.js';

const baseUrl = inject('baseUrl');
const session = useBrowser();

interface Sample {
  /** The main element's time, volume and state. */
  time: number;
  volume: number;
  paused: boolean;
  /** The crossfade's tail element. */
  tailVolume: number;
  tailPaused: boolean;
  /** The title of the row marked current. */
  current: string | null;
}

/** Samples both audio elements every `every` ms until `stop` holds for a sample (or `ms` pass). */
function sample(page: Page, stop: 'paused' | 'tail-stopped', ms = 15_000, every = 150): Promise<Sample[]> {
  return page.evaluate(
    async ({ stop, ms, every }) => {
      const main = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
      const tail = document.querySelector<HTMLAudioElement>('audio[data-crossfade-tail]')!;
      const out: Sample[] = [];
      let tailPlayed = false;
      const until = performance.now() + ms;
      while (performance.now() < until) {
        const s = {
          time: main.currentTime,
          volume: main.volume,
          paused: main.paused,
          tailVolume: tail.volume,
          tailPaused: tail.paused,
          current: document.querySelector('[data-tracks] li.current .track-title')?.textContent ?? null,
        };
        out.push(s);
        tailPlayed ||= !s.tailPaused && s.tailVolume > 0;
        if (stop === 'paused' ? s.paused : tailPlayed && s.tailPaused) break;
        await new Promise((resolve) => setTimeout(resolve, every));
      }
      return out;
    },
    { stop, ms, every },
  );
}

/** Each value no greater than the one before (a fade out, sampled). */
const falling = (values: number[]) => values.every((v, i) => i === 0 || v <= values[i - 1]! + 1e-9);

const isOpen = (menu: Locator) => menu.evaluate((m) => m.matches(':popover-open'));

describe('the sleep timer', () => {
  it('when “end of this track” is chosen, then the track fades out over its last seconds and playback pauses at its end instead of moving on', async () => {
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    await player.recordAnnouncements();
    await player.volume.fill('60');
    await player.play();
    await player.waitForPlaybackPast(0.2);

    await player.sleepButton.click();
    expect(await isOpen(player.sleepMenu)).toBe(true);
    await session.page.getByRole('radio', { name: 'End of this track' }).click();
    // A click chooses and closes the menu; the button shows the time left in the track.
    expect(await isOpen(player.sleepMenu)).toBe(false);
    await expect.poll(() => player.sleepButton.getAttribute('class')).toContain('armed');
    expect(await player.sleepButton.textContent()).toMatch(/^Sleep timer: \d+:\d\d left$/);
    expect(await player.announcements()).toContain('Sleep timer: playback pauses at the end of this track.');

    await player.seekToEnd(6);
    const samples = await sample(session.page, 'paused');
    const last = samples.at(-1)!;
    expect(last.paused, JSON.stringify(samples)).toBe(true);
    const fading = samples.filter((s) => !s.paused).map((s) => s.volume);
    // The fade multiplies the listener's 60 %, falls all through the last seconds and ends near silence.
    expect(fading.length).toBeGreaterThan(10);
    // (The first sample or two may precede the timer's next step after the seek.)
    expect(Math.max(...fading.slice(2))).toBeLessThan(0.6);
    expect(falling(fading), JSON.stringify(fading)).toBe(true);
    expect(fading.at(-1)!).toBeLessThan(0.15);

    // Paused at the end of the same track: nothing advanced, and the volume is the listener's again.
    expect(await player.audio.evaluate((a: HTMLAudioElement) => a.ended)).toBe(true);
    expect(await player.currentIndex()).toBe(0);
    await expect.poll(() => player.volumeNow()).toBeCloseTo(0.6);
    await expect.poll(() => player.sleepButton.textContent()).toBe('Sleep timer: off');
    expect(await player.announcements()).toContain('Sleep timer: playback paused.');

    // Play goes on with the next track, at the listener's volume.
    await player.play();
    await player.waitForCurrent(1);
    await player.waitForPlaybackPast(0.2);
    expect(await player.volumeNow()).toBeCloseTo(0.6);
  });

  it('when a 15-minute timer is set, then the button counts down, and at the end the volume fades and playback pauses', async () => {
    // Playwright's clock: time flows as usual, and fastForward jumps it ahead.
    await session.page.clock.install();
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    await player.recordAnnouncements();
    await player.play();
    await player.waitForPlaybackPast(0.2);
    await player.focusPage();

    await session.page.keyboard.press('t');
    await expect.poll(() => player.sleepButton.textContent()).toMatch(/^Sleep timer: (15:00|14:5\d) left$/);
    expect(await session.page.getByRole('radio', { name: '15 minutes', includeHidden: true }).isChecked()).toBe(true);
    expect(await player.announcements()).toContain('Sleep timer: playback pauses in 15 minutes.');

    await session.page.clock.fastForward('14:52');
    await expect.poll(() => player.sleepButton.textContent()).toMatch(/^Sleep timer: 0:0[5-8] left$/);
    const samples = await sample(session.page, 'paused');
    expect(samples.at(-1)!.paused, JSON.stringify(samples)).toBe(true);
    const fading = samples.filter((s) => !s.paused).map((s) => s.volume);
    expect(fading.length).toBeGreaterThan(10);
    expect(fading[0]!).toBeLessThan(1);
    expect(falling(fading), JSON.stringify(fading)).toBe(true);
    expect(fading.at(-1)!).toBeLessThan(0.2);

    await expect.poll(() => player.volumeNow()).toBe(1);
    expect(await player.sleepButton.textContent()).toBe('Sleep timer: off');
    expect(await session.page.getByRole('radio', { name: 'Off', includeHidden: true }).isChecked()).toBe(true);
    expect(await player.announcements()).toContain('Sleep timer: playback paused.');
    // The timer paused the track where it was: the same one, not at its end.
    expect(await player.currentIndex()).toBe(0);
    expect(await player.audio.evaluate((a: HTMLAudioElement) => a.ended)).toBe(false);
  });
});

describe('the crossfade', () => {
  it('when set to 2 s, then it is remembered after a reload, and at a track’s end both play at once with complementary volumes before the next takes over', async () => {
    const reports: unknown[] = [];
    await session.page.route('**/api/plays', async (route) => {
      reports.push(route.request().postDataJSON());
      await route.fulfill({ status: 204 });
    });
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    await player.crossfadeButton.click();
    await player.crossfadeSlider.fill('2');
    expect(await player.crossfadeButton.textContent()).toBe('Crossfade: 2 s');
    expect(await player.crossfadeSlider.getAttribute('aria-valuetext')).toBe('2 seconds');

    await session.page.reload();
    await player.ready();
    expect(await player.crossfadeSlider.inputValue()).toBe('2');
    expect(await player.crossfadeButton.textContent()).toBe('Crossfade: 2 s');

    await player.play();
    await player.waitForPlaybackPast(0.2);
    await player.seekToEnd(4.5);
    const samples = await sample(session.page, 'tail-stopped');
    const both = samples.filter((s) => !s.paused && !s.tailPaused && s.tailVolume > 0.05 && s.volume > 0.05);
    expect(both.length, JSON.stringify(samples)).toBeGreaterThanOrEqual(3);
    for (const s of both) {
      // Equal power: the old track's gain and the new one's make one track's worth together.
      expect(s.volume ** 2 + s.tailVolume ** 2).toBeCloseTo(1, 1);
      expect(s.current).toBe(songs[1]!.title);
    }
    expect(both.at(-1)!.volume).toBeGreaterThan(both[0]!.volume);
    expect(both.at(-1)!.tailVolume).toBeLessThan(both[0]!.tailVolume);

    // The next track is the current one, shown and marked, at full volume; the tail has stopped.
    await player.waitForCurrent(1);
    expect(await session.page.locator('[data-now-title]').textContent()).toBe(songs[1]!.title);
    expect(await player.src()).toContain(songs[1]!.url);
    expect(await player.paused()).toBe(false);
    await expect.poll(() => player.volumeNow()).toBe(1);
    expect(await player.tail.evaluate((a: HTMLAudioElement) => ({ paused: a.paused, src: a.getAttribute('src') }))).toEqual({ paused: true, src: null });
    // A crossfaded track counts as played to its end: no skip is reported.
    await expect.poll(() => reports.length).toBe(2);
    expect(reports).toEqual([
      { songId: songs[0]!.id, genre: 'weed/groovin', first: true },
      { songId: songs[1]!.id, genre: 'weed/groovin' },
    ]);
  });

  it('when next is pressed during a crossfade, then the fade ends at once and the track after plays at full volume', async () => {
    await session.page.addInitScript(() => localStorage.setItem('stereodose.crossfade', '6'));
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(0.2);
    await player.seekToEnd(8);
    await session.page.waitForFunction(() => {
      const tail = document.querySelector<HTMLAudioElement>('audio[data-crossfade-tail]')!;
      return !tail.paused && tail.volume > 0.5 && tail.volume < 0.95;
    });
    await player.waitForCurrent(1);

    await player.next();
    await player.waitForCurrent(2);
    expect(await player.tail.evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
    await player.waitForPlaybackPast(0.2);
    expect(await player.volumeNow()).toBe(1);
  });
});

describe('the keys', () => {
  it('when t and c are pressed, then the sleep timer and the crossfade go through their choices, say so, and the shortcuts list them', async () => {
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    await player.recordAnnouncements();
    await player.focusPage();
    for (let i = 0; i < 5; i++) await session.page.keyboard.press('t');
    for (let i = 0; i < 5; i++) await session.page.keyboard.press('c');
    const said = await player.announcements();
    expect(said.filter((text) => text.startsWith('Sleep timer'))).toEqual([
      'Sleep timer: playback pauses in 15 minutes.',
      'Sleep timer: playback pauses in 30 minutes.',
      'Sleep timer: playback pauses in 60 minutes.',
      'Sleep timer: playback pauses at the end of this track.',
      'Sleep timer off.',
    ]);
    expect(said.filter((text) => text.startsWith('Crossfade'))).toEqual([
      'Crossfade: 2 seconds.',
      'Crossfade: 4 seconds.',
      'Crossfade: 6 seconds.',
      'Crossfade: 8 seconds.',
      'Crossfade off.',
    ]);
    expect(await player.sleepButton.textContent()).toBe('Sleep timer: off');
    expect(await session.page.evaluate(() => localStorage.getItem('stereodose.crossfade'))).toBe('0');

    await session.page.keyboard.press('t');
    await session.page.keyboard.press('c');
    expect(await player.sleepButton.textContent()).toMatch(/^Sleep timer: (15:00|14:5\d) left$/);
    expect(await player.crossfadeSlider.inputValue()).toBe('2');

    await session.page.keyboard.press('?');
    await player.shortcuts.waitFor({ state: 'visible' });
    expect(await player.shortcuts.getByText(/^Sleep timer/).isVisible()).toBe(true);
    expect(await player.shortcuts.getByText(/^Crossfade between tracks/).isVisible()).toBe(true);
  });

  it('when a menu is opened from the keyboard, then focus is on its choice, the arrow keys change it, and Escape returns to the button', async () => {
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    await player.sleepButton.focus();
    await session.page.keyboard.press('Enter');
    expect(await isOpen(player.sleepMenu)).toBe(true);
    const focusedRadio = () => session.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value);
    await expect.poll(focusedRadio).toBe('off');
    await session.page.keyboard.press('ArrowDown');
    await session.page.keyboard.press('ArrowDown');
    expect(await focusedRadio()).toBe('30');
    // Choosing with the keys keeps the menu open.
    expect(await isOpen(player.sleepMenu)).toBe(true);
    expect(await player.sleepButton.textContent()).toMatch(/^Sleep timer: (30:00|29:5\d) left$/);
    await session.page.keyboard.press('Escape');
    expect(await isOpen(player.sleepMenu)).toBe(false);
    expect(await player.sleepButton.evaluate((el) => el === document.activeElement)).toBe(true);

    await player.crossfadeButton.focus();
    await session.page.keyboard.press('Enter');
    await expect.poll(() => player.crossfadeSlider.evaluate((el) => el === document.activeElement)).toBe(true);
    await session.page.keyboard.press('ArrowRight');
    expect(await player.crossfadeSlider.inputValue()).toBe('1');
    expect(await player.crossfadeButton.textContent()).toBe('Crossfade: 1 s');
  });
});

describe('the menus', () => {
  it('when the sleep timer and crossfade menus are open, then axe finds nothing serious or critical', async () => {
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    await player.play();
    await player.waitForPlaybackPast(0.2);
    await player.focusPage();
    await session.page.keyboard.press('t');
    for (const [button, menu] of [
      [player.sleepButton, player.sleepMenu],
      [player.crossfadeButton, player.crossfadeMenu],
    ] as const) {
      await button.click();
      expect(await isOpen(menu)).toBe(true);
      const { violations } = await runAxe(session.page);
      expect(describeViolations(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))).toEqual([]);
      await session.page.keyboard.press('Escape');
    }
  });

  it('when shown on a 360 px phone, then they fit without scrolling sideways, add no height to the controls, and a countdown moves nothing', async () => {
    await session.page.setViewportSize({ width: 360, height: 800 });
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    expect(await horizontalOverflow(session.page)).toBe(0);
    // The row is as tall as the shortcuts button it had before, so showing the controls shifts no more than it did.
    const heights = await session.page.evaluate(() => ({
      row: document.querySelector('.extras')!.getBoundingClientRect().height,
      shortcuts: document.querySelector('[data-action="shortcuts"]')!.getBoundingClientRect().height,
      sleep: document.querySelector('[data-sleep-button]')!.getBoundingClientRect().height,
    }));
    expect(heights).toEqual({ row: heights.shortcuts, shortcuts: heights.shortcuts, sleep: heights.shortcuts });
    for (const button of [player.sleepButton, player.crossfadeButton]) {
      const box = (await button.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }

    await player.play();
    await player.focusPage();
    await session.page.keyboard.press('t');
    await session.page.keyboard.press('c');
    // Layout shifts from here on that no input explains, while the badges count down.
    await session.page.evaluate(() => {
      const w = window as unknown as { __shifts: number[] };
      w.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) w.__shifts.push(e.value);
      }).observe({ type: 'layout-shift' });
    });
    // Two ticks of the sleep timer's countdown (its figure changes each second).
    const left = session.page.locator('[data-sleep-left]');
    for (let tick = 0; tick < 2; tick++) {
      const shown = await left.textContent();
      await expect.poll(() => left.textContent(), { timeout: 3_000 }).not.toBe(shown);
    }
    expect(await session.page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts)).toEqual([]);
    expect(await horizontalOverflow(session.page)).toBe(0);

    await player.sleepButton.click();
    await saveScreenshot(session.page, 'comforts-sleep-menu-360x800');
    await session.page.keyboard.press('Escape');
    await player.crossfadeButton.click();
    await saveScreenshot(session.page, 'comforts-crossfade-menu-360x800');
    expect(await horizontalOverflow(session.page)).toBe(0);
  });
});
