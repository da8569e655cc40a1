// What Stereodose knows of the audio it holds, and how it learns it: a new upload is read (facts,
// tags, cover), measured (loudness) and, when lossless, given a compressed copy; a demo song is
// rendered once; and `npm run audio:analyze` does the same for every held song still missing any
// of it. Without ffmpeg the file facts and covers are still read, and loudness waits.
import os from 'node:os';
import { type AudioFile, type AudioTags, readAudioFile } from '../media/audio-metadata.js';
import type { CoverStore } from '../media/cover-store.js';
import { type DemoAudio, demoOriginal, demoSeedOf, demoStreamUrl } from '../media/demo-audio.js';
import { demoTrackDuration } from '../media/demo-synth.js';
import { AudioToolError, type Ffmpeg } from '../media/ffmpeg.js';
import { measureLoudness } from '../media/loudness.js';
import type { UploadStore } from '../media/upload-store.js';
import { encodeWebCopy } from '../media/web-copy.js';
import type { AnalysisFilter, AudioChange, AudioRepository, HeldSong } from './audio.repository.js';

export interface AudioServiceDeps {
  ffmpeg: Ffmpeg;
  uploads: UploadStore;
  covers: CoverStore;
  demo: DemoAudio;
  songs: AudioRepository;
}

export interface AnalysisFailure {
  id: number;
  title: string;
  url: string;
  reason: string;
}

export interface AnalysisReport {
  /** Held songs that needed something. */
  total: number;
  /** …whose row was brought up to date. */
  done: number;
  failed: AnalysisFailure[];
  /** False without ffmpeg: facts and covers were read, loudness and compressed copies wait. */
  measured: boolean;
}

export interface AnalysisOptions {
  /** Demo songs only take a render already made (no synthesizing, no encoding): what a start can afford to wait for. */
  renderedOnly?: boolean;
  signal?: AbortSignal;
  /** After each song, with how many of `total` are through. */
  onProgress?: (through: number, total: number) => void;
  /** Songs analyzed at once (each runs its own ffmpeg). */
  concurrency?: number;
}

const PAGE = 200;

