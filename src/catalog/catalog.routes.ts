// The listener's pickers: drugs, then a drug's moods. Pages and their JSON twin.
import { Router } from 'express';
import { NotFound } from '../lib/errors.js';
import type { PublicUrl } from '../http/public-url.js';
import { drugMeta, homeMeta } from '../previews/page-meta.js';
import type { CatalogRepository } from './catalog.repository.js';

/** What the home page offers a returning listener: their radios, the latest first, and their playlists. */
export interface Returning {
  radios: { drug: { slug: string; name: string }; mood: { slug: string; name: string } }[];
  playlists: { id: number; name: string }[];
}

interface Deps {
  catalog: CatalogRepository;
  publicUrl: PublicUrl;
  returning(userId: number): Promise<Returning>;
}

export function createCatalogRouter({ catalog, publicUrl, returning }: Deps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const [drugs, back] = await Promise.all([catalog.listDrugs(), req.user ? returning(req.user.id) : undefined]);
    res.render('home', { title: 'Pick your dose', drugs, returning: back, meta: homeMeta(drugs, (path) => publicUrl(req, path)) });
  });

  router.get('/playlist/:drug', async (req, res) => {
    const drug = await catalog.findDrug(req.params.drug);
    if (!drug) throw new NotFound(`There is no drug called “${req.params.drug}” here.`);
    res.render('drug', { title: drug.name, drug, meta: drugMeta(drug, (path) => publicUrl(req, path)) });
  });

  router.get('/api/genres', async (_req, res) => {
    const drugs = await catalog.listDrugs();
    res.json({
      drugs: drugs.map((d) => ({
        slug: d.slug,
        name: d.name,
        description: d.description,
        color: d.color,
        moods: d.moods.map((m) => ({ slug: m.slug, name: m.name, description: m.description, songCount: m.songCount })),
      })),
    });
  });

  return router;
}
