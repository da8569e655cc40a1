// Checked by ear, in numbers: two copies of a demo-like track 20 dB apart are uploaded, and an
// AnalyserNode on the player's output (tapped where the page's Web Audio graph meets the speakers)
// shows them within 1 dB of each other with loudness normalization on and 20 dB apart with it off.
// Also: songs from another origin served without CORS still play audibly; uploads fill the admin's
// form from their tags and keep their cover as the player's artwork; a FLAC streams as AAC.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoWavAt, flacOf, jpegCover, taggedMp3 } from '../helpers/audio-files.js';
import { useBrowser } from './browser.js';
import { goto, PlayerPage, registerListener } from './pages.js';

const baseUrl = inject('baseUrl');
const databaseFile = inject('databaseFile');
const session = useBrowser();
const SEED = 'lsd-calm-07';
const run = Date.now().toString(36);

async function grantAdmin(username: string): Promise<void> {
  await promisify(execFile)('node_modules/.bin/tsx', ['src/accounts/user-admin.cli.ts', username], {
    env: { ...process.env, DATABASE_URL: `sqlite:${databaseFile}` },
  });
}

/**
 * Taps the page's Web Audio output before its scripts run: whatever connects to the speakers also
 * feeds one AnalyserNode (`__tap`); each element routed through Web Audio is recorded (`__routed`),
 * with the GainNode it feeds (`__gainOf`).
 */
async function tapOutput(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __tap?: AnalyserNode; __routed: Set<HTMLMediaElement>; __gainOf: Map<HTMLMediaElement, GainNode> };
    w.__routed = new Set();
    w.__gainOf = new Map();
    const connect = AudioNode.prototype.connect as (this: AudioNode, destination: AudioNode, ...rest: number[]) => AudioNode;
    AudioNode.prototype.connect = function (this: AudioNode, destination: AudioNode, ...rest: number[]) {
      const result = connect.call(this, destination, ...rest);
      if (destination instanceof AudioDestinationNode) {
        if (!w.__tap) {
          w.__tap = this.context.createAnalyser();
          w.__tap.fftSize = 2048;
        }
        connect.call(this, w.__tap);
      }
      if (this instanceof MediaElementAudioSourceNode && destination instanceof GainNode) {
        w.__routed.add(this.mediaElement);
        w.__gainOf.set(this.mediaElement, destination);
      }
      return result;
    } as typeof AudioNode.prototype.connect;
  });
}

/** The output's level (RMS, dBFS) while the playing track is between `from` and `to` seconds in. */
function outputLevel(page: Page, from = 1.5, to = 4.5): Promise<number> {
  return page.evaluate(
    ({ from, to }) =>
      new Promise<number>((resolve, reject) => {
        const w = window as unknown as { __tap?: AnalyserNode };
        const audio = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
        const buffer = new Float32Array(2048);
        let sum = 0;
        let count = 0;
        const deadline = performance.now() + 30_000;
        const sample = () => {
          if (performance.now() > deadline) return reject(new Error(`no playback between ${from} and ${to} s`));
          const t = audio.currentTime;
          if (t > to && count > 0) return resolve(10 * Math.log10(sum / count));
          if (t >= from && t <= to && !audio.paused && w.__tap) {
            w.__tap.getFloatTimeDomainData(buffer);
            for (const v of buffer) sum += v * v;
            count += buffer.length;
          }
          setTimeout(sample, 40);
        };
        sample();
      }),
    { from, to },
  );
}

/** Confirms the song form in LSD · Calm; the new song's id, from its row in the list the admin lands on. */
async function addInCalm(page: Page, title: string): Promise<number> {
  await page.getByRole('group', { name: 'LSD' }).getByLabel('Calm').check();
  await Promise.all([page.waitForURL(/\/admin\/songs\?/), page.getByRole('button', { name: 'Add song' }).click()]);
  const row = await page.locator('tr', { has: page.getByRole('cell', { name: title, exact: true }) }).getAttribute('id');
  return Number(/^song-(\d+)$/.exec(row ?? '')![1]);
}

