// The player page and the playlist API: both draw the next batch of a genre's walk.
import { Router, type Request } from 'express';
import type { Genre, Song } from '../catalog/catalog.types.js';
import type { FavoritesRepository } from '../favorites/favorites.repository.js';
import { NotFound } from '../http/errors.js';
import { parse } from '../http/validate.js';
import { playlistQuery } from './playlist.schemas.js';
import type { PlaylistService } from './playlist.service.js';

interface Deps {
  playlists: PlaylistService;
  favorites: Pick<FavoritesRepository, 'lovedAmong'>;
  playlistSize: number;
}

/** The next batch of the genre the URL names, as ?limit, ?cursor and ?dose ask. */
async function draw({ playlists, playlistSize }: Pick<Deps, 'playlists' | 'playlistSize'>, req: Request<{ drug: string; mood: string }>) {
  const query = parse(playlistQuery, req.query);
  const drawn = await playlists.drawGenre(req.params.drug, req.params.mood, {
    limit: query.limit ?? playlistSize,
    cursor: query.cursor,
    dose: query.dose,
  });
  if (!drawn) throw new NotFound(`There is no mood “${req.params.mood}” under “${req.params.drug}”.`);
  return drawn;
}

/** The player page: a batch rendered with the listener's hearts. */
export function createPlayerPageRouter(deps: Deps): Router {
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
      returnTo: shareUrl, // a heart posted without JavaScript comes back to this same mix
      loved: req.user
        ? await deps.favorites.lovedAmong(
            req.user.id,
            batch.songs.map((s) => s.id),
          )
        : undefined,
    });
  });
  return router;
}

/**
 * The playlist API. Its answer is the same for every listener, so the app mounts it before the
 * session, body parsers and CSRF: the player's busiest request skips all of them.
 */
export function createPlaylistApiRouter(deps: Pick<Deps, 'playlists' | 'playlistSize'>): Router {
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

export const toApiSong = ({ id, title, artist, url, durationSeconds, favoriteCount }: Song) => ({
  id,
  title,
  artist,
  url,
  duration: durationSeconds,
  favoriteCount,
});

const pagePath = (g: Genre) => `/playlist/${g.drug.slug}/${g.mood.slug}`;
const apiPath = (g: Genre) => `/api/playlists/${g.drug.slug}/${g.mood.slug}`;