export function createAudioService({ ffmpeg, uploads, covers, demo, songs }: AudioServiceDeps) {
  /** The loudness of an upload and, for a lossless one, its compressed copy, in one ffmpeg run; nothing when ffmpeg cannot. */
  async function measureUpload(url: string, file: string, info: Pick<AudioFile, 'lossless' | 'channels'>, signal?: AbortSignal) {
    if (!(await ffmpeg.available())) return {};
    const copy = info.lossless ? uploads.webCopyOf(url) : undefined;
    try {
      if (copy) {
        const { loudness } = await encodeWebCopy(ffmpeg, file, copy.file, { channels: info.channels, signal });
        return { loudness, streamUrl: copy.url };
      }
      return { loudness: await measureLoudness(ffmpeg, file, signal) };
    } catch (err) {
      // A file ffmpeg cannot decode stays unmeasured (the admin sees it); anything else is a bug.
      if (err instanceof AudioToolError && !signal?.aborted) return {};
      throw err;
    }
  }

  /** Everything about an upload just stored at `url`: facts, tags, a kept cover, loudness, compressed copy. */
  async function ofUpload(url: string, signal?: AbortSignal): Promise<{ change: AudioChange; tags: AudioTags }> {
    const file = uploads.fileOf(url)!;
    const info = await readAudioFile(file);
    const cover = info.picture ? await covers.save(info.picture) : undefined;
    const measured = await measureUpload(url, file, info, signal).catch(async (err: unknown) => {
      await covers.remove(cover); // no song will name it
      throw err;
    });
    const change: AudioChange = {
      sizeBytes: info.sizeBytes,
      bitRate: info.bitRate ?? null,
      ...(info.durationSeconds !== undefined && { durationSeconds: info.durationSeconds }),
      loudness: measured.loudness ?? null,
      streamUrl: measured.streamUrl ?? null,
      ...(cover && { cover }),
    };
    return { change, tags: info.tags };
  }

  /**
   * What a held song still lacks (everything again with `all`), found now, and what could not be
   * found (a file ffmpeg cannot decode); undefined: left for later (a render not made yet).
   */
  async function analyze(
    song: HeldSong,
    all: boolean,
    { renderedOnly, signal }: AnalysisOptions,
  ): Promise<{ change: AudioChange; problem?: string } | undefined> {
    const seed = demoSeedOf(song.url);
    if (seed !== undefined) {
      const render = renderedOnly ? await demo.rendered(seed) : (await ffmpeg.available()) ? await demo.ensure(seed, signal) : undefined;
      if (render) return { change: { ...render.original, durationSeconds: render.durationSeconds, loudness: render.loudness, streamUrl: demoStreamUrl(seed) } };
      return renderedOnly ? undefined : { change: { ...demoOriginal(seed), durationSeconds: demoTrackDuration(seed) } };
    }
    if (renderedOnly) return undefined;
    const file = uploads.fileOf(song.url);
    if (!file) throw new Error('not an upload of this site');
    const needsFacts = all || song.sizeBytes === null || song.bitRate === null || song.durationSeconds === null;
    const info = await readAudioFile(file);
    const change: AudioChange = needsFacts
      ? { sizeBytes: info.sizeBytes, bitRate: info.bitRate ?? null, ...(info.durationSeconds !== undefined && { durationSeconds: info.durationSeconds }) }
      : {};
    if (song.cover === null && info.picture) {
      const cover = await covers.save(info.picture);
      if (cover) change.cover = cover;
    }
    let problem: string | undefined;
    if (all || song.loudness === null || (info.lossless && song.streamUrl === null)) {
      const measured = await measureUpload(song.url, file, info, signal);
      if (measured.loudness) change.loudness = measured.loudness;
      if (measured.streamUrl) change.streamUrl = measured.streamUrl;
      if (!measured.loudness && (await ffmpeg.available())) problem = 'ffmpeg could not decode it: loudness not measured';
    }
    return { change, problem };
  }

  /** Removes the cover and the compressed copy made for audio no song names any more. */
  async function discard(url: string, change: AudioChange): Promise<void> {
    await covers.remove(change.cover);
    if (change.streamUrl && !demoSeedOf(url)) await uploads.removeCopyOf(url);
  }

  return {
    /** Whether loudness can be measured here (ffmpeg is installed). */
    canMeasure: () => ffmpeg.available(),
    /** A file as the upload form shows it before it is added: tags, facts, its picture. */
    read: (file: string) => readAudioFile(file),
    ofUpload,

    /** Brings every held song matching `filter` up to date; one song failing does not stop the rest. */
    async analyzeAll(filter: AnalysisFilter = {}, options: AnalysisOptions = {}) {
      const { signal, onProgress, concurrency = Math.min(4, os.availableParallelism()) } = options;
      const measured = await ffmpeg.available();
      const total = await songs.count(filter);
      const report: AnalysisReport = { total, done: 0, failed: [], measured };
      let through = 0;
      let from = 0;
      for (;;) {
        if (signal?.aborted) break;
        const page = await songs.page(filter, from, PAGE);
        if (page.length === 0) break;
        from = page.at(-1)!.id;
        let next = 0;
        const worker = async () => {
          while (next < page.length && !signal?.aborted) {
            const song = page[next++]!;
            try {
              const found = await analyze(song, filter.all === true, options);
              if (found && (await songs.write(song.id, song.url, found.change))) report.done++;
              // The song changed meanwhile (an admin replaced its audio): what was made for it goes.
              else if (found) await discard(song.url, found.change);
              if (found?.problem) report.failed.push({ id: song.id, title: song.title, url: song.url, reason: found.problem });
            } catch (err) {
              if (signal?.aborted) break;
              report.failed.push({ id: song.id, title: song.title, url: song.url, reason: (err as Error).message });
            }
            onProgress?.(++through, total);
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
      }
      return report;
    },
  };
}

export type AudioService = ReturnType<typeof createAudioService>;