/** Adds a song through the admin's upload step (the form filled from the file, confirmed in LSD · Calm); its id. */
async function uploadSong(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, fill: { title: string; artist: string }): Promise<number> {
  await goto(page, `${baseUrl}/admin/songs/new`);
  await page.locator('#field-read-audio').setInputFiles(file);
  await Promise.all([page.waitForURL(/\/admin\/songs\/upload$/), page.getByRole('button', { name: 'Read the file' }).click()]);
  await page.getByLabel('Title', { exact: true }).fill(fill.title);
  await page.getByLabel('Artist', { exact: true }).fill(fill.artist);
  return addInCalm(page, fill.title);
}

/** The page that plays exactly these songs of LSD · Calm, in this order. */
async function listOf(page: Page, ids: number[]): Promise<string> {
  const { cursor } = await (await page.request.get(`${baseUrl}/api/playlists/lsd/calm?limit=1`)).json();
  return `/playlist/lsd/calm?songs=${ids.join('-')}&cursor=${encodeURIComponent(cursor)}`;
}

let loud: number;
let quiet: number;

describe('loudness normalization, by ear', () => {
  beforeAll(async () => {
    // The admin uploads the two tracks once: the same demo-like music, 20 dB apart.
    const context = await session.browser.newContext();
    const page = await context.newPage();
    const { username } = await registerListener(page, baseUrl);
    await grantAdmin(username);
    loud = await uploadSong(page, { name: 'loud.wav', mimeType: 'audio/wav', buffer: demoWavAt(SEED, 0) }, { title: `Loud ${run}`, artist: 'Level Test' });
    quiet = await uploadSong(page, { name: 'quiet.wav', mimeType: 'audio/wav', buffer: demoWavAt(SEED, -20) }, { title: `Quiet ${run}`, artist: 'Level Test' });
    await context.close();
  }, 120_000);

  it('when two tracks 20 dB apart play, then they come out within 1 dB with normalization on, 20 dB apart with it off, and the choice is remembered', async () => {
    const page = session.page;
    await tapOutput(page);
    const player = new PlayerPage(page, baseUrl);
    await goto(page, `${baseUrl}${await listOf(page, [loud, quiet])}`);
    await player.ready();
    const toggle = page.getByRole('button', { name: 'Even out loudness' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');

    await player.playRow(0);
    const loudOn = await outputLevel(page);
    await player.playRow(1);
    const quietOn = await outputLevel(page);
    console.log(`normalization on: loud ${loudOn.toFixed(2)} dBFS, quiet ${quietOn.toFixed(2)} dBFS, apart ${Math.abs(loudOn - quietOn).toFixed(2)} dB`);
    expect(Math.abs(loudOn - quietOn)).toBeLessThan(1);

    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await player.playRow(0);
    const loudOff = await outputLevel(page);
    await player.playRow(1);
    const quietOff = await outputLevel(page);
    console.log(`normalization off: loud ${loudOff.toFixed(2)} dBFS, quiet ${quietOff.toFixed(2)} dBFS, apart ${(loudOff - quietOff).toFixed(2)} dB`);
    expect(loudOff - quietOff).toBeGreaterThan(19);
    expect(loudOff - quietOff).toBeLessThan(21);

    await page.reload();
    await player.ready();
    expect(await page.getByRole('button', { name: 'Even out loudness' }).getAttribute('aria-pressed')).toBe('false');
  }, 120_000);

  it('when the listener turns the volume down (as the sleep timer and the crossfade do), then the normalized output follows it', async () => {
    const page = session.page;
    await tapOutput(page);
    const player = new PlayerPage(page, baseUrl);
    await goto(page, `${baseUrl}${await listOf(page, [quiet])}`);
    await player.ready();
    await player.playRow(0);
    const full = await outputLevel(page, 1.5, 3);
    await player.volume.fill('50');
    const half = await outputLevel(page, 3.5, 5);
    // Volume 0.5 is −6 dB; the music itself moves a little between the two windows.
    expect(full - half).toBeGreaterThan(4.5);
    expect(full - half).toBeLessThan(7.5);
  }, 60_000);

  it('when the crossfade hands a track to its tail, then the tail plays it at that track’s gain while the next plays at its own', async () => {
    const page = session.page;
    await tapOutput(page);
    const player = new PlayerPage(page, baseUrl);
    await goto(page, `${baseUrl}${await listOf(page, [quiet, loud])}`);
    await player.ready();
    const gains = await (await page.request.get(`${baseUrl}/api/playlists/lsd/calm/songs?ids=${quiet}-${loud}`)).json();
    const [quietGain, loudGain] = gains.songs.map((s: { gainDb: number }) => 10 ** (s.gainDb / 20));
    await page.keyboard.press('c'); // crossfade 2 s
    await player.playRow(0);
    await player.waitForPlaybackPast(0.5);
    await player.seekToEnd(4);
    const during = await page.waitForFunction(
      () => {
        const w = window as unknown as { __gainOf: Map<HTMLMediaElement, GainNode> };
        const tail = document.querySelector<HTMLAudioElement>('audio[data-crossfade-tail]')!;
        const main = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
        const tailGain = w.__gainOf.get(tail);
        if (tail.paused || !tailGain || !main.src.includes('.m4a') || tail.src === main.src) return undefined;
        return { tail: tailGain.gain.value, main: w.__gainOf.get(main)!.gain.value };
      },
      undefined,
      { timeout: 15_000, polling: 50 },
    );
    const { tail, main } = (await during.jsonValue())!;
    expect(tail).toBeCloseTo(quietGain, 3);
    expect(main).toBeCloseTo(loudGain, 3);
  }, 60_000);
});

describe('songs from elsewhere', () => {
  let server: http.Server;
  let foreignUrl: string;

  beforeAll(async () => {
    // Another origin that sends no CORS headers: Web Audio may not read what it serves.
    const wav = demoWavAt('lsd-calm-08', -6);
    server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': wav.length }).end(wav));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://localhost:${(server.address() as AddressInfo).port}/elsewhere-${run}.wav`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('when a song from another origin without CORS follows one of ours, then it still plays audibly, on an element Web Audio does not hold', async () => {
    const page = session.page;
    const { username } = await registerListener(page, baseUrl);
    await grantAdmin(username);
    await goto(page, `${baseUrl}/admin/songs/new`);
    await page.getByLabel('Title').fill(`Elsewhere ${run}`);
    await page.getByLabel('Artist').fill('Far Away');
    await page.getByLabel('From a URL').check();
    await page.getByLabel('Audio URL (http or https)').fill(foreignUrl);
    const foreign = await addInCalm(page, `Elsewhere ${run}`);

    await tapOutput(page);
    const player = new PlayerPage(page, baseUrl);
    await goto(page, `${baseUrl}${await listOf(page, [loud, foreign])}`);
    await player.ready();
    await player.playRow(0);
    await player.waitForPlaybackPast(0.5);
    await player.playRow(1);
    const heard = await page.waitForFunction(
      (url) => {
        const w = window as unknown as { __routed: Set<HTMLMediaElement> };
        const main = document.querySelector<HTMLAudioElement>('audio[data-audio]')!;
        // What is heard: an element playing the song that Web Audio does not hold.
        const audible = [...document.querySelectorAll('audio')].find((a) => a.currentSrc === url && !a.paused && a.currentTime > 1.5 && !w.__routed.has(a));
        if (main.currentSrc !== url || main.currentTime < 1.5 || !audible) return undefined;
        return { mainRouted: w.__routed.has(main), muted: audible.muted, volume: audible.volume, apart: Math.abs(audible.currentTime - main.currentTime) };
      },
      foreignUrl,
      { timeout: 20_000, polling: 100 },
    );
    // The routed element keeps the player's clock; its twin, which Web Audio never held, is what is heard.
    const state = (await heard.jsonValue())!;
    expect(state, JSON.stringify(state)).toMatchObject({ mainRouted: true, muted: false, volume: 1 });
    expect(state.apart).toBeLessThan(0.5);
  }, 90_000);

  it('when normalization is off from the start, then nothing is routed through Web Audio and every song plays on the element itself', async () => {
    const page = session.page;
    await page.addInitScript(() => localStorage.setItem('stereodose.normalize', '0'));
    await tapOutput(page);
    const player = new PlayerPage(page, baseUrl);
    await goto(page, `${baseUrl}${await listOf(page, [loud])}`);
    await player.ready();
    await player.playRow(0);
    await player.waitForPlaybackPast(1);
    expect(await page.evaluate(() => (window as unknown as { __routed: Set<HTMLMediaElement> }).__routed.size)).toBe(0);
  }, 60_000);
});

describe('uploads that fill themselves in', () => {
  it('when an admin uploads an MP3 with ID3 tags and a cover, then the form is filled from them and the player shows the cover', async () => {
    const page = session.page;
    const { username } = await registerListener(page, baseUrl);
    await grantAdmin(username);
    const title = `Tagged ${run}`;
    const mp3 = taggedMp3({ title, artist: 'Tag Reader', album: 'From the File', year: 2018, track: 4 }, { seconds: 6, cover: jpegCover() });
    await goto(page, `${baseUrl}/admin/songs/new`);
    await page.locator('#field-read-audio').setInputFiles({ name: 'tagged.mp3', mimeType: 'audio/mpeg', buffer: mp3 });
    await Promise.all([page.waitForURL(/\/admin\/songs\/upload$/), page.getByRole('button', { name: 'Read the file' }).click()]);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(title);
    expect(await page.getByLabel('Artist', { exact: true }).inputValue()).toBe('Tag Reader');
    expect(await page.getByLabel('Album (optional)').inputValue()).toBe('From the File');
    expect(await page.getByLabel('Year (optional)').inputValue()).toBe('2018');
    expect(await page.getByLabel('Track number (optional)').inputValue()).toBe('4');
    const cover = page.locator('[data-pending-cover]');
    await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(160);
    const id = await addInCalm(page, title);

    const player = new PlayerPage(page, baseUrl);
    await goto(page, `${baseUrl}${await listOf(page, [id])}`);
    await player.ready();
    await player.playRow(0);
    await player.waitForPlaybackPast(0.3);
    const art = page.locator('[data-now-art]');
    const mini = page.locator('[data-mini-art]');
    await expect.poll(() => art.getAttribute('src')).toMatch(/^\/media\/covers\/[0-9a-f]{32}\.jpg\?size=256$/);
    await expect.poll(() => art.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(256);
    expect(await mini.getAttribute('src')).toBe(await art.getAttribute('src'));
  }, 60_000);

  it('when an admin uploads a FLAC, then listeners stream its AAC copy, with the right duration', async () => {
    const page = session.page;
    const { username } = await registerListener(page, baseUrl);
    await grantAdmin(username);
    const id = await uploadSong(
      page,
      { name: `lossless-${run}.flac`, mimeType: 'audio/flac', buffer: flacOf(demoWavAt('lsd-calm-09', -2)) },
      { title: `Lossless ${run}`, artist: 'Lossless' },
    );
    const player = new PlayerPage(page, baseUrl);
    await goto(page, `${baseUrl}${await listOf(page, [id])}`);
    await player.ready();
    const [song] = (await player.playlistData()).songs;
    expect(song!.url).toMatch(/^\/media\/uploads\/[0-9a-f]{32}\.m4a$/);
    await player.playRow(0);
    await player.waitForPlaybackPast(0.5);
    expect(await player.src()).toBe(`${baseUrl}${song!.url}`);
    const duration = await player.audio.evaluate((a: HTMLAudioElement) => a.duration);
    expect(Math.abs(duration - song!.duration!)).toBeLessThan(0.6);
  }, 60_000);
});
