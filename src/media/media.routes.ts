// The audio and artwork the catalog points at on this site: GET /media/demo/<seed>.m4a (a demo
// song's rendered AAC, what listeners stream), GET /media/demo/<seed>.wav (the original, synthesized
// on request, so the catalog plays with no internet and no ffmpeg), GET /media/uploads/<name>
// (admins' uploads and their compressed copies) and GET /media/covers/<name>?size=N (songs' own
// covers, as PNG at the size asked).
import { Router } from 'express';
import { NotFound } from '../lib/errors.js';
import { noneMatch } from '../http/etag.js';
import { sendMediaAudio } from './audio-response.js';
import { type CoverStore, coverSize } from './cover-store.js';
import type { MediaService } from './media.service.js';

export function createMediaRouter({ media, covers }: { media: MediaService; covers: CoverStore }): Router {
  const router = Router();

  router.get('/media/demo/:file', (req, res) => sendMediaAudio(req, res, media.demoAudio(req.params.file)));
  router.get('/media/uploads/:name', (req, res) => sendMediaAudio(req, res, media.uploadAudio(req.params.name)));

  router.get('/media/covers/:name', async (req, res) => {
    const image = await covers.png(req.params.name, coverSize(req.query.size));
    if (!image) throw new NotFound('No such cover');
    res.set('Cache-Control', 'public, max-age=31536000, immutable').set('ETag', image.etag).type('image/png');
    if (noneMatch(req.get('if-none-match'), image.etag)) res.status(304).end();
    else res.send(image.body);
  });

  return router;
}
