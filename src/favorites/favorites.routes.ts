// Hearts (a form that works without JavaScript, and a JSON twin for fetch), "My favorites",
// "Play my favorites" (a shuffle walk with continuation), and the most favorited lists.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { CatalogRepository } from '../catalog/catalog.repository.js';
import { wantsJson } from '../http/error-handler.js';
import { NotFound } from '../http/errors.js';
import { requireUser, safeLocalPath } from '../http/guards.js';
import { parse } from '../http/validate.js';
import { playlistQuery } from '../playlists/playlist.schemas.js';
import { toApiSong } from '../playlists/playlist.routes.js';
import type { PlaylistService } from '../playlists/playlist.service.js';
import { FAVORITES_PAGE_SIZE, type FavoritesRepository } from './favorites.repository.js';

interface Deps {
  favorites: FavoritesRepository;
  catalog: CatalogRepository;
  playlists: PlaylistService;
  playlistSize: number;
}

const songParams = z.object({
  songId: z
    .string()
    .regex(/^\d{1,10}$/, 'must be a song id')
    .transform(Number),
});
const pageQuery = z.object({
  page: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a page number')
    .transform(Number)
    .pipe(z.number().min(1))
    .optional(),
});
const POPULAR_SIZE = 20;

export function createFavoritesRouter({ favorites, catalog, playlists, playlistSize }: Deps): Router {
  const router = Router();

  async function change(req: Request, res: Response, add: boolean) {
    const { songId } = parse(songParams, req.params);
    const userId = req.user!.id;
    const favoriteCount = add ? await favorites.add(userId, songId) : await favorites.remove(userId, songId);
    if (wantsJson(req)) return res.json({ songId, favorited: add, favoriteCount });
    res.redirect(303, safeLocalPath(req.body?.returnTo) ?? '/favorites');
  }

  router.post('/favorites/:songId', requireUser, (req, res) => change(req, res, true));
  router.post('/favorites/:songId/remove', requireUser, (req, res) => change(req, res, false));
  router.put('/api/favorites/:songId', requireUser, (req, res) => change(req, res, true));
  router.delete('/api/favorites/:songId', requireUser, (req, res) => change(req, res, false));

  router.get('/favorites', requireUser, async (req, res) => {
    const page = parse(pageQuery, req.query).page ?? 1;
    const { songs, total } = await favorites.page(req.user!.id, page);
    res.render('favorites/list', {
      title: 'My favorites',
      songs,
      loved: new Set(songs.map((s) => s.id)),
      page,
      pages: Math.max(1, Math.ceil(total / FAVORITES_PAGE_SIZE)),
      total,
    });
  });

  /** A walk over the listener's favorites, numbered 1..N in song id order. */
  async function favoritesBatch(req: Request) {
    const query = parse(playlistQuery, req.query);
    const ids = await favorites.songIds(req.user!.id);
    const batch = await playlists.nextBatchFrom(
      { size: ids.length, songsAt: (numbers) => songsAtPositions(ids, numbers) },
      { limit: query.limit ?? playlistSize, cursor: query.cursor },
    );
    return batch;
  }
  async function songsAtPositions(ids: number[], numbers: readonly number[]) {
    const byId = await favorites.songsByIds(numbers.map((n) => ids[n - 1]!).filter((id) => id !== undefined));
    return new Map(numbers.flatMap((n) => (byId.has(ids[n - 1]!) ? [[n, byId.get(ids[n - 1]!)!] as const] : [])));
  }

  router.get('/favorites/play', requireUser, async (req, res) => {
    const batch = await favoritesBatch(req);
    res.render('favorites/play', { title: 'My favorites', batch, loved: new Set(batch.songs.map((s) => s.id)) });
  });

  router.get('/api/favorites/playlist', requireUser, async (req, res) => {
    const batch = await favoritesBatch(req);
    res.json({
      songs: batch.songs.map(toApiSong),
      cursor: batch.cursor,
    });
  });

  router.get('/popular', async (req, res) => {
    const [songs, drugs] = await Promise.all([favorites.mostFavorited(POPULAR_SIZE), catalog.listDrugs()]);
    res.render('favorites/popular', { title: 'Most favorited', heading: 'Most favorited', songs, drugs, loved: await lovedBy(req, songs) });
  });

  router.get('/popular/:drug/:mood', async (req, res) => {
    const genre = await catalog.findGenre(req.params.drug, req.params.mood);
    if (!genre) throw new NotFound(`There is no mood “${req.params.mood}” under “${req.params.drug}”.`);
    const songs = await favorites.mostFavorited(POPULAR_SIZE, genre.mood.id);
    const heading = `Most favorited in ${genre.drug.name} · ${genre.mood.name}`;
    res.render('favorites/popular', { title: heading, heading, songs, drugs: await catalog.listDrugs(), loved: await lovedBy(req, songs) });
  });

  const lovedBy = (req: Request, songs: { id: number }[]) =>
    req.user
      ? favorites.lovedAmong(
          req.user.id,
          songs.map((s) => s.id),
        )
      : Promise.resolve(new Set<number>());

  return router;
}
