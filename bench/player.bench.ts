// `npm run bench:player`: what a listener on a slow phone connection waits for, measured in one
// run in headless Chromium against the real server (a fresh SQLite file with the demo catalog).
// The connection is emulated by Chromium itself (CDP Network.emulateNetworkConditions): by
// default "Fast 3G" as 1.6 Mbit/s down, 750 kbit/s up and 150 ms round trips (--down, --up, --rtt).
//
// Three figures, each the click (dispatched in the page) to the <audio>'s `playing` event, over
// --runs runs (default 5), with their median, min and max:
//   first sound   a mood's page loaded, Play pressed: the first track's first bytes cross the wire
//   next, cold    Next pressed within a second of a track starting: nothing of the next track is
//                 there yet (the player fetches it only after 3 s of the current one)
//   next, warm    Next pressed 6 s into a track: the next track was preloaded
// and one PASS/FAIL line for the target: the gap at Next under 300 ms with preloading.
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/e2e/pages.js';
import { buildClient, startServer } from '../test/e2e/server.js';

const TARGET_MS = 300;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const runs = option('runs', 5);
const downKbit = option('down', 1600);
const upKbit = option('up', 750);
const rttMs = option('rtt', 150);

/** Clicks the control (in the page, so no driver latency counts) and resolves with the ms until the audio plays. */
function timeToPlaying(page: Page, selector: string): Promise<number> {
  return page.evaluate(
    (selector) =>
      new Promise<number>((resolve, reject) => {
        const audio = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
        const started = performance.now();
        const timer = setTimeout(() => reject(new Error(`no sound 30 s after ${selector}`)), 30_000);
        audio.addEventListener(
          'playing',
          () => {
            clearTimeout(timer);
            resolve(performance.now() - started);
          },
          { once: true },
        );
        document.querySelector<HTMLElement>(selector)!.click();
      }),
    selector,
  );
}

/** Resolves once the audio has played `seconds` into the current track. */
const playedFor = (page: Page, seconds: number) =>
  page.waitForFunction(
    (s) => {
      const a = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
      return !a.paused && a.currentTime >= s;
    },
    seconds,
    { timeout: 60_000, polling: 50 },
  );

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
};

async function main(): Promise<void> {
  await buildClient();
  const server = await startServer();
  const browser = await launchBrowser();
  const figures = { first: [] as number[], cold: [] as number[], warm: [] as number[] };
  try {
    for (let run = 0; run < runs; run++) {
      // A fresh profile each run: an empty cache, as a first visit.
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: rttMs,
        downloadThroughput: (downKbit * 1000) / 8,
        uploadThroughput: (upKbit * 1000) / 8,
      });
      await page.goto(`${server.url}/playlist/weed/groovin?fresh=1`, { waitUntil: 'load' });
      await page.locator('[data-controls]:visible').waitFor();

      figures.first.push(await timeToPlaying(page, '[data-player] [data-action="toggle"]'));
      await playedFor(page, 0.3);
      figures.cold.push(await timeToPlaying(page, '[data-player] [data-action="next"]'));
      await playedFor(page, 6);
      figures.warm.push(await timeToPlaying(page, '[data-player] [data-action="next"]'));
      await context.close();
      process.stderr.write(
        `run ${run + 1}/${runs}: first ${figures.first.at(-1)!.toFixed(0)} ms, next cold ${figures.cold.at(-1)!.toFixed(0)} ms, next warm ${figures.warm.at(-1)!.toFixed(0)} ms\n`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
  }

  console.log(`\nPlayer on an emulated connection: ${downKbit} kbit/s down, ${upKbit} kbit/s up, ${rttMs} ms RTT; ${runs} runs, fresh profile each\n`);
  console.log('| Measure | median | min | max |');
  console.log('|---|---:|---:|---:|');
  const rows: [string, number[]][] = [
    ['Time to first sound (Play on a loaded page)', figures.first],
    ['Gap at Next, nothing preloaded (within 1 s of a track)', figures.cold],
    ['Gap at Next, next track preloaded (6 s into a track)', figures.warm],
  ];
  for (const [label, values] of rows) {
    const { median, min, max } = summary(values);
    console.log(`| ${label} | ${median.toFixed(0)} ms | ${min.toFixed(0)} ms | ${max.toFixed(0)} ms |`);
  }
  const warm = summary(figures.warm).median;
  const cold = summary(figures.cold).median;
  console.log(`\npreloading makes Next ${(cold / warm).toFixed(1)}× faster (median ${cold.toFixed(0)} → ${warm.toFixed(0)} ms)`);
  console.log(`${warm < TARGET_MS ? 'PASS' : 'FAIL'} gap at Next with preloading: median ${warm.toFixed(0)} ms (target under ${TARGET_MS} ms)`);
}

await main();
