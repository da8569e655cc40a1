// The player page and the playlist API: both draw the next batch of a genre's walk.
import { Router, type Request } from 'express';
import type { CatalogRepository } from '../catalog/catalog.repository.js';
import type { Genre } from '../catalog/catalog.types.js';
import { NotFound } from '../http/errors.js';
import { parse } from '../http/validate.js';
import { playlistQuery } from './playlist.schemas.js';
import type { PlaylistService } from './playlist.service.js';

interface Deps {
  catalog: CatalogRepository;
  playlists: PlaylistService;
  playlistSize: number;
}

export function createPlaylistRouter({ catalog, playlists, playlistSize }: Deps): Router {
  const router = Router();

  async function draw(req: Request<{ drug: string; mood: string }>) {
    const query = parse(playlistQuery, req.query);
    const genre = await catalog.findGenre(req.params.drug, req.params.mood);
    if (!genre) throw new NotFound(`There is no mood “${req.params.mood}” under “${req.params.drug}”.`);
    const batch = await playlists.nextBatch(genre.mood.id, genre.mood.songCount, {
      limit: query.limit ?? playlistSize,
      cursor: query.cursor,
      dose: query.dose,
    });
    return { genre, batch };
  }

  router.get('/playlist/:drug/:mood', async (req, res) => {
    const { genre, batch } = await draw(req);
    res.render('player', {
      title: `${genre.mood.name} · ${genre.drug.name}`,
      genre,
      batch,
      apiUrl: apiPath(genre),
      shareUrl: `${pagePath(genre)}?dose=${batch.dose}`,
    });
  });

  router.get('/api/playlists/:drug/:mood', async (req, res) => {
    const { genre, batch } = await draw(req);
    res.json({
      drug: { slug: genre.drug.slug, name: genre.drug.name },
      mood: { slug: genre.mood.slug, name: genre.mood.name },
      songs: batch.songs.map(({ id, title, artist, url, durationSeconds }) => ({
        id,
        title,
        artist,
        url,
        duration: durationSeconds,
      })),
      cursor: batch.cursor,
      dose: batch.dose,
    });
  });

  return router;
}

const pagePath = (g: Genre) => `/playlist/${g.drug.slug}/${g.mood.slug}`;
const apiPath = (g: Genre) => `/api/playlists/${g.drug.slug}/${g.mood.slug}`;
