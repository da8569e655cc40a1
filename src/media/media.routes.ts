// The audio the catalog points at on this site: GET /media/demo/<seed>.wav (demo songs synthesized
// on request, so the catalog plays with no internet) and GET /media/uploads/<name> (admins' uploads).
import { Router } from 'express';
import { NotFound } from '../http/errors.js';
import { bufferEtag } from '../http/etag.js';
import { sendAudio } from './audio-response.js';
import { renderDemoTrack } from './demo-synth.js';
import { DEMO_FILE } from './demo-tracks.js';
import { UPLOAD_NAME } from './upload-store.js';

/** ~1.5–3 MB each, so the cache holds at most ~75 MB. */
const MAX_CACHED_TRACKS = 24;

interface Track {
  body: Buffer;
  etag: string;
}

export function createMediaRouter({ uploadDir }: { uploadDir: string }): Router {
  const router = Router();
  // Least recently used first: a Map iterates in insertion order, and a hit is re-inserted at the end.
  const cache = new Map<string, Track>();

  function track(seed: string): Track {
    let hit = cache.get(seed);
    if (hit) {
      cache.delete(seed);
    } else {
      const body = renderDemoTrack(seed); // synchronous, tens of milliseconds
      hit = { body, etag: bufferEtag(body) };
      if (cache.size >= MAX_CACHED_TRACKS) cache.delete(cache.keys().next().value!);
    }
    cache.set(seed, hit);
    return hit;
  }

  router.get('/media/demo/:file', (req, res) => {
    const seed = DEMO_FILE.exec(req.params.file)?.[1];
    if (seed === undefined) throw new NotFound('No such demo track');
    const { body, etag } = track(seed);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    sendAudio(req, res, body, 'audio/wav', etag);
  });

  router.get('/media/uploads/:name', (req, res, next) => {
    if (!UPLOAD_NAME.test(req.params.name)) throw new NotFound('No such audio file');
    const options = { root: uploadDir, dotfiles: 'deny' as const, maxAge: '365d', immutable: true, headers: { 'X-Content-Type-Options': 'nosniff' } };
    res.sendFile(req.params.name, options, (err) => {
      if (err && !res.headersSent) next(new NotFound('No such audio file'));
    });
  });

  return router;
}
