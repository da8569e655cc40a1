// The audio this site serves under /media/: which bytes a /media/… URL names (a file on disk, or
// a demo track synthesized in memory). The media routes and Subsonic's stream and download both
// ask it, and send what it names with sendMediaAudio (audio-response.ts).
import path from 'node:path';
import { bufferEtag } from '../http/etag.js';
import { NotFound } from '../lib/errors.js';
import { LruCache } from '../lib/lru-cache.js';
import type { DemoAudio } from './demo-audio.js';
import { renderDemoTrack } from './demo-synth.js';
import { DEMO_FILE } from './demo-tracks.js';
import { UPLOAD_NAME } from './upload-store.js';

/** ~1.5–3 MB each, so the cache holds at most ~75 MB. */
const MAX_CACHED_TRACKS = 24;
/** A file's name is never reused: what it names is cached for a year. */
const FOREVER = { maxAge: '365d', immutable: true };

interface Track {
  body: Buffer;
  etag: string;
}

/** Audio to send: a file on disk, or a demo track synthesized in memory. */
export type MediaAudio = { file: string; root: string; maxAge: string; immutable?: boolean } | { body: Buffer; etag: string; type: string };

export function createMediaService({ uploadDir, demo }: { uploadDir: string; demo: DemoAudio }) {
  const cache = new LruCache<string, Track>(MAX_CACHED_TRACKS);

  function track(seed: string): Track {
    const hit = cache.get(seed);
    if (hit) return hit;
    const body = renderDemoTrack(seed); // synchronous, tens of milliseconds
    const rendered = { body, etag: bufferEtag(body) };
    cache.set(seed, rendered);
    return rendered;
  }

  /** /media/demo/<file>: its rendered AAC or WAV on disk, else the WAV synthesized from its seed. */
  function demoAudio(file: string): MediaAudio {
    const rendered = demo.fileOf(file);
    // A render may be made again (a new synthesizer): revalidated daily (ETag) rather than kept forever.
    if (rendered) return { file: path.basename(rendered), root: demo.dir, maxAge: '1d' };
    const seed = DEMO_FILE.exec(file)?.[1];
    if (seed === undefined) throw new NotFound('No such demo track');
    return { ...track(seed), type: 'audio/wav' };
  }

  /** /media/uploads/<name>: an admin's upload or its compressed copy. */
  function uploadAudio(name: string): MediaAudio {
    if (!UPLOAD_NAME.test(name)) throw new NotFound('No such audio file');
    return { file: name, root: uploadDir, ...FOREVER };
  }

  return {
    demoAudio,
    uploadAudio,

    /** The audio a song's own URL (/media/demo/… or /media/uploads/…) names. */
    audioAt(url: string): MediaAudio {
      const [, folder, name] = /^\/media\/(demo|uploads)\/([^/?#]+)$/.exec(url) ?? [];
      if (folder === 'demo') return demoAudio(decodeURIComponent(name!));
      if (folder === 'uploads') return uploadAudio(decodeURIComponent(name!));
      throw new NotFound('Song audio not found');
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
