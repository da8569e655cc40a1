// The link-preview images the pages' og:image names: the same bytes for everyone, so cached by
// browsers and unfurlers for a day (and served stale for a week while revalidating).
import { type Request, type Response, Router } from 'express';
import { noneMatch } from '../http/etag.js';
import { parseParams } from '../http/validate.js';
import { songParams } from './previews.schemas.js';
import type { PreviewPng, PreviewsService } from './previews.service.js';

const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

function sendPng(req: Request, res: Response, { body, etag }: PreviewPng): void {
  res.set({
    'Cache-Control': CACHE_CONTROL,
    ETag: etag,
    // helmet's same-origin default would stop other sites' pages from showing the picture.
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if (noneMatch(req.get('If-None-Match'), etag)) {
    res.status(304).end();
    return;
  }
  res.type('png').send(body);
}

export function createPreviewsRouter({ previews }: { previews: PreviewsService }): Router {
  const router = Router();
  // Before /previews/:drug.png, so a drug called "site" gets the site's card.
  router.get('/previews/site.png', async (req, res) => sendPng(req, res, await previews.site()));
  router.get('/previews/songs/:id.png', async (req, res) => {
    const { id } = parseParams(songParams, req.params, 'There is no such song here.');
    sendPng(req, res, await previews.song(id));
  });
  router.get('/previews/:drug.png', async (req, res) => sendPng(req, res, await previews.drug(req.params.drug)));
  router.get('/previews/:drug/:mood.png', async (req, res) => sendPng(req, res, await previews.genre(req.params.drug, req.params.mood)));
  return router;
}
