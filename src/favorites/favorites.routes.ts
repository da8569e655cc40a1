// Hearts (a form that works without JavaScript, and a JSON twin for fetch), "My favorites",
// "Play my favorites" (a shuffle walk with continuation), and the most favorited lists.
import { type Request, type Response, Router } from 'express';
import { toApiSong } from '../catalog/catalog.types.js';
import { wantsJson } from '../http/error-handler.js';
import { requireUser, safeLocalPath } from '../http/guards.js';
import { parse, parseParams } from '../http/validate.js';
import type { PublicUrl } from '../http/public-url.js';
import { playlistQuery } from '../playlists/playlist.schemas.js';
import type { TrackListPresenter } from '../presenters/track-list.presenter.js';
import { popularMeta } from '../previews/page-meta.js';
import { pageQuery, songParams } from './favorites.schemas.js';
import type { FavoritesService } from './favorites.service.js';

interface Deps {
  favorites: FavoritesService;
  trackList: TrackListPresenter;
  playlistSize: number;
  publicUrl: PublicUrl;
}

export function createFavoritesRouter({ favorites, trackList, playlistSize, publicUrl }: Deps): Router {
  const router = Router();

  async function setFavorite(req: Request, res: Response, loved: boolean) {
    const { songId } = parseParams(songParams, req.params, 'There is no such song.');
    const favoriteCount = await favorites.setFavorite(req.user!.id, songId, loved);
    if (wantsJson(req)) return res.json({ songId, favorited: loved, favoriteCount });
    res.redirect(303, safeLocalPath(req.body?.returnTo) ?? '/favorites');
  }

  router.post('/favorites/:songId', requireUser, (req, res) => setFavorite(req, res, true));
  router.post('/favorites/:songId/remove', requireUser, (req, res) => setFavorite(req, res, false));
  router.put('/api/favorites/:songId', requireUser, (req, res) => setFavorite(req, res, true));
  router.delete('/api/favorites/:songId', requireUser, (req, res) => setFavorite(req, res, false));

  router.get('/favorites', requireUser, async (req, res) => {
    const { songs, ...page } = await favorites.page(req.user!.id, parse(pageQuery, req.query).page ?? 1);
    const source = { key: `favorites:page:${page.page}`, label: 'Your favorites' };
    res.render('favorites/list', { title: 'My favorites', ...page, tracks: await trackList(req, songs, { source }) });
  });

  const shuffle = (req: Request) => {
    const query = parse(playlistQuery, req.query);
    return favorites.shuffle(req.user!.id, { limit: query.limit ?? playlistSize, cursor: query.cursor });
  };

  router.get('/favorites/play', requireUser, async (req, res) => {
    const batch = await shuffle(req);
    const source = { key: 'favorites:shuffle', label: 'Your favorites, shuffled', href: '/favorites/play' };
    res.render('favorites/play', { title: 'My favorites', batch, tracks: await trackList(req, batch.songs, { source }) });
  });

  router.get('/api/favorites/playlist', requireUser, async (req, res) => {
    const batch = await shuffle(req);
    res.json({ songs: batch.songs.map(toApiSong), cursor: batch.cursor });
  });

  router.get('/popular', async (req, res) => {
    const { heading, songs, drugs } = await favorites.mostFavorited();
    const meta = popularMeta({ songs }, (path) => publicUrl(req, path));
    const tracks = await trackList(req, songs, { source: { key: 'popular', label: heading } });
    res.render('favorites/popular', { title: heading, heading, drugs, tracks, meta });
  });

  router.get('/popular/:drug/:mood', async (req, res) => {
    const { heading, songs, drugs, genre } = await favorites.mostFavorited(req.params);
    const meta = popularMeta({ genre, songs }, (path) => publicUrl(req, path));
    const { drug, mood } = req.params;
    const source = { key: `popular:${drug}/${mood}`, label: heading, art: `img/drugs/${genre?.drug.slug ?? 'default'}.svg` };
    res.render('favorites/popular', { title: heading, heading, drugs, tracks: await trackList(req, songs, { source }), meta });
  });

  return router;
}
