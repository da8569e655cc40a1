// Hiding a song from a genre: a form beside each heart on a genre's player (works without
// JavaScript; client/hide.ts turns it into a fetch), its JSON twin, and /me/hidden with undo.
import { type Request, type Response, Router } from 'express';
import { wantsJson } from '../http/error-handler.js';
import { flash } from '../http/flash.js';
import { requireUser, safeLocalPath } from '../http/guards.js';
import { parse, parseParams } from '../http/validate.js';
import { hiddenParams, hideForm } from './hidden-songs.schemas.js';
import type { HiddenSongsService } from './hidden-songs.service.js';

const fromUrl = (req: Request) => parseParams(hiddenParams, req.params, 'There is no such song in that mood.');

export function createHiddenSongsRouter({ hidden }: { hidden: HiddenSongsService }): Router {
  const router = Router();

  const answer = (req: Request, res: Response, songId: number, genreId: number, isHidden: boolean, back: string) => {
    if (wantsJson(req)) return res.json({ songId, genreId, hidden: isHidden });
    res.redirect(303, safeLocalPath(req.body?.returnTo) ?? back);
  };

  router.post('/me/hidden', requireUser, async (req, res) => {
    const { songId, genreId } = parse(hideForm, req.body);
    const { song, genreName } = await hidden.hide(req.user!.id, genreId, songId);
    flash(req, 'success', `“${song.title}” won't play in your ${genreName} radio again. Changed your mind? See Hidden songs.`);
    answer(req, res, songId, genreId, true, '/me/hidden');
  });

  router.put('/api/me/hidden/:genreId/:songId', requireUser, async (req, res) => {
    const { genreId, songId } = fromUrl(req);
    await hidden.hide(req.user!.id, genreId, songId);
    answer(req, res, songId, genreId, true, '/me/hidden');
  });

  router.delete('/api/me/hidden/:genreId/:songId', requireUser, async (req, res) => {
    const { genreId, songId } = fromUrl(req);
    await hidden.unhide(req.user!.id, genreId, songId);
    answer(req, res, songId, genreId, false, '/me/hidden');
  });

  router.post('/me/hidden/:genreId/:songId/remove', requireUser, async (req, res) => {
    const { genreId, songId } = fromUrl(req);
    const { song, genreName } = await hidden.unhide(req.user!.id, genreId, songId);
    flash(req, 'success', `“${song.title}” can play in your ${genreName} radio again.`);
    answer(req, res, songId, genreId, false, '/me/hidden');
  });

  router.get('/me/hidden', requireUser, async (req, res) => {
    res.render('hidden-songs/list', { title: 'Hidden songs', hidden: await hidden.list(req.user!.id) });
  });

  return router;
}
