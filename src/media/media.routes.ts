// The audio and artwork the catalog points at on this site: GET /media/demo/<seed>.m4a (a demo
// song's rendered AAC, what listeners stream), GET /media/demo/<seed>.wav (the original, synthesized
// on request, so the catalog plays with no internet and no ffmpeg), GET /media/uploads/<name>
// (admins' uploads and their compressed copies) and GET /media/covers/<name>?size=N (songs' own
// covers, as PNG at the size asked).
import path from 'node:path';
import { type Response, Router } from 'express';
import { NotFound } from '../http/errors.js';
import { bufferEtag, noneMatch } from '../http/etag.js';
import { LruCache } from '../lib/lru-cache.js';
import { sendAudio } from './audio-response.js';
import { type CoverStore, coverSize } from './cover-store.js';
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

export function createMediaRouter({ uploadDir, covers, demo }: { uploadDir: string; covers: CoverStore; demo: DemoAudio }): Router {
  const router = Router();
  const cache = new LruCache<string, Track>(MAX_CACHED_TRACKS);

  function track(seed: string): Track {
    const hit = cache.get(seed);
    if (hit) return hit;
    const body = renderDemoTrack(seed); // synchronous, tens of milliseconds
    const rendered = { body, etag: bufferEtag(body) };
    cache.set(seed, rendered);
    return rendered;
  }

  const sendFile = (res: Response, file: string, next: (err?: unknown) => void, options: object) =>
    res.sendFile(file, { dotfiles: 'deny', headers: { 'X-Content-Type-Options': 'nosniff' }, ...options }, (err) => {
      if (err && !res.headersSent) next(new NotFound('No such audio file'));
    });

  router.get('/media/demo/:file', (req, res, next) => {
    const rendered = demo.fileOf(req.params.file);
    // A render may be made again (a new synthesizer): revalidated daily (ETag) rather than kept forever.
    if (rendered) return sendFile(res, path.basename(rendered), next, { root: demo.dir, maxAge: '1d' });
    const seed = DEMO_FILE.exec(req.params.file)?.[1];
    if (seed === undefined) throw new NotFound('No such demo track');
    const { body, etag } = track(seed);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    sendAudio(req, res, body, 'audio/wav', etag);
  });

  router.get('/media/uploads/:name', (req, res, next) => {
    if (!UPLOAD_NAME.test(req.params.name)) throw new NotFound('No such audio file');
    sendFile(res, req.params.name, next, { root: uploadDir, ...FOREVER });
  });

  router.get('/media/covers/:name', async (req, res) => {
    const image = await covers.png(req.params.name, coverSize(req.query.size));
    if (!image) throw new NotFound('No such cover');
    res.set('Cache-Control', 'public, max-age=31536000, immutable').set('ETag', image.etag).type('image/png');
    if (noneMatch(req.get('if-none-match'), image.etag)) res.status(304).end();
    else res.send(image.body);
  });

  return router;
}
