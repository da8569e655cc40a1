// The demo songs' compressed audio, rendered once: the synthesizer's WAV (demo-synth.ts) is
// encoded to AAC (web-copy.ts) and measured in the same pass, and kept in DEMO_AUDIO_DIR as
// `<seed>.m4a` with `<seed>.json` (its loudness and the original's facts). Listeners stream
// /media/demo/<seed>.m4a; /media/demo/<seed>.wav still synthesizes the original on request, for
// download and for a site without ffmpeg. The renders depend on the seed alone, so a folder of
// them serves any number of databases (a fresh test database finds them already made).
import fs from 'node:fs';
import path from 'node:path';
import type { Loudness } from '../catalog/song-media.js';
import type { Ffmpeg } from './ffmpeg.js';
import { DEMO_SAMPLE_RATE, demoTrackDuration, renderDemoTrack } from './demo-synth.js';
import { DEMO_FILE } from './demo-tracks.js';
import { encodeWebCopy } from './web-copy.js';

/** Bumped whenever the synthesizer or the encoding changes what a seed renders to. */
const RENDER_VERSION = 'synth-1+aac-64k';
export const DEMO_STREAM_FILE = /^([a-z0-9]+(?:-[a-z0-9]+){0,6})\.m4a$/;
const DEMO_URL = /^\/media\/demo\/([a-z0-9]+(?:-[a-z0-9]+){0,6})\.wav$/;

export const demoStreamUrl = (seed: string) => `/media/demo/${seed}.m4a`;

/** The seed of a demo song's URL (`/media/demo/<seed>.wav`), or undefined for any other URL. */
export const demoSeedOf = (url: string): string | undefined => DEMO_URL.exec(url)?.[1];

/** The synthesized original's size and bit rate (PCM 16-bit mono after a 44-byte header), without rendering it. */
export function demoOriginal(seed: string): { sizeBytes: number; bitRate: number } {
  return { sizeBytes: 44 + demoTrackDuration(seed) * DEMO_SAMPLE_RATE * 2, bitRate: Math.round((DEMO_SAMPLE_RATE * 16) / 1000) };
}

export interface DemoRender {
  loudness: Loudness;
  durationSeconds: number;
  /** The synthesized WAV's size and bit rate: what a download of the original gets. */
  original: { sizeBytes: number; bitRate: number };
}

export function createDemoAudio({ dir, ffmpeg }: { dir: string; ffmpeg: Ffmpeg }) {
  const fileOf = (seed: string) => path.join(dir, `${seed}.m4a`);
  const factsOf = (seed: string) => path.join(dir, `${seed}.json`);

  /** The render of `seed` already made (by this version), if any. */
  async function rendered(seed: string): Promise<DemoRender | undefined> {
    try {
      const facts = JSON.parse(await fs.promises.readFile(factsOf(seed), 'utf8')) as DemoRender & { version?: string };
      if (facts.version !== RENDER_VERSION || !fs.existsSync(fileOf(seed))) return undefined;
      return { loudness: facts.loudness, durationSeconds: facts.durationSeconds, original: facts.original };
    } catch {
      return undefined;
    }
  }

  /** Synthesizes, encodes and measures `seed`; the facts are written last, so a render they name is whole. */
  async function render(seed: string, signal?: AbortSignal): Promise<DemoRender> {
    if (!DEMO_FILE.test(`${seed}.wav`)) throw new Error(`Invalid demo track seed: ${JSON.stringify(seed)}`);
    await fs.promises.mkdir(dir, { recursive: true });
    const wav = renderDemoTrack(seed);
    const { loudness } = await encodeWebCopy(ffmpeg, wav, fileOf(seed), { channels: 1, signal });
    const facts: DemoRender = { loudness, durationSeconds: demoTrackDuration(seed), original: demoOriginal(seed) };
    const temp = `${factsOf(seed)}.${process.pid}.part`;
    await fs.promises.writeFile(temp, JSON.stringify({ version: RENDER_VERSION, ...facts }));
    await fs.promises.rename(temp, factsOf(seed));
    return facts;
  }

  return {
    dir,
    /** The rendered file of a `<seed>.m4a` name, when there is one. */
    fileOf(name: string): string | undefined {
      const seed = DEMO_STREAM_FILE.exec(name)?.[1];
      return seed && fs.existsSync(fileOf(seed)) ? fileOf(seed) : undefined;
    },
    rendered,
    /** The render of `seed`, made now if it was not. */
    async ensure(seed: string, signal?: AbortSignal): Promise<DemoRender> {
      return (await rendered(seed)) ?? render(seed, signal);
    },
  };
}

export type DemoAudio = ReturnType<typeof createDemoAudio>;
