// The player page and the playlist API: both draw the next batch of a genre's walk.
import { type Request, Router } from 'express';
import { type Genre, toApiSong } from '../catalog/catalog.types.js';
import { NotFound } from '../http/errors.js';
import { parse } from '../http/validate.js';
import type { TrackListPresenter } from '../presenters/track-list.presenter.js';
import { playlistQuery } from './playlist.schemas.js';
import type { PlaylistService } from './playlist.service.js';

interface Deps {
  playlists: PlaylistService;
  playlistSize: number;
}

/** The next batch of the genre the URL names, as ?limit, ?cursor and ?dose ask. */
async function draw({ playlists, playlistSize }: Deps, req: Request<{ drug: string; mood: string }>) {
  const query = parse(playlistQuery, req.query);
  const drawn = await playlists.drawGenre(req.params.drug, req.params.mood, {
    limit: query.limit ?? playlistSize,
    cursor: query.cursor,
    dose: query.dose,
  });
  if (!drawn) throw new NotFound(`There is no mood “${req.params.mood}” under “${req.params.drug}”.`);
  return drawn;
}

/** The player page: a batch rendered with the listener's hearts and playlists. */
export function createPlayerPageRouter(deps: Deps & { trackList: TrackListPresenter }): Router {
  const router = Router();
  router.get('/playlist/:drug/:mood', async (req, res) => {
    const { genre, batch } = await draw(deps, req);
    const shareUrl = `${pagePath(genre)}?dose=${batch.dose}`;
    res.render('player', {
      title: `${genre.mood.name} · ${genre.drug.name}`,
      genre,
      batch,
      apiUrl: apiPath(genre),
      shareUrl,
      // Forms posted without JavaScript come back to this same mix, not to a new one.
      tracks: await deps.trackList(req, batch.songs, { returnTo: shareUrl }),
    });
  });
  return router;
}

/**
 * The playlist API. Its answer is the same for every listener, so the app mounts it before the
 * session, body parsers and CSRF: the player's busiest request skips all of them.
 */
export function createPlaylistApiRouter(deps: Deps): Router {
  const router = Router();
  router.get('/api/playlists/:drug/:mood', async (req, res) => {
    const { genre, batch } = await draw(deps, req);
    res.json({
      drug: { slug: genre.drug.slug, name: genre.drug.name },
      mood: { slug: genre.mood.slug, name: genre.mood.name },
      songs: batch.songs.map(toApiSong),
      cursor: batch.cursor,
      dose: batch.dose,
    });
  });
  return router;
}

const pagePath = (g: Genre) => `/playlist/${g.drug.slug}/${g.mood.slug}`;
const apiPath = (g: Genre) => `/api/playlists/${g.drug.slug}/${g.mood.slug}`;
